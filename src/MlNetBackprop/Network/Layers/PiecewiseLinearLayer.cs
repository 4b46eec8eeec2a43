using System.Numerics;
using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Export;
using MlNetBackprop.Network.Kernels;

namespace MlNetBackprop.Network.Layers;

/// <summary>
/// A parameter-free layer that passes its inputs on and adds, for each numeric feature, its piecewise-linear encoding
/// (Gorishniy, Rubachev and Babenko, 2022): with the feature's range cut into bins at quantiles of the training rows (at
/// most as many as its distinct values allow), bin t reads clip((x − lowₜ)/(highₜ − lowₜ), 0, 1), 1 for the bins x has
/// passed, its position in its own, 0 for those ahead. The first fully connected layer then learns a piecewise-linear
/// function of each feature, the thresholds a tree would split at included, while x itself still reaches it. Indicator
/// features (one-hot columns) pass through alone. <c>Outputs = Inputs + B</c> for B bins in all.
/// </summary>
internal sealed class PiecewiseLinearLayer<T> : Layer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _feature, _low, _high;
    private T[] _inverseWidth = [];

    /// <summary>A layer of <paramref name="inputs"/> features and <paramref name="bins"/> bins in all (of feature 0, edges 0 and 1, until set).</summary>
    public PiecewiseLinearLayer(int inputs, int bins) : base(inputs, checked(inputs + bins), new Identity<T>())
    {
        (_feature, _low, _high) = (new T[bins], new T[bins], new T[bins]);
        _high.AsSpan().Fill(T.One);
    }

    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.PiecewiseLinear;

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter<T>> Parameters => [];

    /// <summary>Each bin's feature (as a number, stored as the other constants are), then the bins' lower and upper edges.</summary>
    public override IReadOnlyList<Memory<T>> Constants => [_feature, _low, _high];

    /// <summary>The bins in all.</summary>
    public int Bins => _feature.Length;

    /// <summary>
    /// Sets every bin: its feature (<paramref name="features"/>, not falling), and its lower and upper edges, the upper
    /// above the lower.
    /// </summary>
    public void Set(ReadOnlySpan<int> features, ReadOnlySpan<double> low, ReadOnlySpan<double> high)
    {
        if (features.Length != Bins || low.Length != Bins || high.Length != Bins)
            throw new ArgumentException($"{Bins} bins need as many features and edges of each side.");
        for (int b = 0; b < Bins; b++)
        {
            if (features[b] < 0 || features[b] >= InputSize || (b > 0 && features[b] < features[b - 1]))
                throw new ArgumentException($"Feature index {features[b]} is out of order or range.");
            (_feature[b], _low[b], _high[b]) = (T.CreateChecked(features[b]), T.CreateChecked(low[b]), T.CreateChecked(high[b]));
            if (!(_high[b] > _low[b]))
                throw new ArgumentException($"Bin {b} of feature {features[b]} is empty: its upper edge must exceed its lower one.");
        }
        _inverseWidth = [];
    }

    /// <summary>Nothing to draw: the edges come from the data.</summary>
    public override void Initialize(Random random, WeightInitialization kind)
    {
    }

    /// <inheritdoc/>
    public override void Forward(LayerInput<T> input, int rows, Memory<T> z, Memory<T> a, ParallelGemm<T> products)
    {
        var inverse = InverseWidths();
        var x = input.DenseRows("piecewise-linear encoding").Span;
        var output = a.Span;
        for (int r = 0; r < rows; r++)
        {
            var row = x.Slice(r * InputSize, InputSize);
            var encoded = output.Slice(r * OutputSize, OutputSize);
            row.CopyTo(encoded);
            for (int b = 0; b < _feature.Length; b++)
                encoded[InputSize + b] = T.Clamp((row[int.CreateTruncating(_feature[b])] - _low[b]) * inverse[b], T.Zero, T.One);
        }
    }

    /// <inheritdoc/>
    public override void Backward(ReadOnlyMemory<T> delta, ReadOnlyMemory<T> scaledDelta, LayerInput<T> input, int rows, Memory<T> inputError,
        GradientStore<T> store, ParallelGemm<T> products)
    {
        // No parameters. BP2's product, for a layer below with parameters (none in the networks the trainer builds): the
        // passed-through part's δ, plus each bin's δ times its slope, 1/width where x lies inside the bin.
        if (inputError.IsEmpty) return;
        var inverse = InverseWidths();
        var x = input.DenseRows("piecewise-linear encoding").Span;
        var errors = delta.Span;
        var below = inputError.Span;
        for (int r = 0; r < rows; r++)
        {
            var row = x.Slice(r * InputSize, InputSize);
            var d = errors.Slice(r * OutputSize, OutputSize);
            var back = below.Slice(r * InputSize, InputSize);
            d[..InputSize].CopyTo(back);
            for (int b = 0; b < _feature.Length; b++)
            {
                int k = int.CreateTruncating(_feature[b]);
                if (row[k] > _low[b] && row[k] < _high[b]) back[k] += d[InputSize + b] * inverse[b];
            }
        }
    }

    /// <inheritdoc/>
    public override string ToOnnx(OnnxGraphBuilder graph, string input)
    {
        // [x, clip((gather(x, bins' features) − low)·(1/width), 0, 1)]
        var inverse = InverseWidths();
        string picked = graph.Node("Gather", [input, graph.Constant("features", _feature.Select(long.CreateTruncating).ToArray(), Bins)], null,
            OnnxGraphBuilder.Int("axis", 1));
        string shifted = graph.Node("Sub", [picked, graph.Constant("low", _low.Select(float.CreateChecked).ToArray(), Bins)]);
        string scaled = graph.Node("Mul", [shifted, graph.Constant("inverse", inverse.ToArray().Select(float.CreateChecked).ToArray(), Bins)]);
        string clipped = graph.Node("Clip", [scaled, graph.Constant("zero", [0f]), graph.Constant("one", [1f])]);
        return graph.Node("Concat", [input, clipped], null, OnnxGraphBuilder.Int("axis", 1));
    }

    /// <summary>1/(high − low) of every bin, computed once from the edges.</summary>
    private ReadOnlySpan<T> InverseWidths()
    {
        if (_inverseWidth.Length != _low.Length)
        {
            var inverse = new T[_low.Length];
            for (int b = 0; b < inverse.Length; b++) inverse[b] = T.One / (_high[b] - _low[b]);
            _inverseWidth = inverse;
        }
        return _inverseWidth;
    }
}
