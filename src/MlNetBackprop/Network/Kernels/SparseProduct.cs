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
    /// <paramref name="width"/> is the number of neurons. Each block of four vectors of z stays in registers while the
    /// example's non-zeros add their weights to it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward<T>(SparseRows<T> x, int rows, ReadOnlySpan<T> weights, int width, T scale, ReadOnlySpan<T> biases, Span<T> z,
        int start, int end) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = end - start, lanes = Vector256<T>.Count;
        ref T w = ref MemoryMarshal.GetReference(weights);
        for (int r = 0; r < rows; r++)
        {
            if (r + 1 < rows) Prefetch(x.IndicesOf(r + 1), weights, width, start, count);
            var zr = z.Slice(r * width + start, count);
            ref T zs = ref MemoryMarshal.GetReference(zr);
            ReadOnlySpan<T> values = x.ValuesOf(r);
            ReadOnlySpan<int> indices = x.IndicesOf(r);
            int j = 0;
            if (Simd.UseVectors)
            {
                for (; j + 4 * lanes <= count; j += 4 * lanes)
                {
                    var (a0, a1, a2, a3) = (Vector256<T>.Zero, Vector256<T>.Zero, Vector256<T>.Zero, Vector256<T>.Zero);
                    for (int i = 0; i < values.Length; i++)
                    {
                        ref T row = ref Unsafe.Add(ref w, (nint)indices[i] * width + start + j);
                        var v = Vector256.Create(values[i]);
                        a0 = Simd.MultiplyAdd(v, Vector256.LoadUnsafe(ref row), a0);
                        a1 = Simd.MultiplyAdd(v, Vector256.LoadUnsafe(ref Unsafe.Add(ref row, lanes)), a1);
                        a2 = Simd.MultiplyAdd(v, Vector256.LoadUnsafe(ref Unsafe.Add(ref row, 2 * lanes)), a2);
                        a3 = Simd.MultiplyAdd(v, Vector256.LoadUnsafe(ref Unsafe.Add(ref row, 3 * lanes)), a3);
                    }
                    a0.StoreUnsafe(ref Unsafe.Add(ref zs, j));
                    a1.StoreUnsafe(ref Unsafe.Add(ref zs, j + lanes));
                    a2.StoreUnsafe(ref Unsafe.Add(ref zs, j + 2 * lanes));
                    a3.StoreUnsafe(ref Unsafe.Add(ref zs, j + 3 * lanes));
                }
                for (; j + lanes <= count; j += lanes)
                {
                    var a = Vector256<T>.Zero;
                    for (int i = 0; i < values.Length; i++)
                        a = Simd.MultiplyAdd(Vector256.Create(values[i]), Vector256.LoadUnsafe(ref Unsafe.Add(ref w, (nint)indices[i] * width + start + j)), a);
                    a.StoreUnsafe(ref Unsafe.Add(ref zs, j));
                }
            }
            for (; j < count; j++)
            {
                T a = T.Zero;
                for (int i = 0; i < values.Length; i++)
                    a = Simd.MultiplyAdd(values[i], Unsafe.Add(ref w, (nint)indices[i] * width + start + j), a);
                zr[j] = a;
            }
            var b = biases.Slice(start, count);
            for (j = 0; j < count; j++)
                zr[j] = Simd.MultiplyAdd(scale, zr[j], b[j]);
        }
    }

    /// <summary>
    /// W[k, start..end) += Σ_r (step·x_rk)·E[r, start..end) for every non-zero x_rk: BP4's x_k·δ for each example, scaled,
    /// added to the rows of the inputs present (the gradient rows, or plain SGD's step into the weights). Each block of
    /// four vectors of the example's δ stays in registers while it is added to the rows of its non-zeros.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddOuterProducts<T>(SparseRows<T> x, int rows, ReadOnlySpan<T> errors, T step, Span<T> weights, int width, int start, int end)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = end - start, lanes = Vector256<T>.Count;
        ref T w = ref MemoryMarshal.GetReference(weights);
        for (int r = 0; r < rows; r++)
        {
            ref T delta = ref Unsafe.Add(ref MemoryMarshal.GetReference(errors), r * width + start);
            ReadOnlySpan<T> values = x.ValuesOf(r);
            ReadOnlySpan<int> indices = x.IndicesOf(r);
            int j = 0;
            if (Simd.UseVectors)
            {
                for (; j + 4 * lanes <= count; j += 4 * lanes)
                {
                    var d0 = Vector256.LoadUnsafe(ref Unsafe.Add(ref delta, j));
                    var d1 = Vector256.LoadUnsafe(ref Unsafe.Add(ref delta, j + lanes));
                    var d2 = Vector256.LoadUnsafe(ref Unsafe.Add(ref delta, j + 2 * lanes));
                    var d3 = Vector256.LoadUnsafe(ref Unsafe.Add(ref delta, j + 3 * lanes));
                    for (int i = 0; i < values.Length; i++)
                    {
                        ref T row = ref Unsafe.Add(ref w, (nint)indices[i] * width + start + j);
                        var a = Vector256.Create(step * values[i]);
                        Simd.MultiplyAdd(a, d0, Vector256.LoadUnsafe(ref row)).StoreUnsafe(ref row);
                        Simd.MultiplyAdd(a, d1, Vector256.LoadUnsafe(ref Unsafe.Add(ref row, lanes))).StoreUnsafe(ref Unsafe.Add(ref row, lanes));
                        Simd.MultiplyAdd(a, d2, Vector256.LoadUnsafe(ref Unsafe.Add(ref row, 2 * lanes))).StoreUnsafe(ref Unsafe.Add(ref row, 2 * lanes));
                        Simd.MultiplyAdd(a, d3, Vector256.LoadUnsafe(ref Unsafe.Add(ref row, 3 * lanes))).StoreUnsafe(ref Unsafe.Add(ref row, 3 * lanes));
                    }
                }
                for (; j + lanes <= count; j += lanes)
                {
                    var d = Vector256.LoadUnsafe(ref Unsafe.Add(ref delta, j));
                    for (int i = 0; i < values.Length; i++)
                    {
                        ref T row = ref Unsafe.Add(ref w, (nint)indices[i] * width + start + j);
                        Simd.MultiplyAdd(Vector256.Create(step * values[i]), d, Vector256.LoadUnsafe(ref row)).StoreUnsafe(ref row);
                    }
                }
            }
            for (; j < count; j++)
            {
                T d = Unsafe.Add(ref delta, j);
                for (int i = 0; i < values.Length; i++)
                {
                    ref T row = ref Unsafe.Add(ref w, (nint)indices[i] * width + start + j);
                    row = Simd.MultiplyAdd(step * values[i], d, row);
                }
            }
        }
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
