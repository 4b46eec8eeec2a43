using System.Numerics;
using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Export;
using MlNetBackprop.Network.Kernels;

namespace MlNetBackprop.Network.Layers;

/// <summary>
/// One layer of the network, as <c>nn.Module</c> is in PyTorch: its parameters (each owning its gradient), its
/// activation, its forward pass, its backward pass (the product of BP2 that carries δ below it, and BP3 and BP4 for its
/// own parameters) and its ONNX nodes. A mini-batch is a matrix with one example per row, so the book's column vectors
/// are rows here. The network, the training loop, the optimizers and the storage see only this class; a new kind of
/// layer is one subclass and its lines in <see cref="LayerKinds"/>.
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

    /// <summary>Values per output row.</summary>
    public int OutputSize { get; }

    /// <summary>The activation σ applied to the layer's z.</summary>
    public Activation<T> Activation { get; }

    /// <summary>The layer's kind, its code in a stored network.</summary>
    public abstract LayerKind Kind { get; }

    /// <summary>The layer without its numbers.</summary>
    public LayerShape Shape => new(Kind, InputSize, OutputSize, Activation.Kind);

    /// <summary>The trainable blocks, in a fixed order (a dense layer: weights, then biases); empty for a fixed layer.</summary>
    public abstract IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>Numbers the layer stores that training does not change (a standardization's means and scales); after the parameters in storage.</summary>
    public virtual IReadOnlyList<Memory<T>> Constants => [];

    /// <summary>Every number the layer stores, in storage order: each parameter's values, then the constants.</summary>
    public IEnumerable<Memory<T>> StoredBlocks => Parameters.Select(p => p.Values).Concat(Constants);

    /// <summary>Draws the starting parameters (a fixed layer keeps its constants).</summary>
    public abstract void Initialize(Random random, WeightInitialization kind);

    /// <summary>zˡ and aˡ = σ(zˡ) for <paramref name="rows"/> examples; a layer without an activation may write a alone.</summary>
    public abstract void Forward(LayerInput<T> input, int rows, Memory<T> z, Memory<T> a, ParallelGemm<T> products);

    /// <summary>
    /// The layer's share of backpropagation for a batch of <paramref name="rows"/> examples whose errors δˡ = ∂C/∂zˡ are
    /// <paramref name="delta"/>: first BP2's product ∂C/∂aˡ⁻¹ into <paramref name="inputError"/> (skipped when it is empty:
    /// no layer below has parameters), with the parameters as they were for the forward pass; then BP3 and BP4 for each
    /// parameter, from <paramref name="scaledDelta"/> (each example's δ times its share sₓ/m of the batch cost), landed
    /// where <paramref name="store"/> says.
    /// </summary>
    public abstract void Backward(ReadOnlyMemory<T> delta, ReadOnlyMemory<T> scaledDelta, LayerInput<T> input, int rows, Memory<T> inputError,
        GradientStore<T> store, ParallelGemm<T> products);

    /// <summary>
    /// Applies a decay the layer keeps aside to save passes over its weights (a sparse input layer's), so that
    /// <see cref="Parameters"/> hold the layer's true values. The training loop calls it after every epoch, before the
    /// parameters are read; a layer that defers nothing does nothing.
    /// </summary>
    public virtual void ApplyDeferredDecay()
    {
    }

    /// <summary>The layer's z as ONNX nodes reading the float [N, n_in] value <paramref name="input"/>; returns z's name.</summary>
    public abstract string ToOnnx(OnnxGraphBuilder graph, string input);

    /// <summary>A deep copy in another precision (double for gradient checks, float for training), with the same group settings.</summary>
    public Layer<TOther> ConvertTo<TOther>() where TOther : unmanaged, IFloatingPointIeee754<TOther>
    {
        ApplyDeferredDecay();
        var copy = LayerKinds.Create<TOther>(Shape);
        foreach (var (from, to) in StoredBlocks.Zip(copy.StoredBlocks))
        {
            var source = from.Span;
            var target = to.Span;
            for (int i = 0; i < source.Length; i++)
                target[i] = TOther.CreateChecked(source[i]);
        }
        foreach (var (from, to) in Parameters.Zip(copy.Parameters))
            (to.Decays, to.LearningRateFactor) = (from.Decays, from.LearningRateFactor);
        return copy;
    }
}
