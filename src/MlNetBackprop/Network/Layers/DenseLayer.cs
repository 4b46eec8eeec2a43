using System.Runtime.CompilerServices;
using System.Numerics;
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
    public override T[] Biases { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <inheritdoc cref="InitialWeights.Draw{T}"/>
    public override void Initialize(Random random, WeightInitialization kind)
        => InitialWeights.Draw(random, kind, InputSize, OutputSize, Weights.Span, Biases, inputMajor: false);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Forward(LayerInput<T> input, int rows, Memory<T> z, Memory<T> a, ParallelGemm<T> products)
    {
        // zˡ = wˡaˡ⁻¹ + bˡ for all rows at once: Zˡ = Aˡ⁻¹·(wˡ)ᵀ, bˡ added to each row as it is stored
        products.MultiplyByTransposed(input.DenseRows(Kind), Weights, z, rows, InputSize, OutputSize, Biases);
        // aˡ = σ(zˡ)
        int count = rows * OutputSize;
        Activation.Apply(z.Span[..count], a.Span[..count], OutputSize);
    }

    /// <inheritdoc/>
    public override void PropagateError(ReadOnlyMemory<T> delta, int rows, Memory<T> inputError, ParallelGemm<T> products)
        // (wˡ)ᵀδˡ for every example: the rows of δˡ·wˡ
        => products.Multiply(delta, Weights, inputError, rows, OutputSize, InputSize);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void ComputeGradient(ReadOnlyMemory<T> scaledErrors, LayerInput<T> input, int rows, IReadOnlyList<Memory<T>> gradient,
        IReadOnlyList<TouchedRows?> touched, ParallelGemm<T> products)
    {
        // BP3: ∂C/∂bⱼ = δⱼ, summed over the batch with each example's share
        SumRows(scaledErrors.Span, rows, gradient[1].Span);
        // BP4: ∂C/∂wⱼₖ = aₖδⱼ, summed over the batch: ∂C/∂wˡ = (δˡ)ᵀ·Aˡ⁻¹
        products.TransposeAndMultiply(scaledErrors, input.DenseRows(Kind), gradient[0], OutputSize, rows, InputSize);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Descend(ReadOnlyMemory<T> scaledErrors, LayerInput<T> input, int rows, T rate, T decay, Span<T> scratch,
        ParallelGemm<T> products)
    {
        // BP3 into the scratch row, then b → b − rate·∂C/∂b
        var biasGradient = scratch[..OutputSize];
        SumRows(scaledErrors.Span, rows, biasGradient);
        ElementWise.MultiplyAdd(biasGradient, -rate, Biases, Biases);
        // BP4 landing in the weights as it is computed: w → decay·w − rate·(δˡ)ᵀ·Aˡ⁻¹, one pass over w
        products.TransposeAndMultiplyInto(scaledErrors, input.DenseRows(Kind), Weights, OutputSize, rows, InputSize, -rate, decay);
    }

    /// <inheritdoc/>
    public override void CopyWeightsTo(Span<T> bookOrder) => Weights.Span.CopyTo(bookOrder);

    /// <inheritdoc/>
    public override void SetWeights(ReadOnlySpan<T> bookOrder) => bookOrder[..Weights.Length].CopyTo(Weights.Span);

    /// <summary>What a message calls this kind of layer.</summary>
    private const string Kind = "dense layer";

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
}
