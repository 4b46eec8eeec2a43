using System.Numerics;
using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Inputs;
using MlNetBackprop.Network.Kernels;

namespace MlNetBackprop.Network.Layers;

/// <summary>
/// A fully connected first layer that reads sparse input rows: zˡ = wˡx + bˡ, aˡ = σ(zˡ), as a <see cref="DenseLayer{T}"/>
/// computes it, at the cost of the input's non-zeros instead of its width. A text feature vector of 10⁵ slots and 50
/// non-zeros costs 50 × n_out multiply-adds per example here, 10⁵ × n_out densely.
/// <list type="bullet">
/// <item>The weights are stored input-major, <c>Weights.Span[k·n_out + j]</c> = w_jk: the weights leaving input k are one
/// contiguous row, so that an input's non-zero adds one row to z, and BP4's ∂C/∂w_jk = x_k δ_j for an input present in
/// the batch is one row.</item>
/// <item>BP4 and the step reach only the rows of inputs present in the mini-batch. Chapter 3's weight decay
/// w → (1 − ηλ/n)·w must reach every weight every step, so the layer holds w = s·v and decays the one number s; the
/// step adds −(η/s)·∂C/∂w to v. <see cref="ApplyDeferredDecay"/> folds s into v. Plain SGD therefore trains the very
/// network the dense layer trains, up to rounding.</item>
/// <item>Optimizers that keep state per weight (momentum, Adam) see the weights as rows changed by a batch
/// (<see cref="Parameter{T}.RowWidth"/>) and move only those rows: the lazy rule of TensorFlow's LazyAdam and PyTorch's
/// SparseAdam.</item>
/// </list>
/// </summary>
internal sealed class SparseInputLayer<T>(int inputSize, int outputSize, Activation<T> activation)
    : FullyConnectedLayer<T>(inputSize, outputSize, activation, inputMajor: true) where T : unmanaged, IFloatingPointIeee754<T>
{
    // The batch's inputs renumbered by the place of their row in the gradient (see Backward), reused batch to batch.
    private SparseRows<T>? _renumbered;
    private int[] _places = [];

    /// <summary>What a message calls this kind of layer.</summary>
    private const string Name = "sparse input layer";

    /// <summary>
    /// A step that would take the deferred decay s below this applies the decay to every weight at once instead (a pass
    /// over every weight), long before v = w/s could overflow; a decay of 0 would make s 0.
    /// </summary>
    private static readonly T SmallestScale = T.CreateChecked(1e-4);

    private T _scale = T.One;

    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.SparseInput;

    /// <inheritdoc/>
    public override void Initialize(Random random, WeightInitialization kind)
    {
        _scale = T.One;
        base.Initialize(random, kind);
    }

    /// <inheritdoc/>
    public override void Forward(LayerInput<T> input, int rows, Memory<T> z, Memory<T> a, ParallelGemm<T> products)
    {
        // zˡ = wˡx + bˡ: each non-zero x_k adds x_k times the weights leaving input k; w = s·v, so the deferred decay s
        // scales the whole product
        products.SparseForward(input.SparseRows(Name), rows, Weights, OutputSize, _scale, Biases, z);
        // aˡ = σ(zˡ)
        int count = rows * OutputSize;
        Activation.Apply(z.Span[..count], a.Span[..count], OutputSize);
    }

    /// <inheritdoc/>
    public override void Backward(ReadOnlyMemory<T> delta, ReadOnlyMemory<T> scaledDelta, LayerInput<T> input, int rows, Memory<T> inputError,
        GradientStore<T> store, ParallelGemm<T> products)
    {
        if (!inputError.IsEmpty)
            throw new InvalidOperationException("A sparse input layer is the network's first layer: no error flows below it.");
        var x = input.SparseRows(Name);
        // BP3: ∂C/∂bⱼ = δⱼ, summed over the batch with each example's share
        store.LandRowSums(BiasParameter, scaledDelta.Span, rows);
        // BP4: ∂C/∂wⱼₖ = x_k δⱼ summed over the batch, formed only on the rows of inputs k present in the batch.
        var destination = store.Destination(WeightParameter);
        T step;
        if (destination.Update is var (alpha, decay))
        {
            // A step w → decay·w + α·∂C/∂w with w = s·v: s → decay·s, then v → v + (α/s)·∂C/∂w on the present rows.
            if (_scale * decay >= SmallestScale)
            {
                _scale *= decay;
            }
            else
            {
                // Decay so strong that s would vanish (a decay of 0 makes it exactly 0): apply it to every weight now.
                ApplyDeferredDecay();
                ElementWise.Multiply(Weights.Span, decay, Weights.Span);
            }
            step = alpha / _scale;
        }
        else
        {
            // The gradient of the rows the batch reached only, in the order they are first reached: the batch's inputs are
            // renumbered by their row's place, and the same product forms them (the same sums in the same order).
            var present = destination.Touched ?? throw new InvalidOperationException("The gradient of a block changed by rows must list its rows.");
            if (!destination.Memory.IsEmpty)
                throw new InvalidOperationException("A block changed by rows takes its gradient's room from the parameter, by the rows reached; the store gave a whole block.");
            present.Clear();
            _renumbered ??= new SparseRows<T>(InputSize, rows, x.NonZeros);
            _renumbered.Clear();
            for (int r = 0; r < rows; r++)
            {
                var indices = x.IndicesOf(r);
                if (_places.Length < indices.Length) _places = new int[int.Max(indices.Length, 2 * _places.Length)];
                for (int i = 0; i < indices.Length; i++)
                {
                    present.Mark(indices[i]);
                    _places[i] = present.PlaceOf(indices[i]);
                }
                _renumbered.Append(x.ValuesOf(r), _places.AsSpan(0, indices.Length));
            }
            var gradient = WeightParameter.GradientRows(present.Count);
            gradient.Span.Clear();
            products.SparseOuterProducts(_renumbered, rows, scaledDelta, T.One, gradient, OutputSize);
            return;
        }
        products.SparseOuterProducts(x, rows, scaledDelta, step, destination.Memory, OutputSize);
    }

    /// <summary>Folds the deferred decay into the weights: v → s·v, s → 1.</summary>
    public override void ApplyDeferredDecay()
    {
        if (_scale == T.One) return;
        ElementWise.Multiply(Weights.Span, _scale, Weights.Span);
        _scale = T.One;
    }
}
