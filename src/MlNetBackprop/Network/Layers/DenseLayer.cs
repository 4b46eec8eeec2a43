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
internal sealed class DenseLayer<T>(int inputSize, int outputSize, Activation<T> activation)
    : FullyConnectedLayer<T>(inputSize, outputSize, activation, inputMajor: false) where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>What a message calls this kind of layer.</summary>
    private const string Name = "dense layer";

    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.Dense;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Forward(LayerInput<T> input, int rows, Memory<T> z, Memory<T> a, ParallelGemm<T> products)
    {
        // zˡ = wˡaˡ⁻¹ + bˡ for all rows at once: Zˡ = Aˡ⁻¹·(wˡ)ᵀ, bˡ added to each row as it is stored
        products.MultiplyByTransposed(input.DenseRows(Name), Weights, z, rows, InputSize, OutputSize, Biases);
        // aˡ = σ(zˡ)
        int count = rows * OutputSize;
        Activation.Apply(z.Span[..count], a.Span[..count], OutputSize);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Backward(ReadOnlyMemory<T> delta, ReadOnlyMemory<T> scaledDelta, LayerInput<T> input, int rows, Memory<T> inputError,
        GradientStore<T> store, ParallelGemm<T> products)
    {
        // BP2's product: (wˡ)ᵀδˡ for every example, the rows of δˡ·wˡ, before this batch's step can move w
        if (!inputError.IsEmpty)
            products.Multiply(delta, Weights, inputError, rows, OutputSize, InputSize);
        // BP3: ∂C/∂bⱼ = δⱼ, summed over the batch with each example's share
        store.LandRowSums(BiasParameter, scaledDelta.Span, rows);
        // BP4: ∂C/∂wⱼₖ = aₖδⱼ, summed over the batch: ∂C/∂wˡ = (δˡ)ᵀ·Aˡ⁻¹
        products.TransposeAndMultiply(scaledDelta, input.DenseRows(Name), store.Destination(WeightParameter), OutputSize, rows, InputSize);
    }
}
