using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using MlNetBackprop.Network.Inputs;

namespace MlNetBackprop.Network.Kernels;

/// <summary>
/// The products of a sparse input layer, whose weights are stored input-major (row k holds the weights leaving input
/// k, one per neuron): each non-zero x_k of an example adds x_k times row k to the example's z, and BP4 adds x_k·δ to
/// row k. Each kernel works on the neurons [<c>start</c>, <c>end</c>) only, so that threads can split the neurons, and
/// computes every element with the same fused multiply-adds in the same order whatever the split: the same bits on any
/// number of threads. Compiled at full optimisation from the first call (the first epoch runs them millions of times).
/// </summary>
internal static class SparseProduct
{
    /// <summary>
    /// Z[r, start..end) = s·Σ_k x_rk·W[k, start..end) + b[start..end) for every row r of <paramref name="x"/>;
    /// <paramref name="width"/> is the number of neurons.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward<T>(SparseRows<T> x, int rows, ReadOnlySpan<T> weights, int width, T scale, ReadOnlySpan<T> biases, Span<T> z,
        int start, int end) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = end - start;
        for (int r = 0; r < rows; r++)
        {
            if (r + 1 < rows) Prefetch(x.IndicesOf(r + 1), weights, width, start, count);
            var zr = z.Slice(r * width + start, count);
            zr.Clear();
            ReadOnlySpan<T> values = x.ValuesOf(r);
            ReadOnlySpan<int> indices = x.IndicesOf(r);
            for (int i = 0; i < values.Length; i++)
                AddScaled(weights.Slice(indices[i] * width + start, count), values[i], zr);
            var b = biases.Slice(start, count);
            for (int j = 0; j < count; j++)
                zr[j] = Simd.MultiplyAdd(scale, zr[j], b[j]);
        }
    }

    /// <summary>
    /// W[k, start..end) += Σ_r (step·x_rk)·E[r, start..end) for every non-zero x_rk: BP4's x_k·δ for each example, scaled,
    /// added to the rows of the inputs present (the gradient rows, or plain SGD's step into the weights).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddOuterProducts<T>(SparseRows<T> x, int rows, ReadOnlySpan<T> errors, T step, Span<T> weights, int width, int start, int end)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = end - start;
        for (int r = 0; r < rows; r++)
        {
            var delta = errors.Slice(r * width + start, count);
            ReadOnlySpan<T> values = x.ValuesOf(r);
            ReadOnlySpan<int> indices = x.IndicesOf(r);
            for (int i = 0; i < values.Length; i++)
                AddScaled(delta, step * values[i], weights.Slice(indices[i] * width + start, count));
        }
    }

    /// <summary>y → a·x + y, element by element with one fused multiply-add each (vector lanes and the scalar tail alike).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddScaled<T>(ReadOnlySpan<T> x, T a, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Simd.UseVectors)
        {
            ref T xs = ref MemoryMarshal.GetReference(x);
            ref T ys = ref MemoryMarshal.GetReference(y);
            var va = Vector256.Create(a);
            for (; i + Vector256<T>.Count <= y.Length; i += Vector256<T>.Count)
            {
                ref T at = ref Unsafe.Add(ref ys, i);
                Simd.MultiplyAdd(va, Vector256.LoadUnsafe(ref Unsafe.Add(ref xs, i)), Vector256.LoadUnsafe(ref at)).StoreUnsafe(ref at);
            }
        }
        for (; i < y.Length; i++)
            y[i] = Simd.MultiplyAdd(a, x[i], y[i]);
    }

    /// <summary>
    /// Asks the cache for the next example's weight rows while this one is computed: they lie anywhere in a matrix far
    /// larger than the cache, so each would otherwise be fetched only when reached.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Prefetch<T>(ReadOnlySpan<int> indices, ReadOnlySpan<T> weights, int width, int start, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Sse.IsSupported) return;
        int lineElements = 64 / sizeof(T);
        fixed (T* w = weights)
            foreach (int k in indices)
            {
                T* row = w + (long)k * width + start;
                for (int offset = 0; offset < count; offset += lineElements)
                    Sse.Prefetch0(row + offset);
            }
    }
}
