namespace MlNetBackprop.Network.Layers;

/// <summary>
/// The kinds of layer the engine builds. The numbers are the codes a stored network records for each layer: never
/// change or reuse one; a new kind takes the next free number and gets its line in <see cref="LayerKinds"/>.
/// </summary>
internal enum LayerKind : byte
{
    /// <summary>A fully connected layer, Nielsen's z = wa + b (<see cref="DenseLayer{T}"/>).</summary>
    Dense = 1,
    /// <summary>A fully connected first layer that reads sparse rows (<see cref="SparseInputLayer{T}"/>).</summary>
    SparseInput = 2,
    /// <summary>A parameter-free first layer that centres and scales each feature (<see cref="StandardizationLayer{T}"/>).</summary>
    Standardization = 3,
    /// <summary>A diagonal layer, one learnable factor per feature (<see cref="ScalingLayer{T}"/>).</summary>
    Scaling = 4,
    /// <summary>A parameter-free first layer that keeps the input columns the training rows used (<see cref="ColumnSelectionLayer{T}"/>).</summary>
    ColumnSelection = 5,
    /// <summary>A parameter-free layer that adds each numeric feature's piecewise-linear encoding (<see cref="PiecewiseLinearLayer{T}"/>).</summary>
    PiecewiseLinear = 6,
}
