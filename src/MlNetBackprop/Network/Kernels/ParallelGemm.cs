using System.Numerics;
using MlNetBackprop.Network.Inputs;

namespace MlNetBackprop.Network.Kernels;

/// <summary>
/// The matrix products a layer needs, by name, split by columns of the result across a <see cref="ParallelRunner"/>
/// when the product is large enough to pay for the hand-over. Because the <see cref="ForwardProduct"/> and <see cref="BackwardProduct"/> kernels compute every
/// element the same way whatever the split, the result is the same bits for any number of threads. One instance per
/// workspace; it holds the current product's operands so that a call allocates nothing. All matrices are row-major.
/// </summary>
internal sealed class ParallelGemm<T> : IParallelWork where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Products of fewer multiply-adds than this (about 10 µs of one core's work) run on the calling thread alone: handing
    /// a product over costs microseconds, and splitting smaller ones made 784-30-10 at batch 10 train 40% slower on two
    /// threads than on one. At this threshold a second thread costs nothing where splitting does not pay (batch 10) and
    /// gives 1.3–1.4× at batch 128.
    /// </summary>
    public const long ParallelThreshold = 1024 * 1024;

    /// <summary>A result narrower than this stays on one thread: two parts need at least a 512-bit block of 16 columns each.</summary>
    private const int MinimumColumnsToSplit = 32;

    /// <summary>Parts start and end on multiples of 16 columns, so that each part runs whole 512-bit (16-float) vector blocks.</summary>
    private const int SplitAlignment = 16;

    /// <summary>
    /// Sparse products of fewer multiply-adds than this run on the calling thread alone. They are bound by fetching the
    /// weight rows the non-zeros pick; at batch 10 of text features (57 non-zeros a row, 100 neurons: 57,000) splitting
    /// made the epoch slower (0.18 s against 0.16 s), so only batches several times larger are split.
    /// </summary>
    public const long SparseParallelThreshold = 256 * 1024;

    private enum Kind { Forward, Backward, SparseForward, SparseOuter }

    private readonly ParallelRunner? _runner;
    private Kind _kind;
    private SparseRows<T>? _sparse;
    private T _scale;
    private ReadOnlyMemory<T> _a, _b, _bias;
    private Memory<T> _c;
    private int _aRowStride, _aColumnStride, _m, _k, _n;
    private (T, T)? _update;

    /// <summary>Creates the splitter; a null runner means everything runs on the caller's thread.</summary>
    public ParallelGemm(ParallelRunner? runner) => _runner = runner;

    /// <summary>C[m×n] = A[m×k]·Bᵀ + bias, B being n×k: the forward product Z = A·wᵀ + b (see <see cref="ForwardProduct.MultiplyByTransposed{T}"/>).</summary>
    public void MultiplyByTransposed(ReadOnlyMemory<T> a, ReadOnlyMemory<T> b, Memory<T> c, int m, int k, int n, ReadOnlyMemory<T> bias = default)
    {
        if (!Parallel(m, k, n))
        {
            ForwardProduct.MultiplyByTransposed(a.Span, b.Span, c.Span, m, k, n, 0, n, bias.Span);
            return;
        }
        (_kind, _a, _b, _c, _m, _k, _n, _bias) = (Kind.Forward, a, b, c, m, k, n, bias);
        Run();
    }

    /// <summary>C[m×n] = A[m×k]·B[k×n]: BP2's product δ·w.</summary>
    public void Multiply(ReadOnlyMemory<T> a, ReadOnlyMemory<T> b, Memory<T> c, int m, int k, int n)
        => Product(a, k, 1, b, c, m, k, n, null);

    /// <summary>C[m×n] = Aᵀ·B[k×n], A being stored k×m: BP4's product δᵀ·a.</summary>
    public void TransposeAndMultiply(ReadOnlyMemory<T> a, ReadOnlyMemory<T> b, Memory<T> c, int m, int k, int n)
        => Product(a, 1, m, b, c, m, k, n, null);

    /// <summary>C → β·C + α·Aᵀ·B, A being stored k×m: BP4's product landing in the weights as a gradient step.</summary>
    public void TransposeAndMultiplyInto(ReadOnlyMemory<T> a, ReadOnlyMemory<T> b, Memory<T> c, int m, int k, int n, T alpha, T beta)
        => Product(a, 1, m, b, c, m, k, n, (alpha, beta));

    /// <summary>
    /// Aᵀ·B[k×n], A being stored k×m, landed at <paramref name="destination"/>: BP4's product written as a gradient, or
    /// applied to the weights as a step (C → β·C + α·Aᵀ·B).
    /// </summary>
    public void TransposeAndMultiply(ReadOnlyMemory<T> a, ReadOnlyMemory<T> b, Layers.GradientDestination<T> destination, int m, int k, int n)
        => Product(a, 1, m, b, destination.Memory, m, k, n, destination.Update);

    /// <summary>
    /// Z = s·X·W + b for sparse rows X and input-major weights W (n_in × <paramref name="width"/>): a sparse input layer's
    /// forward product (see <see cref="SparseProduct.Forward{T}"/>).
    /// </summary>
    public void SparseForward(SparseRows<T> x, int rows, ReadOnlyMemory<T> weights, int width, T scale, ReadOnlyMemory<T> biases, Memory<T> z)
    {
        if (!SparseParallel(x, rows, width))
        {
            SparseProduct.Forward(x, rows, weights.Span, width, scale, biases.Span, z.Span, 0, width);
            return;
        }
        (_kind, _sparse, _m, _n, _scale, _b, _bias, _c) = (Kind.SparseForward, x, rows, width, scale, weights, biases, z);
        Run();
    }

    /// <summary>
    /// W → W + step·Xᵀ·E on the rows of the inputs present in sparse rows X: BP4's x_k·δ summed over the batch into a
    /// gradient, or plain SGD's step into the weights (see <see cref="SparseProduct.AddOuterProducts{T}"/>).
    /// </summary>
    public void SparseOuterProducts(SparseRows<T> x, int rows, ReadOnlyMemory<T> errors, T step, Memory<T> weights, int width)
    {
        if (!SparseParallel(x, rows, width))
        {
            SparseProduct.AddOuterProducts(x, rows, errors.Span, step, weights.Span, width, 0, width);
            return;
        }
        (_kind, _sparse, _m, _n, _scale, _a, _c) = (Kind.SparseOuter, x, rows, width, step, errors, weights);
        Run();
    }

    /// <summary>Whether to split a sparse product of the batch <paramref name="x"/> (its rows are the batch) over <paramref name="width"/> neurons.</summary>
    private bool SparseParallel(SparseRows<T> x, int rows, int width)
        => _runner is { Threads: > 1 } && width >= MinimumColumnsToSplit && (long)x.NonZeros * width >= SparseParallelThreshold;

    private void Product(ReadOnlyMemory<T> a, int aRowStride, int aColumnStride, ReadOnlyMemory<T> b, Memory<T> c, int m, int k, int n, (T Alpha, T Beta)? update)
    {
        if (!Parallel(m, k, n))
        {
            BackwardProduct.Multiply(a.Span, aRowStride, aColumnStride, b.Span, c.Span, m, k, n, 0, n, update);
            return;
        }
        (_kind, _a, _b, _c, _m, _k, _n, _aRowStride, _aColumnStride, _update) = (Kind.Backward, a, b, c, m, k, n, aRowStride, aColumnStride, update);
        Run();
    }

    /// <inheritdoc/>
    public void Execute(int part, int parts)
    {
        int start = part * _n / parts / SplitAlignment * SplitAlignment;
        int end = part == parts - 1 ? _n : (part + 1) * _n / parts / SplitAlignment * SplitAlignment;
        if (start >= end) return;
        switch (_kind)
        {
            case Kind.Forward:
                ForwardProduct.MultiplyByTransposed(_a.Span, _b.Span, _c.Span, _m, _k, _n, start, end, _bias.Span);
                break;
            case Kind.Backward:
                BackwardProduct.Multiply(_a.Span, _aRowStride, _aColumnStride, _b.Span, _c.Span, _m, _k, _n, start, end, _update);
                break;
            case Kind.SparseForward:
                SparseProduct.Forward(_sparse!, _m, _b.Span, _n, _scale, _bias.Span, _c.Span, start, end);
                break;
            case Kind.SparseOuter:
                SparseProduct.AddOuterProducts(_sparse!, _m, _a.Span, _scale, _c.Span, _n, start, end);
                break;
        }
    }

    private bool Parallel(int m, int k, int n)
        => _runner is { Threads: > 1 } && n >= MinimumColumnsToSplit && (long)m * k * n >= ParallelThreshold;

    private void Run()
    {
        try
        {
            _runner!.Run(this);
        }
        finally
        {
            _a = _b = _bias = default; _c = default; _sparse = null; // hold no reference to the caller's buffers between calls
        }
    }
}
