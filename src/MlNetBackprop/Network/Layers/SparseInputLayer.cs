using System.Numerics;
using MlNetBackprop.Network.Activations;
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
/// step adds −(η/s)·∂C/∂w to v. <see cref="Settle"/> folds s into v. Plain SGD therefore trains the very network the
/// dense layer trains, up to rounding.</item>
/// <item>Optimizers that keep state per weight (momentum, Adam) see the weights as rows changed by a batch
/// (<see cref="Parameter{T}.RowWidth"/>) and move only those rows: the lazy rule of TensorFlow's LazyAdam and PyTorch's
/// SparseAdam.</item>
/// </list>
/// </summary>
internal sealed class SparseInputLayer<T> : Layer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>What a message calls this kind of layer.</summary>
    private const string Kind = "sparse input layer";

    /// <summary>
    /// A step that would take the deferred decay s below this applies the decay to every weight at once instead (a pass
    /// over every weight), long before v = w/s could overflow; a decay of 0 would make s 0.
    /// </summary>
    private static readonly T SmallestScale = T.CreateChecked(1e-4);

    private readonly Parameter<T>[] _parameters;
    private T _scale = T.One;

    /// <summary>A layer with all weights and biases zero.</summary>
    public SparseInputLayer(int inputSize, int outputSize, Activation<T> activation) : base(inputSize, outputSize, activation)
    {
        Weights = AlignedStorage.Allocate<T>(checked(outputSize * inputSize));
        Biases = new T[outputSize];
        _parameters = [new(Weights, Regularized: true, RowWidth: outputSize), new(Biases, Regularized: false)];
    }

    /// <summary>
    /// The weights v, input-major (n_in × n_out): w_jk = s·v[k·n_out + j]. Between epochs, and whenever
    /// <see cref="Parameters"/> are read, s is 1 (see <see cref="Settle"/>).
    /// </summary>
    public Memory<T> Weights { get; }

    /// <inheritdoc/>
    public override T[] Biases { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <inheritdoc cref="InitialWeights.Draw{T}"/>
    public override void Initialize(Random random, WeightInitialization kind)
    {
        _scale = T.One;
        InitialWeights.Draw(random, kind, InputSize, OutputSize, Weights.Span, Biases, inputMajor: true);
    }

    /// <inheritdoc/>
    public override void Forward(LayerInput<T> input, int rows, Memory<T> z, Memory<T> a, ParallelGemm<T> products)
    {
        // zˡ = wˡx + bˡ: each non-zero x_k adds x_k times the weights leaving input k; w = s·v, so the deferred decay s
        // scales the whole product
        products.SparseForward(input.SparseRows(Kind), rows, Weights, OutputSize, _scale, Biases, z);
        // aˡ = σ(zˡ)
        int count = rows * OutputSize;
        Activation.Apply(z.Span[..count], a.Span[..count], OutputSize);
    }

    /// <inheritdoc/>
    public override void PropagateError(ReadOnlyMemory<T> delta, int rows, Memory<T> inputError, ParallelGemm<T> products)
        => throw new InvalidOperationException("A sparse input layer is the network's first layer: no error flows below it.");

    /// <inheritdoc/>
    public override void ComputeGradient(ReadOnlyMemory<T> scaledErrors, LayerInput<T> input, int rows, IReadOnlyList<Memory<T>> gradient,
        IReadOnlyList<TouchedRows?> touched, ParallelGemm<T> products)
    {
        var x = input.SparseRows(Kind);
        var errors = scaledErrors.Span;
        // BP3: ∂C/∂bⱼ = δⱼ, summed over the batch with each example's share
        SumRows(errors, rows, gradient[1].Span);
        // BP4: ∂C/∂wⱼₖ = x_k δⱼ summed over the batch, formed only for inputs k present in the batch. The rows the last
        // batch wrote are cleared first, so that every other row of the block stays zero.
        var dw = gradient[0].Span;
        var present = touched[0] ?? throw new ArgumentException("The weights' gradient must list its touched rows.", nameof(touched));
        foreach (int k in present.Rows)
            dw.Slice(k * OutputSize, OutputSize).Clear();
        present.Clear();
        for (int r = 0; r < rows; r++)
            foreach (int k in x.IndicesOf(r))
                if (present.Mark(k)) dw.Slice(k * OutputSize, OutputSize).Clear();
        products.SparseOuterProducts(x, rows, scaledErrors, T.One, gradient[0], OutputSize);
    }

    /// <inheritdoc/>
    public override void Descend(ReadOnlyMemory<T> scaledErrors, LayerInput<T> input, int rows, T rate, T decay, Span<T> scratch,
        ParallelGemm<T> products)
    {
        var x = input.SparseRows(Kind);
        var errors = scaledErrors.Span;
        // BP3 into the scratch row, then b → b − rate·∂C/∂b
        var biasGradient = scratch[..OutputSize];
        SumRows(errors, rows, biasGradient);
        ElementWise.MultiplyAdd(biasGradient, -rate, Biases, Biases);
        // w → decay·w − rate·∂C/∂w with w = s·v: s → decay·s, then v → v − (rate/s)·∂C/∂w on the rows of present inputs,
        // each example's x_k δ added as BP4 forms it
        if (_scale * decay >= SmallestScale)
        {
            _scale *= decay;
        }
        else
        {
            // Decay so strong that s would vanish (a decay of 0 makes it exactly 0): apply it to every weight now.
            Settle();
            ElementWise.Multiply(Weights.Span, decay, Weights.Span);
        }
        products.SparseOuterProducts(x, rows, scaledErrors, -rate / _scale, Weights, OutputSize);
    }

    /// <summary>Folds the deferred decay into the weights: v → s·v, s → 1.</summary>
    public override void Settle()
    {
        if (_scale == T.One) return;
        ElementWise.Multiply(Weights.Span, _scale, Weights.Span);
        _scale = T.One;
    }

    /// <inheritdoc/>
    public override void CopyWeightsTo(Span<T> bookOrder)
    {
        var weights = Weights.Span;
        for (int k = 0; k < InputSize; k++)
            for (int j = 0; j < OutputSize; j++)
                bookOrder[j * InputSize + k] = _scale * weights[k * OutputSize + j];
    }

    /// <inheritdoc/>
    public override void SetWeights(ReadOnlySpan<T> bookOrder)
    {
        var weights = Weights.Span;
        for (int k = 0; k < InputSize; k++)
            for (int j = 0; j < OutputSize; j++)
                weights[k * OutputSize + j] = bookOrder[j * InputSize + k];
        _scale = T.One;
    }

    /// <inheritdoc/>
    public override Layer<TOther> ConvertTo<TOther>()
    {
        var copy = new SparseInputLayer<TOther>(InputSize, OutputSize, Activation<TOther>.Create(Activation.Kind));
        Span<T> from = Weights.Span;
        Span<TOther> to = copy.Weights.Span;
        for (int i = 0; i < from.Length; i++)
            to[i] = TOther.CreateChecked(_scale * from[i]);
        for (int j = 0; j < OutputSize; j++)
            copy.Biases[j] = TOther.CreateChecked(Biases[j]);
        return copy;
    }
}
