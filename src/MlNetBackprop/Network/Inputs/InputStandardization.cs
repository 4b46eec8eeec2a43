using System.Numerics;
using MlNetBackprop.Network.Layers;
using MlNetBackprop.Network.Training;

namespace MlNetBackprop.Network.Inputs;

/// <summary>
/// Centres and scales every input to mean 0 and variance 1 over the training rows, x′ = (x − μ)·s with s = 1/σ, as
/// scikit-learn's users do with StandardScaler before its MLP. Features often arrive uncentred: ML.NET's
/// NormalizeMeanVariance keeps zero at zero (it divides by σ and subtracts nothing), NormalizeMinMax maps to [0, 1],
/// and one-hot columns are all zeros and ones; a network whose inputs all sit far from zero trains slower and settles
/// worse. Inputs that are only ever 0 or 1 are centred and not scaled. Training sees x′; afterwards <see cref="FoldInto"/> rewrites the first layer so that it reads x itself:
/// z = w′x′ + b′ = (w′·s)x + (b′ − (w′·s)μ), and the trained network is an ordinary one.
/// </summary>
internal sealed class InputStandardization
{
    private readonly double[] _mean;
    private readonly double[] _scale;

    private InputStandardization(double[] mean, double[] scale) => (_mean, _scale) = (mean, scale);

    /// <summary>The number of inputs.</summary>
    public int InputSize => _mean.Length;

    /// <summary>μ of every input.</summary>
    public ReadOnlySpan<double> Mean => _mean;

    /// <summary>s = 1/σ of every input (1 for an input that is only centred).</summary>
    public ReadOnlySpan<double> Scale => _scale;

    /// <summary>A standardization read back from storage.</summary>
    public static InputStandardization From(double[] mean, double[] scale)
        => mean.Length == scale.Length ? new(mean, scale) : throw new ArgumentException("The means and scales differ in number.");

    /// <summary>The first layer's weights and biases, copied (what <see cref="Checkpoint"/> keeps of a network that reads standardized rows).</summary>
    public (float[] Weights, float[] Biases) FirstLayerOf(FeedForwardNetwork<float> network)
    {
        var first = FirstLayer(network);
        return (first.Weights.ToArray(), (float[])first.Biases.Clone());
    }

    /// <summary>Sets the first layer back to weights and biases <see cref="FirstLayerOf"/> copied.</summary>
    public void RestoreFirstLayer(FeedForwardNetwork<float> network, float[] weights, float[] biases)
    {
        var first = FirstLayer(network);
        if (weights.Length != first.Weights.Length || biases.Length != first.Biases.Length)
            throw new ArgumentException("The saved first layer does not fit the network.");
        weights.CopyTo(first.Weights.Span);
        biases.CopyTo(first.Biases, 0);
    }

    /// <summary>μ and s of every input of the dense rows <paramref name="set"/> stores; an input that never varies, or is only 0 or 1, is only centred (s = 1).</summary>
    public static InputStandardization Of<T>(TrainingSet<T> set) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var inputs = set.StoredDenseInputs();
        int width = set.InputSize, rows = width == 0 ? 0 : inputs.Length / width;
        var mean = new double[width];
        var squares = new double[width];
        var indicator = Enumerable.Repeat(true, width).ToArray();
        // Two passes in double: the mean, then the squared deviations from it (no cancellation for large offsets).
        for (int r = 0; r < rows; r++)
        {
            var row = inputs.Slice(r * width, width);
            for (int k = 0; k < width; k++)
            {
                double v = double.CreateTruncating(row[k]);
                mean[k] += v;
                indicator[k] &= v == 0 || v == 1;
            }
        }
        for (int k = 0; k < width; k++) mean[k] = rows == 0 ? 0 : mean[k] / rows;
        for (int r = 0; r < rows; r++)
        {
            var row = inputs.Slice(r * width, width);
            for (int k = 0; k < width; k++)
            {
                double d = double.CreateTruncating(row[k]) - mean[k];
                squares[k] += d * d;
            }
        }
        var scale = new double[width];
        for (int k = 0; k < width; k++)
        {
            double deviation = rows == 0 ? 0 : Math.Sqrt(squares[k] / rows);
            // A 0/1 input (one-hot, a flag) is centred only, as scikit-learn's users leave OneHotEncoder's output unscaled:
            // scaling would make a category of frequency p worth 1/√p, so the rarest ones would dominate the first layer.
            scale[k] = !indicator[k] && deviation > 1e-12 * Math.Max(1, Math.Abs(mean[k])) && double.IsFinite(deviation) ? 1 / deviation : 1;
        }
        return new InputStandardization(mean, scale);
    }

    /// <summary>Replaces every stored input row of <paramref name="set"/> by x′ = (x − μ)·s, in place.</summary>
    public void Apply<T>(TrainingSet<T> set) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (set.InputSize != InputSize) throw new ArgumentException($"The set has {set.InputSize} inputs, not {InputSize}.", nameof(set));
        var inputs = set.StoredDenseInputs();
        for (int start = 0; start + InputSize <= inputs.Length; start += InputSize)
        {
            var row = inputs.Slice(start, InputSize);
            for (int k = 0; k < row.Length; k++)
                row[k] = T.CreateTruncating((double.CreateTruncating(row[k]) - _mean[k]) * _scale[k]);
        }
    }

    /// <summary>Rewrites the first layer of a network trained on x′ to read x: w = w′·s (per input), b = b′ − w·μ.</summary>
    public void FoldInto<T>(FeedForwardNetwork<T> network) where T : unmanaged, IFloatingPointIeee754<T> => Rewrite(network, fold: true);

    /// <summary>The inverse of <see cref="FoldInto"/>: makes a network that reads x read x′ (w′ = w/s, b′ = b + w·μ), so that training can continue it on standardized rows.</summary>
    public void UnfoldFrom<T>(FeedForwardNetwork<T> network) where T : unmanaged, IFloatingPointIeee754<T> => Rewrite(network, fold: false);

    /// <summary>
    /// Both directions in one loop, in double: each neuron's weights to or from the raw inputs' scale, and its bias
    /// shifted by Σₖ wₖμₖ with w the weights on the raw inputs.
    /// </summary>
    private void Rewrite<T>(FeedForwardNetwork<T> network, bool fold) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var first = FirstLayer(network);
        Span<T> weights = first.Weights.Span, biases = first.Biases;
        for (int j = 0; j < biases.Length; j++)
        {
            var row = weights.Slice(j * InputSize, InputSize);
            double shift = 0;
            for (int k = 0; k < InputSize; k++)
            {
                double stored = double.CreateTruncating(row[k]);
                double raw = fold ? stored * _scale[k] : stored;
                shift += raw * _mean[k];
                row[k] = T.CreateTruncating(fold ? raw : stored / _scale[k]);
            }
            biases[j] = T.CreateTruncating(double.CreateTruncating(biases[j]) + (fold ? -shift : shift));
        }
    }

    private DenseLayer<T> FirstLayer<T>(FeedForwardNetwork<T> network) where T : unmanaged, IFloatingPointIeee754<T>
        => network.Layers.Count > 0 && network.Layers[0] is DenseLayer<T> first && first.InputSize == InputSize ? first
            : throw new ArgumentException($"The network's first layer is not a dense layer of {InputSize} inputs.", nameof(network));
}
