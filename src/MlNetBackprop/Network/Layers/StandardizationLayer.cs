using System.Numerics;
using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Export;
using MlNetBackprop.Network.Kernels;

namespace MlNetBackprop.Network.Layers;

/// <summary>
/// A first layer without parameters that centres and scales every feature, a = (x − μ)·s, with μ and s = 1/σ measured
/// on the training rows (<see cref="Inputs.FeatureStatistics"/>), as scikit-learn's users do with StandardScaler before
/// its MLP. Features often arrive uncentred (ML.NET's NormalizeMeanVariance divides by σ and subtracts nothing,
/// NormalizeMinMax maps to [0, 1], one-hot columns are zeros and ones), and a network whose inputs all sit far from zero
/// trains slower and settles worse. Being a layer, it travels with the network: the data is never rewritten, rows
/// streamed from storage are standardized as they come, and a saved model reads the features as they come.
/// </summary>
internal sealed class StandardizationLayer<T> : Layer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _mean;
    private readonly T[] _scale;

    /// <summary>
    /// A layer of <paramref name="size"/> features that leaves them as they are (μ = 0, s = 1) until it is given statistics,
    /// then applies <paramref name="activation"/>: none (the identity), or smooth clipping (<see cref="SmoothClip{T}"/>).
    /// </summary>
    public StandardizationLayer(int size, Activation<T>? activation = null) : base(size, size, activation ?? new Identity<T>())
    {
        _mean = new T[size];
        _scale = new T[size];
        _scale.AsSpan().Fill(T.One);
    }

    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.Standardization;

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter<T>> Parameters => [];

    /// <inheritdoc/>
    public override IReadOnlyList<Memory<T>> Constants => [_mean, _scale];

    /// <summary>μ of every feature.</summary>
    public ReadOnlySpan<T> Mean => _mean;

    /// <summary>s of every feature (1 for a feature that is only centred).</summary>
    public ReadOnlySpan<T> Scale => _scale;

    /// <summary>Takes μ and s from <paramref name="mean"/> and <paramref name="scale"/>, one per feature.</summary>
    public void Set(ReadOnlySpan<double> mean, ReadOnlySpan<double> scale)
    {
        if (mean.Length != InputSize || scale.Length != InputSize)
            throw new ArgumentException($"A standardization of {InputSize} features needs {InputSize} means and scales, not {mean.Length} and {scale.Length}.");
        for (int k = 0; k < InputSize; k++)
            (_mean[k], _scale[k]) = (T.CreateChecked(mean[k]), T.CreateChecked(scale[k]));
    }

    /// <summary>
    /// What a standardization of centre <paramref name="center"/> and scale <paramref name="scale"/> makes of
    /// <paramref name="value"/>, smoothly clipped when <paramref name="clipped"/>: for mapping raw quantiles into the
    /// layer's output, in double.
    /// </summary>
    public static double Standardize(double value, double center, double scale, bool clipped)
    {
        double z = (value - center) * scale, u = z / 3;
        return clipped ? z / Math.Sqrt(1 + u * u) : z;
    }

    /// <summary>Nothing to draw: the statistics come from the data.</summary>
    public override void Initialize(Random random, WeightInitialization kind)
    {
    }

    /// <inheritdoc/>
    public override void Forward(LayerInput<T> input, int rows, Memory<T> z, Memory<T> a, ParallelGemm<T> products)
    {
        // z = (x − μ)·s, row by row, and a = σ(z); without an activation, z is written straight as a.
        bool identity = Activation.Kind == ActivationKind.Identity;
        var x = input.DenseRows("standardization layer").Span;
        var output = (identity ? a : z).Span;
        for (int r = 0; r < rows; r++)
        {
            var row = output.Slice(r * InputSize, InputSize);
            ElementWise.Subtract(x.Slice(r * InputSize, InputSize), _mean, row);
            ElementWise.Multiply(row, _scale, row);
        }
        if (!identity)
            Activation.Apply(z.Span[..(rows * InputSize)], a.Span[..(rows * InputSize)], InputSize);
    }

    /// <inheritdoc/>
    public override void Backward(ReadOnlyMemory<T> delta, ReadOnlyMemory<T> scaledDelta, LayerInput<T> input, int rows, Memory<T> inputError,
        GradientStore<T> store, ParallelGemm<T> products)
    {
        // No parameters, so no BP3 or BP4; BP2's product is ∂C/∂x = δ·s (δ = ∂C/∂z, the clipping's σ′ taken by the loop),
        // for a layer below with parameters (there is none in the networks the trainer builds, which put this layer
        // first, so that backpropagation stops above it).
        if (inputError.IsEmpty) return;
        var errors = delta.Span;
        var below = inputError.Span;
        for (int r = 0; r < rows; r++)
            ElementWise.Multiply(errors.Slice(r * InputSize, InputSize), _scale, below.Slice(r * InputSize, InputSize));
    }

    /// <inheritdoc/>
    public override string ToOnnx(OnnxGraphBuilder graph, string input)
    {
        string centred = graph.Node("Sub", [input, graph.Constant("mean", _mean.Select(float.CreateChecked).ToArray(), InputSize)]);
        return graph.Node("Mul", [centred, graph.Constant("scale", _scale.Select(float.CreateChecked).ToArray(), InputSize)]);
    }
}
