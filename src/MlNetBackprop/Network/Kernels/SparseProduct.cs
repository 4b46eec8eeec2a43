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
        // An element's chain of fused multiply-adds does not depend on the lane count, so any native width will do.
        if (Simd.Widest >= VectorWidth.Bits256)
            Forward<T, Vector256<T>, Lanes256<T>>(x, rows, weights, width, scale, biases, z, start, end, vectors: true);
        else
            Forward<T, Vector128<T>, Lanes128<T>>(x, rows, weights, width, scale, biases, z, start, end, vectors: Simd.Widest == VectorWidth.Bits128);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Forward<T, TV, TL>(SparseRows<T> x, int rows, ReadOnlySpan<T> weights, int width, T scale, ReadOnlySpan<T> biases,
        Span<T> z, int start, int end, bool vectors)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct where TL : struct, IVectorLanes<TV, T>
    {
        int count = end - start, lanes = TL.Count;
        ref T w = ref MemoryMarshal.GetReference(weights);
        for (int r = 0; r < rows; r++)
        {
            if (r + 1 < rows) Prefetch(x.IndicesOf(r + 1), weights, width, start, count);
            var zr = z.Slice(r * width + start, count);
            ref T zs = ref MemoryMarshal.GetReference(zr);
            ReadOnlySpan<T> values = x.ValuesOf(r);
            ReadOnlySpan<int> indices = x.IndicesOf(r);
            int j = 0;
            if (vectors)
            {
                for (; j + 4 * lanes <= count; j += 4 * lanes)
                {
                    var (a0, a1, a2, a3) = (default(TV), default(TV), default(TV), default(TV));
                    for (int i = 0; i < values.Length; i++)
                    {
                        ref T row = ref Unsafe.Add(ref w, (nint)indices[i] * width + start + j);
                        var v = TL.Broadcast(values[i]);
                        a0 = TL.MultiplyAdd(v, TL.Load(ref row), a0);
                        a1 = TL.MultiplyAdd(v, TL.Load(ref Unsafe.Add(ref row, lanes)), a1);
                        a2 = TL.MultiplyAdd(v, TL.Load(ref Unsafe.Add(ref row, 2 * lanes)), a2);
                        a3 = TL.MultiplyAdd(v, TL.Load(ref Unsafe.Add(ref row, 3 * lanes)), a3);
                    }
                    TL.Store(a0, ref Unsafe.Add(ref zs, j));
                    TL.Store(a1, ref Unsafe.Add(ref zs, j + lanes));
                    TL.Store(a2, ref Unsafe.Add(ref zs, j + 2 * lanes));
                    TL.Store(a3, ref Unsafe.Add(ref zs, j + 3 * lanes));
                }
                for (; j + lanes <= count; j += lanes)
                {
                    TV a = default;
                    for (int i = 0; i < values.Length; i++)
                        a = TL.MultiplyAdd(TL.Broadcast(values[i]), TL.Load(ref Unsafe.Add(ref w, (nint)indices[i] * width + start + j)), a);
                    TL.Store(a, ref Unsafe.Add(ref zs, j));
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
        if (Simd.Widest >= VectorWidth.Bits256)
            AddOuterProducts<T, Vector256<T>, Lanes256<T>>(x, rows, errors, step, weights, width, start, end, vectors: true);
        else
            AddOuterProducts<T, Vector128<T>, Lanes128<T>>(x, rows, errors, step, weights, width, start, end, vectors: Simd.Widest == VectorWidth.Bits128);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddOuterProducts<T, TV, TL>(SparseRows<T> x, int rows, ReadOnlySpan<T> errors, T step, Span<T> weights, int width,
        int start, int end, bool vectors)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct where TL : struct, IVectorLanes<TV, T>
    {
        int count = end - start, lanes = TL.Count;
        ref T w = ref MemoryMarshal.GetReference(weights);
        for (int r = 0; r < rows; r++)
        {
            ref T delta = ref Unsafe.Add(ref MemoryMarshal.GetReference(errors), r * width + start);
            ReadOnlySpan<T> values = x.ValuesOf(r);
            ReadOnlySpan<int> indices = x.IndicesOf(r);
            int j = 0;
            if (vectors)
            {
                for (; j + 4 * lanes <= count; j += 4 * lanes)
                {
                    var d0 = TL.Load(ref Unsafe.Add(ref delta, j));
                    var d1 = TL.Load(ref Unsafe.Add(ref delta, j + lanes));
                    var d2 = TL.Load(ref Unsafe.Add(ref delta, j + 2 * lanes));
                    var d3 = TL.Load(ref Unsafe.Add(ref delta, j + 3 * lanes));
                    for (int i = 0; i < values.Length; i++)
                    {
                        ref T row = ref Unsafe.Add(ref w, (nint)indices[i] * width + start + j);
                        var a = TL.Broadcast(step * values[i]);
                        TL.Store(TL.MultiplyAdd(a, d0, TL.Load(ref row)), ref row);
                        TL.Store(TL.MultiplyAdd(a, d1, TL.Load(ref Unsafe.Add(ref row, lanes))), ref Unsafe.Add(ref row, lanes));
                        TL.Store(TL.MultiplyAdd(a, d2, TL.Load(ref Unsafe.Add(ref row, 2 * lanes))), ref Unsafe.Add(ref row, 2 * lanes));
                        TL.Store(TL.MultiplyAdd(a, d3, TL.Load(ref Unsafe.Add(ref row, 3 * lanes))), ref Unsafe.Add(ref row, 3 * lanes));
                    }
                }
                for (; j + lanes <= count; j += lanes)
                {
                    var d = TL.Load(ref Unsafe.Add(ref delta, j));
                    for (int i = 0; i < values.Length; i++)
                    {
                        ref T row = ref Unsafe.Add(ref w, (nint)indices[i] * width + start + j);
                        TL.Store(TL.MultiplyAdd(TL.Broadcast(step * values[i]), d, TL.Load(ref row)), ref row);
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
