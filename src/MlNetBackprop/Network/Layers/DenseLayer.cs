using System.Numerics;
using System.Numerics.Tensors;
using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Kernels;

namespace MlNetBackprop.Network.Layers;

/// <summary>
/// A fully connected layer, Nielsen's: zˡ = wˡaˡ⁻¹ + bˡ, aˡ = σ(zˡ). Weights are stored as in the book,
/// <c>Weights.Span[j·n_in + k]</c> = w_jk, the weight from neuron k of the layer below to neuron j. With examples as rows,
/// zˡ = wˡaˡ⁻¹ becomes Zˡ = Aˡ⁻¹·(wˡ)ᵀ.
/// </summary>
internal sealed class DenseLayer<T> : Layer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T>[] _parameters;

    /// <summary>A layer with all weights and biases zero.</summary>
    public DenseLayer(int inputSize, int outputSize, Activation<T> activation) : base(inputSize, outputSize, activation)
    {
        Weights = AlignedStorage.Allocate<T>(checked(outputSize * inputSize));
        Biases = new T[outputSize];
        _parameters = [new(Weights, Regularized: true), new(Biases, Regularized: false)];
    }

    /// <summary>The weight matrix wˡ (n_out × n_in, row-major), starting on a cache line (see <see cref="AlignedStorage"/>).</summary>
    public Memory<T> Weights { get; }

    /// <summary>The bias vector bˡ (n_out).</summary>
    public T[] Biases { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <summary>
    /// The default is chapter 3's: weights from N(0, 1/n_in), so that z does not saturate the neuron, and biases from
    /// N(0, 1). See <see cref="WeightInitialization"/> for the others.
    /// </summary>
    public override void Initialize(Random random, WeightInitialization kind)
    {
        double glorotLimit = Math.Sqrt(6.0 / (InputSize + OutputSize));
        double scale = kind switch
        {
            WeightInitialization.ScaledGaussian => 1.0 / Math.Sqrt(InputSize),
            WeightInitialization.Gaussian => 1.0,
            WeightInitialization.Glorot => glorotLimit,
            WeightInitialization.He => Math.Sqrt(2.0 / InputSize),
        };
        foreach (ref T w in Weights.Span)
            w = T.CreateChecked(kind == WeightInitialization.Glorot ? (2 * random.NextDouble() - 1) * scale : Gaussian.Next(random) * scale);
        // Nielsen draws biases from N(0, 1); Glorot's and He's schemes start them at zero.
        bool gaussianBiases = kind is WeightInitialization.Gaussian or WeightInitialization.ScaledGaussian;
        foreach (ref T b in Biases.AsSpan())
            b = gaussianBiases ? T.CreateChecked(Gaussian.Next(random)) : T.Zero;
    }

    /// <inheritdoc/>
    public override void Forward(ReadOnlyMemory<T> input, int rows, Memory<T> z, Memory<T> a, ParallelGemm<T> products)
    {
        // zˡ = wˡaˡ⁻¹ + bˡ for all rows at once: Zˡ = Aˡ⁻¹·(wˡ)ᵀ, bˡ added to each row as it is stored
        products.MultiplyByTransposed(input, Weights, z, rows, InputSize, OutputSize, Biases);
        // aˡ = σ(zˡ)
        int count = rows * OutputSize;
        Activation.Apply(z.Span[..count], a.Span[..count], OutputSize);
    }

    /// <inheritdoc/>
    public override void PropagateError(ReadOnlyMemory<T> delta, int rows, Memory<T> inputError, ParallelGemm<T> products)
        // (wˡ)ᵀδˡ for every example: the rows of δˡ·wˡ
        => products.Multiply(delta, Weights, inputError, rows, OutputSize, InputSize);

    /// <inheritdoc/>
    public override void ComputeGradient(ReadOnlyMemory<T> scaledErrors, ReadOnlyMemory<T> input, int rows, IReadOnlyList<Memory<T>> gradient,
        ParallelGemm<T> products)
    {
        // BP3: ∂C/∂bⱼ = δⱼ, summed over the batch with each example's share
        SumRows(scaledErrors.Span, rows, gradient[1].Span);
        // BP4: ∂C/∂wⱼₖ = aₖδⱼ, summed over the batch: ∂C/∂wˡ = (δˡ)ᵀ·Aˡ⁻¹
        products.TransposeAndMultiply(scaledErrors, input, gradient[0], OutputSize, rows, InputSize);
    }

    /// <inheritdoc/>
    public override void Descend(ReadOnlyMemory<T> scaledErrors, ReadOnlyMemory<T> input, int rows, T rate, T decay, Span<T> scratch,
        ParallelGemm<T> products)
    {
        // BP3 into the scratch row, then b → b − rate·∂C/∂b
        var biasGradient = scratch[..OutputSize];
        SumRows(scaledErrors.Span, rows, biasGradient);
        TensorPrimitives.MultiplyAdd(biasGradient, -rate, Biases, Biases);
        // BP4 landing in the weights as it is computed: w → decay·w − rate·(δˡ)ᵀ·Aˡ⁻¹, one pass over w
        products.TransposeAndMultiplyInto(scaledErrors, input, Weights, OutputSize, rows, InputSize, -rate, decay);
    }

    /// <inheritdoc/>
    public override Layer<TOther> ConvertTo<TOther>()
    {
        var copy = new DenseLayer<TOther>(InputSize, OutputSize, Activation<TOther>.Create(Activation.Kind));
        Convert(Weights.Span, copy.Weights.Span);
        Convert(Biases, copy.Biases);
        return copy;

        static void Convert(ReadOnlySpan<T> from, Span<TOther> to)
        {
            for (int i = 0; i < from.Length; i++)
                to[i] = TOther.CreateChecked(from[i]);
        }
    }

    /// <summary>The sum of a batch's rows (each <see cref="Layer{T}.OutputSize"/> wide) into <paramref name="sum"/>.</summary>
    private void SumRows(ReadOnlySpan<T> batch, int rows, Span<T> sum)
    {
        sum.Clear();
        for (int r = 0; r < rows; r++)
            TensorPrimitives.Add(sum, batch.Slice(r * OutputSize, OutputSize), sum);
    }
}
