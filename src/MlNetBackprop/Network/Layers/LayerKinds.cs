using System.Numerics;
using MlNetBackprop.Network.Activations;

namespace MlNetBackprop.Network.Layers;

/// <summary>
/// What the engine knows of each <see cref="LayerKind"/> apart from its class: how to make an empty layer of a shape,
/// and how many numbers it stores, which a reader checks against the bytes it has before it allocates anything. A new
/// kind of layer is its class and its lines here. No default arms: a kind without them fails to compile (CS8509).
/// </summary>
internal static class LayerKinds
{
    /// <summary>A layer of <paramref name="shape"/> with all its numbers zero.</summary>
    public static Layer<T> Create<T>(LayerShape shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var activation = Activation<T>.Create(shape.Activation);
        return shape.Kind switch
        {
            LayerKind.Dense => new DenseLayer<T>(shape.Inputs, shape.Outputs, activation),
            LayerKind.SparseInput => new SparseInputLayer<T>(shape.Inputs, shape.Outputs, activation),
            LayerKind.Standardization => new StandardizationLayer<T>(shape.Inputs, activation),
            LayerKind.Scaling => new ScalingLayer<T>(shape.Inputs),
            LayerKind.ColumnSelection => new ColumnSelectionLayer<T>(shape.Inputs, shape.Outputs),
            LayerKind.PiecewiseLinear => new PiecewiseLinearLayer<T>(shape.Inputs, shape.Outputs - shape.Inputs),
        };
    }

    /// <summary>
    /// The numbers a layer of <paramref name="shape"/> stores (its parameters, then its constants), counted without
    /// overflow for any widths.
    /// </summary>
    public static long StoredValues(LayerShape shape) => shape.Kind switch
    {
        LayerKind.Dense or LayerKind.SparseInput => ((long)shape.Inputs + 1) * shape.Outputs,
        LayerKind.Standardization => 2L * shape.Inputs,
        LayerKind.Scaling => shape.Inputs,
        // The columns kept.
        LayerKind.ColumnSelection => shape.Outputs,
        // Each bin's feature and its lower and upper edges.
        LayerKind.PiecewiseLinear => 3L * (shape.Outputs - shape.Inputs),
    };

    /// <summary>
    /// Why a layer of <paramref name="shape"/> cannot be built (widths that do not fit the kind, an activation the kind
    /// does not take), or null when it can.
    /// </summary>
    public static string? Invalid(LayerShape shape) => shape.Inputs < 1 || shape.Outputs < 1
        ? $"a {shape.Kind} layer of {shape.Inputs} inputs and {shape.Outputs} outputs: both need at least 1"
        : shape.Kind switch
    {
        LayerKind.Dense or LayerKind.SparseInput => null,
        LayerKind.Standardization => shape.Inputs != shape.Outputs || shape.Activation is not (ActivationKind.Identity or ActivationKind.SmoothClip)
            ? $"a standardization layer maps each of its {shape.Inputs} inputs to one output, with no activation or smooth clipping"
            : null,
        LayerKind.Scaling => shape.Inputs != shape.Outputs || shape.Activation != ActivationKind.Identity
            ? $"a scaling layer maps each of its {shape.Inputs} inputs to one output, with no activation"
            : null,
        LayerKind.ColumnSelection => shape.Outputs > shape.Inputs || shape.Activation != ActivationKind.Identity
            ? $"a column selection keeps some of its {shape.Inputs} inputs, with no activation; {shape.Outputs} outputs are too many"
            : null,
        LayerKind.PiecewiseLinear => shape.Outputs <= shape.Inputs || shape.Activation != ActivationKind.Identity
            ? $"a piecewise-linear encoding passes its {shape.Inputs} inputs on and adds bins, with no activation; {shape.Outputs} outputs are too few"
            : null,
    };

    /// <summary>Whether a layer of this kind has neurons (which dropout may drop), rather than a fixed transformation of its input.</summary>
    public static bool HasNeurons(LayerKind kind) => kind switch
    {
        LayerKind.Dense or LayerKind.SparseInput => true,
        LayerKind.Standardization or LayerKind.Scaling or LayerKind.ColumnSelection or LayerKind.PiecewiseLinear => false,
    };

    /// <summary>Whether a layer of this kind reads sparse rows (and so can only be a network's first layer).</summary>
    public static bool ReadsSparseRows(LayerKind kind) => kind is LayerKind.SparseInput or LayerKind.ColumnSelection;
}
