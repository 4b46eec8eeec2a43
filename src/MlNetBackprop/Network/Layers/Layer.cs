using System.Runtime.CompilerServices;
using System.Numerics;
using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Kernels;

namespace MlNetBackprop.Network.Layers;

/// <summary>
/// One layer of the network: its parameters, its activation, its forward pass, and its share of backpropagation (the
/// product of BP2 that carries δ below it, and BP3 and BP4 for its own parameters). A mini-batch is a matrix with one
/// example per row, so the book's column vectors are rows here. The training loop and the optimizers see only this
/// class, so a new kind of layer is one new subclass.
/// </summary>
internal abstract class Layer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    protected Layer(int inputSize, int outputSize, Activation<T> activation)
    {
        if (inputSize < 1 || outputSize < 1)
            throw new ArgumentOutOfRangeException(nameof(inputSize), $"A layer of {inputSize} inputs and {outputSize} outputs: both need at least 1.");
        (InputSize, OutputSize, Activation) = (inputSize, outputSize, activation);
    }

    /// <summary>Values per input row (the width of the layer below).</summary>
    public int InputSize { get; }

    /// <summary>Neurons in the layer.</summary>
    public int OutputSize { get; }

    /// <summary>The activation σ of this layer's neurons.</summary>
    public Activation<T> Activation { get; }

    /// <summary>The trainable blocks, in a fixed order (a dense layer: weights, then biases).</summary>
    public abstract IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>Draws the starting parameters.</summary>
    public abstract void Initialize(Random random, WeightInitialization kind);

    /// <summary>zˡ = wˡaˡ⁻¹ + bˡ and aˡ = σ(zˡ) for <paramref name="rows"/> examples.</summary>
    public abstract void Forward(LayerInput<T> input, int rows, Memory<T> z, Memory<T> a, ParallelGemm<T> products);

    /// <summary>
    /// BP2's product: (wˡ)ᵀδˡ for every example, i.e. ∂C/∂aˡ⁻¹, which the layer below turns into its δ with its σ′.
    /// </summary>
    public abstract void PropagateError(ReadOnlyMemory<T> delta, int rows, Memory<T> inputError, ParallelGemm<T> products);

    /// <summary>
    /// BP3 and BP4 summed over the mini-batch: the gradient of each parameter block into <paramref name="gradient"/>
    /// (one array per block, in <see cref="Parameters"/>' order). <paramref name="scaledErrors"/> holds each example's δ
    /// multiplied by its share sₓ/m of the batch cost. A block changed by rows lists the rows it wrote in its entry of
    /// <paramref name="touched"/> and keeps its other rows zero.
    /// </summary>
    public abstract void ComputeGradient(ReadOnlyMemory<T> scaledErrors, LayerInput<T> input, int rows, IReadOnlyList<Memory<T>> gradient,
        IReadOnlyList<TouchedRows?> touched, ParallelGemm<T> products);

    /// <summary>
    /// BP3 and BP4 applied as plain SGD's step while they are computed: θ → decay·θ − rate·∂C/∂θ for regularised blocks,
    /// θ → θ − rate·∂C/∂θ for the others, without writing the gradient out. <paramref name="scratch"/> has room for
    /// <see cref="OutputSize"/> values.
    /// </summary>
    public abstract void Descend(ReadOnlyMemory<T> scaledErrors, LayerInput<T> input, int rows, T rate, T decay, Span<T> scratch,
        ParallelGemm<T> products);

    /// <summary>
    /// Applies any arithmetic the layer has deferred (a sparse input layer's pending weight decay), so that
    /// <see cref="Parameters"/> hold the layer's true values. The training loop calls it after every epoch, before the
    /// parameters are read; a layer that defers nothing does nothing.
    /// </summary>
    public virtual void Settle()
    {
    }

    /// <summary>The weights in the book's order, w[j·n_in + k] = w_jk (<see cref="InputSize"/> × <see cref="OutputSize"/> values).</summary>
    public abstract void CopyWeightsTo(Span<T> bookOrder);

    /// <summary>Sets the weights from the book's order (see <see cref="CopyWeightsTo"/>).</summary>
    public abstract void SetWeights(ReadOnlySpan<T> bookOrder);

    /// <summary>The bias vector bˡ.</summary>
    public abstract T[] Biases { get; }

    /// <summary>A deep copy in another precision (double for gradient checks, float for training).</summary>
    public abstract Layer<TOther> ConvertTo<TOther>() where TOther : unmanaged, IFloatingPointIeee754<TOther>;

    /// <summary>The sum of a batch's rows (each <see cref="OutputSize"/> wide) into <paramref name="sum"/>: BP3's sum over the batch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected void SumRows(ReadOnlySpan<T> batch, int rows, Span<T> sum)
    {
        sum.Clear();
        for (int r = 0; r < rows; r++)
            ElementWise.Add(sum, batch.Slice(r * OutputSize, OutputSize), sum);
    }
}
