using System.Numerics;
using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Export;
using MlNetBackprop.Network.Kernels;

namespace MlNetBackprop.Network.Layers;

/// <summary>
/// A diagonal layer: one learnable factor per feature, a = s ⊙ x, starting at 1 (RealMLP's "scaling layer", Holzmüller
/// et al., 2024). It lets the network weigh each feature before the first fully connected layer mixes them, and with a
/// larger learning rate than the weights (its parameter group's factor) it learns which features matter faster.
/// Its backward pass: BP2's ∂C/∂x = δ ⊙ s, and ∂C/∂sₖ = Σₓ (sₓ/m)·δₖ·xₖ.
/// </summary>
internal sealed class ScalingLayer<T> : Layer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private const string Name = "scaling layer";

    private readonly T[] _scales;
    private readonly Parameter<T>[] _parameters;
    private T[] _gradient = [];

    /// <summary>A layer of <paramref name="size"/> factors, all 1 (it passes the features on as they are).</summary>
    public ScalingLayer(int size) : base(size, size, new Identity<T>())
    {
        _scales = new T[size];
        _scales.AsSpan().Fill(T.One);
        _parameters = [new(_scales, ParameterRole.Scales)];
    }

    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.Scaling;

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <summary>The factors s.</summary>
    public ReadOnlySpan<T> Scales => _scales;

    /// <summary>The factors start at 1: the layer begins by changing nothing.</summary>
    public override void Initialize(Random random, WeightInitialization kind) => _scales.AsSpan().Fill(T.One);

    /// <inheritdoc/>
    public override void Forward(LayerInput<T> input, int rows, Memory<T> z, Memory<T> a, ParallelGemm<T> products)
    {
        // a = s ⊙ x, row by row; there is no activation, so z is not written.
        var x = input.DenseRows(Name).Span;
        var output = a.Span;
        for (int r = 0; r < rows; r++)
            ElementWise.Multiply(x.Slice(r * InputSize, InputSize), _scales, output.Slice(r * InputSize, InputSize));
    }

    /// <inheritdoc/>
    public override void Backward(ReadOnlyMemory<T> delta, ReadOnlyMemory<T> scaledDelta, LayerInput<T> input, int rows, Memory<T> inputError,
        GradientStore<T> store, ParallelGemm<T> products)
    {
        // BP2's product: ∂C/∂x = δ ⊙ s, with s as the forward pass saw it.
        if (!inputError.IsEmpty)
        {
            var errors = delta.Span;
            var below = inputError.Span;
            for (int r = 0; r < rows; r++)
                ElementWise.Multiply(errors.Slice(r * InputSize, InputSize), _scales, below.Slice(r * InputSize, InputSize));
        }
        // ∂C/∂sₖ = Σₓ (sₓ/m)·δₖ·xₖ: the diagonal of BP4's δᵀ·x.
        if (_gradient.Length != InputSize) _gradient = new T[InputSize];
        var sum = _gradient.AsSpan();
        sum.Clear();
        var x = input.DenseRows(Name).Span;
        var scaled = scaledDelta.Span;
        for (int r = 0; r < rows; r++)
        {
            var dx = scaled.Slice(r * InputSize, InputSize);
            var xr = x.Slice(r * InputSize, InputSize);
            for (int k = 0; k < InputSize; k++) sum[k] += dx[k] * xr[k];
        }
        store.Land(_parameters[0], sum);
    }

    /// <inheritdoc/>
    public override string ToOnnx(OnnxGraphBuilder graph, string input)
        => graph.Node("Mul", [input, graph.Constant("scales", _scales.Select(float.CreateChecked).ToArray(), InputSize)]);
}
