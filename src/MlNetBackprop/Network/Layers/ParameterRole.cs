namespace MlNetBackprop.Network.Layers;

/// <summary>What a parameter block is to its layer, which decides its group's settings.</summary>
internal enum ParameterRole
{
    /// <summary>A weight matrix w.</summary>
    Weights,
    /// <summary>A bias vector b.</summary>
    Biases,
    /// <summary>A learnable factor per feature (a diagonal layer's).</summary>
    Scales,
}
