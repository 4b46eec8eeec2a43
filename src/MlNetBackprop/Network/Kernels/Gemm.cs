using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MlNetBackprop.Network.Kernels;

/// <summary>
/// Dense row-major matrix products for the mini-batch forward and backward passes. Each method computes the
/// columns <c>[columnStart, columnEnd)</c> of its result, so callers may split a product across threads; the
/// value of an element never depends on that split.
/// </summary>
internal static class Gemm
{
    /// <summary>
    /// C[m×n] = A[m×k] · Bᵀ + bias where B is n×k: every element is the dot product of a row of A with a row of B,
    /// plus the bias of its column when <paramref name="bias"/> is not empty. This is the forward product
    /// z = w·a + b with the mini-batch as rows (A = activations, B = weights); the bias is added as each block of
    /// results is stored, instead of in another pass over Z.
    /// </summary>
    public static void MultiplyByTransposed<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c,
        int m, int k, int n, int columnStart, int columnEnd, ReadOnlySpan<T> bias = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(a.Length >= m * k && b.Length >= n * k && c.Length >= m * n && columnStart >= 0 && columnEnd <= n
              && (bias.IsEmpty || bias.Length >= n));
        ref T ra = ref MemoryMarshal.GetReference(a);
        ref T rb = ref MemoryMarshal.GetReference(b);
        var epilogue = new BiasEpilogue<T>(bias);
        int i = 0;
        for (; i + 4 <= m; i += 4)
        {
            // Four rows of A against four rows of B: sixteen independent accumulators, eight loads per sixteen FMAs.
            int j = columnStart;
            for (; j + 4 <= columnEnd; j += 4)
                DotBlock4x4(ref Unsafe.Add(ref ra, i * k), ref Unsafe.Add(ref rb, j * k), k, c, i, j, n, epilogue);
            for (; j < columnEnd; j++)
                for (int r = i; r < i + 4; r++)
                    c[r * n + j] = epilogue.Finish(Dot(ref Unsafe.Add(ref ra, r * k), ref Unsafe.Add(ref rb, j * k), k), j);
        }
        for (; i + 2 <= m; i += 2)
        {
            int j = columnStart;
            for (; j + 4 <= columnEnd; j += 4)
                DotBlock2x4(ref Unsafe.Add(ref ra, i * k), ref Unsafe.Add(ref rb, j * k), k, c, i, j, n, epilogue);
            for (; j < columnEnd; j++)
            {
                c[i * n + j] = epilogue.Finish(Dot(ref Unsafe.Add(ref ra, i * k), ref Unsafe.Add(ref rb, j * k), k), j);
                c[(i + 1) * n + j] = epilogue.Finish(Dot(ref Unsafe.Add(ref ra, (i + 1) * k), ref Unsafe.Add(ref rb, j * k), k), j);
            }
        }
        for (; i < m; i++)
        {
            // A lone row (a single example at scoring time) takes four weight rows at once: four independent
            // accumulator chains keep the FMA units busy where one chain would wait on each add's latency.
            int j = columnStart;
            for (; j + 4 <= columnEnd; j += 4)
                DotBlock1x4(ref Unsafe.Add(ref ra, i * k), ref Unsafe.Add(ref rb, j * k), k, c, i, j, n, epilogue);
            for (; j < columnEnd; j++)
                c[i * n + j] = epilogue.Finish(Dot(ref Unsafe.Add(ref ra, i * k), ref Unsafe.Add(ref rb, j * k), k), j);
        }
    }

    /// <summary>
    /// C[m×n] = op(A) · B where B is k×n and element (i, p) of op(A) is <c>a[i·aRowStride + p·aColumnStride]</c>.
    /// With strides (k, 1) this is A·B (BP2: δ·w); with strides (1, m) it is Aᵀ·B for a k×m matrix A
    /// (BP4: δᵀ·a). Each element accumulates its k products in order, one fused multiply-add at a time, so its value
    /// does not depend on the vector width: the kernel runs 512-bit vectors where the hardware has them, then 256- and
    /// 128-bit ones and scalars for the columns left over (<paramref name="widest"/> caps the width, for tests).
    /// With <paramref name="update"/>, C is not overwritten but updated: C → β·C + α·op(A)·B, which lets plain SGD
    /// apply BP4's gradient to the weights while it is computed, without a pass over a gradient buffer.
    /// </summary>
    public static void Multiply<T>(ReadOnlySpan<T> a, int aRowStride, int aColumnStride, ReadOnlySpan<T> b, Span<T> c,
        int m, int k, int n, int columnStart, int columnEnd, (T Alpha, T Beta)? update = null, VectorWidth? widest = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(b.Length >= k * n && c.Length >= m * n && columnStart >= 0 && columnEnd <= n
              && (m == 0 || k == 0 || a.Length > (m - 1) * aRowStride + (k - 1) * aColumnStride));
        var operands = new AxpyOperands<T>(ref MemoryMarshal.GetReference(a), aRowStride, aColumnStride,
            ref MemoryMarshal.GetReference(b), n, ref MemoryMarshal.GetReference(c), n, m, k);
        VectorWidth width = (VectorWidth)Math.Min((int)(widest ?? Simd.Widest), (int)Simd.Widest);
        if (update is var (alpha, beta))
            MultiplyCore(operands, columnStart, columnEnd, new Update<T>(alpha, beta), width);
        else
            MultiplyCore(operands, columnStart, columnEnd, default(Overwrite<T>), width);
    }

    /// <summary>The blocked product behind <see cref="Multiply{T}"/>: the widest vectors first, then narrower ones for what is left.</summary>
    private static void MultiplyCore<T, TStore>(in AxpyOperands<T> o, int columnStart, int columnEnd, TStore store, VectorWidth width)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TStore : struct, IStore<T>
    {
        int q = columnStart;
        if (width >= VectorWidth.Bits512)
            q = MultiplyPanels<T, TStore, Vector512<T>, Lanes512<T>>(o, q, columnEnd, store);
        if (width >= VectorWidth.Bits256)
        {
            q = MultiplyPanels<T, TStore, Vector256<T>, Lanes256<T>>(o, q, columnEnd, store);
            q = MultiplyPanels<T, TStore, Vector128<T>, Lanes128<T>>(o, q, columnEnd, store);
        }
        for (; q < columnEnd; q++)
            for (int i = 0; i < o.M; i++)
                AxpyScalar(o, i, q, store);
    }

    /// <summary>
    /// The columns from <paramref name="q"/> on in panels of four, two and one vectors of <typeparamref name="TV"/>;
    /// returns the first column left for narrower vectors. Column panels are outside and rows inside: the k×panel
    /// slice of B a block reads stays in the L1 cache while every block of rows passes over it.
    /// </summary>
    private static int MultiplyPanels<T, TStore, TV, TL>(in AxpyOperands<T> o, int q, int columnEnd, TStore store)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TStore : struct, IStore<T>
        where TV : struct
        where TL : struct, IVectorLanes<TV, T>
    {
        int w = TL.Count;
        for (; q + 4 * w <= columnEnd; q += 4 * w)
        {
            int i = 0;
            for (; i + 4 <= o.M; i += 4)
                AxpyBlock4x4<T, TStore, TV, TL>(o, i, q, store);
            for (; i < o.M; i++)
                for (int v = 0; v < 4; v++)
                    AxpyVector<T, TStore, TV, TL>(o, i, q + v * w, store);
        }
        for (; q + 2 * w <= columnEnd; q += 2 * w)
        {
            int i = 0;
            for (; i + 4 <= o.M; i += 4)
                AxpyBlock4x2<T, TStore, TV, TL>(o, i, q, store);
            for (; i < o.M; i++)
                for (int v = 0; v < 2; v++)
                    AxpyVector<T, TStore, TV, TL>(o, i, q + v * w, store);
        }
        for (; q + w <= columnEnd; q += w)
            for (int i = 0; i < o.M; i++)
                AxpyVector<T, TStore, TV, TL>(o, i, q, store);
        return q;
    }

    /// <summary>Dot product with the lane structure every caller shares: vector lanes, then their sum, then the tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Dot<T>(ref T x, ref T y, int k) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int p = 0;
        T sum = T.Zero;
        if (Simd.UseVectors)
        {
            int w = Vector256<T>.Count;
            var acc = Vector256<T>.Zero;
            for (; p + w <= k; p += w)
                acc = Simd.MultiplyAdd(Vector256.LoadUnsafe(ref x, (nuint)p), Vector256.LoadUnsafe(ref y, (nuint)p), acc);
            sum = Vector256.Sum(acc);
        }
        for (; p < k; p++)
            sum = Simd.MultiplyAdd(Unsafe.Add(ref x, p), Unsafe.Add(ref y, p), sum);
        return sum;
    }

    /// <summary>Four rows of A against four rows of B: sixteen dot products sharing their loads.</summary>
    private static void DotBlock4x4<T>(ref T a0, ref T b0, int k, Span<T> c, int i, int j, int n, BiasEpilogue<T> epilogue)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T a1 = ref Unsafe.Add(ref a0, k);
        ref T a2 = ref Unsafe.Add(ref a0, 2 * k);
        ref T a3 = ref Unsafe.Add(ref a0, 3 * k);
        ref T b1 = ref Unsafe.Add(ref b0, k);
        ref T b2 = ref Unsafe.Add(ref b0, 2 * k);
        ref T b3 = ref Unsafe.Add(ref b0, 3 * k);
        Span<T> sums = stackalloc T[16];
        int p = 0;
        if (Simd.UseVectors)
        {
            int w = Vector256<T>.Count;
            Vector256<T> c00 = default, c01 = default, c02 = default, c03 = default;
            Vector256<T> c10 = default, c11 = default, c12 = default, c13 = default;
            Vector256<T> c20 = default, c21 = default, c22 = default, c23 = default;
            Vector256<T> c30 = default, c31 = default, c32 = default, c33 = default;
            for (; p + w <= k; p += w)
            {
                var y0 = Vector256.LoadUnsafe(ref b0, (nuint)p);
                var y1 = Vector256.LoadUnsafe(ref b1, (nuint)p);
                var y2 = Vector256.LoadUnsafe(ref b2, (nuint)p);
                var y3 = Vector256.LoadUnsafe(ref b3, (nuint)p);
                var x = Vector256.LoadUnsafe(ref a0, (nuint)p);
                c00 = Simd.MultiplyAdd(x, y0, c00); c01 = Simd.MultiplyAdd(x, y1, c01); c02 = Simd.MultiplyAdd(x, y2, c02); c03 = Simd.MultiplyAdd(x, y3, c03);
                x = Vector256.LoadUnsafe(ref a1, (nuint)p);
                c10 = Simd.MultiplyAdd(x, y0, c10); c11 = Simd.MultiplyAdd(x, y1, c11); c12 = Simd.MultiplyAdd(x, y2, c12); c13 = Simd.MultiplyAdd(x, y3, c13);
                x = Vector256.LoadUnsafe(ref a2, (nuint)p);
                c20 = Simd.MultiplyAdd(x, y0, c20); c21 = Simd.MultiplyAdd(x, y1, c21); c22 = Simd.MultiplyAdd(x, y2, c22); c23 = Simd.MultiplyAdd(x, y3, c23);
                x = Vector256.LoadUnsafe(ref a3, (nuint)p);
                c30 = Simd.MultiplyAdd(x, y0, c30); c31 = Simd.MultiplyAdd(x, y1, c31); c32 = Simd.MultiplyAdd(x, y2, c32); c33 = Simd.MultiplyAdd(x, y3, c33);
            }
            sums[0] = Vector256.Sum(c00); sums[1] = Vector256.Sum(c01); sums[2] = Vector256.Sum(c02); sums[3] = Vector256.Sum(c03);
            sums[4] = Vector256.Sum(c10); sums[5] = Vector256.Sum(c11); sums[6] = Vector256.Sum(c12); sums[7] = Vector256.Sum(c13);
            sums[8] = Vector256.Sum(c20); sums[9] = Vector256.Sum(c21); sums[10] = Vector256.Sum(c22); sums[11] = Vector256.Sum(c23);
            sums[12] = Vector256.Sum(c30); sums[13] = Vector256.Sum(c31); sums[14] = Vector256.Sum(c32); sums[15] = Vector256.Sum(c33);
        }
        else
        {
            sums.Clear();
        }
        for (; p < k; p++)
        {
            T y0 = Unsafe.Add(ref b0, p), y1 = Unsafe.Add(ref b1, p), y2 = Unsafe.Add(ref b2, p), y3 = Unsafe.Add(ref b3, p);
            for (int r = 0; r < 4; r++)
            {
                T x = Unsafe.Add(ref a0, r * k + p);
                sums[r * 4] = Simd.MultiplyAdd(x, y0, sums[r * 4]);
                sums[r * 4 + 1] = Simd.MultiplyAdd(x, y1, sums[r * 4 + 1]);
                sums[r * 4 + 2] = Simd.MultiplyAdd(x, y2, sums[r * 4 + 2]);
                sums[r * 4 + 3] = Simd.MultiplyAdd(x, y3, sums[r * 4 + 3]);
            }
        }
        for (int r = 0; r < 4; r++)
            for (int t = 0; t < 4; t++)
                c[(i + r) * n + j + t] = epilogue.Finish(sums[r * 4 + t], j + t);
    }

    /// <summary>Two rows of A against four rows of B: eight dot products sharing their loads.</summary>
    private static void DotBlock2x4<T>(ref T a0, ref T b0, int k, Span<T> c, int i, int j, int n, BiasEpilogue<T> epilogue)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T a1 = ref Unsafe.Add(ref a0, k);
        ref T b1 = ref Unsafe.Add(ref b0, k);
        ref T b2 = ref Unsafe.Add(ref b0, 2 * k);
        ref T b3 = ref Unsafe.Add(ref b0, 3 * k);
        T s00 = T.Zero, s01 = T.Zero, s02 = T.Zero, s03 = T.Zero;
        T s10 = T.Zero, s11 = T.Zero, s12 = T.Zero, s13 = T.Zero;
        int p = 0;
        if (Simd.UseVectors)
        {
            int w = Vector256<T>.Count;
            Vector256<T> c00 = default, c01 = default, c02 = default, c03 = default;
            Vector256<T> c10 = default, c11 = default, c12 = default, c13 = default;
            for (; p + w <= k; p += w)
            {
                var x0 = Vector256.LoadUnsafe(ref a0, (nuint)p);
                var x1 = Vector256.LoadUnsafe(ref a1, (nuint)p);
                var y0 = Vector256.LoadUnsafe(ref b0, (nuint)p);
                var y1 = Vector256.LoadUnsafe(ref b1, (nuint)p);
                var y2 = Vector256.LoadUnsafe(ref b2, (nuint)p);
                var y3 = Vector256.LoadUnsafe(ref b3, (nuint)p);
                c00 = Simd.MultiplyAdd(x0, y0, c00); c01 = Simd.MultiplyAdd(x0, y1, c01);
                c02 = Simd.MultiplyAdd(x0, y2, c02); c03 = Simd.MultiplyAdd(x0, y3, c03);
                c10 = Simd.MultiplyAdd(x1, y0, c10); c11 = Simd.MultiplyAdd(x1, y1, c11);
                c12 = Simd.MultiplyAdd(x1, y2, c12); c13 = Simd.MultiplyAdd(x1, y3, c13);
            }
            s00 = Vector256.Sum(c00); s01 = Vector256.Sum(c01); s02 = Vector256.Sum(c02); s03 = Vector256.Sum(c03);
            s10 = Vector256.Sum(c10); s11 = Vector256.Sum(c11); s12 = Vector256.Sum(c12); s13 = Vector256.Sum(c13);
        }
        for (; p < k; p++)
        {
            T x0 = Unsafe.Add(ref a0, p), x1 = Unsafe.Add(ref a1, p);
            T y0 = Unsafe.Add(ref b0, p), y1 = Unsafe.Add(ref b1, p), y2 = Unsafe.Add(ref b2, p), y3 = Unsafe.Add(ref b3, p);
            s00 = Simd.MultiplyAdd(x0, y0, s00); s01 = Simd.MultiplyAdd(x0, y1, s01);
            s02 = Simd.MultiplyAdd(x0, y2, s02); s03 = Simd.MultiplyAdd(x0, y3, s03);
            s10 = Simd.MultiplyAdd(x1, y0, s10); s11 = Simd.MultiplyAdd(x1, y1, s11);
            s12 = Simd.MultiplyAdd(x1, y2, s12); s13 = Simd.MultiplyAdd(x1, y3, s13);
        }
        int r0 = i * n + j, r1 = r0 + n;
        c[r0] = epilogue.Finish(s00, j); c[r0 + 1] = epilogue.Finish(s01, j + 1); c[r0 + 2] = epilogue.Finish(s02, j + 2); c[r0 + 3] = epilogue.Finish(s03, j + 3);
        c[r1] = epilogue.Finish(s10, j); c[r1 + 1] = epilogue.Finish(s11, j + 1); c[r1 + 2] = epilogue.Finish(s12, j + 2); c[r1 + 3] = epilogue.Finish(s13, j + 3);
    }

    /// <summary>One row of A against four rows of B: four dot products sharing the row's loads.</summary>
    private static void DotBlock1x4<T>(ref T a0, ref T b0, int k, Span<T> c, int i, int j, int n, BiasEpilogue<T> epilogue)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T b1 = ref Unsafe.Add(ref b0, k);
        ref T b2 = ref Unsafe.Add(ref b0, 2 * k);
        ref T b3 = ref Unsafe.Add(ref b0, 3 * k);
        T s0 = T.Zero, s1 = T.Zero, s2 = T.Zero, s3 = T.Zero;
        int p = 0;
        if (Simd.UseVectors)
        {
            int w = Vector256<T>.Count;
            Vector256<T> c0 = default, c1 = default, c2 = default, c3 = default;
            for (; p + w <= k; p += w)
            {
                var x = Vector256.LoadUnsafe(ref a0, (nuint)p);
                c0 = Simd.MultiplyAdd(x, Vector256.LoadUnsafe(ref b0, (nuint)p), c0);
                c1 = Simd.MultiplyAdd(x, Vector256.LoadUnsafe(ref b1, (nuint)p), c1);
                c2 = Simd.MultiplyAdd(x, Vector256.LoadUnsafe(ref b2, (nuint)p), c2);
                c3 = Simd.MultiplyAdd(x, Vector256.LoadUnsafe(ref b3, (nuint)p), c3);
            }
            s0 = Vector256.Sum(c0); s1 = Vector256.Sum(c1); s2 = Vector256.Sum(c2); s3 = Vector256.Sum(c3);
        }
        for (; p < k; p++)
        {
            T x = Unsafe.Add(ref a0, p);
            s0 = Simd.MultiplyAdd(x, Unsafe.Add(ref b0, p), s0);
            s1 = Simd.MultiplyAdd(x, Unsafe.Add(ref b1, p), s1);
            s2 = Simd.MultiplyAdd(x, Unsafe.Add(ref b2, p), s2);
            s3 = Simd.MultiplyAdd(x, Unsafe.Add(ref b3, p), s3);
        }
        int r = i * n + j;
        c[r] = epilogue.Finish(s0, j); c[r + 1] = epilogue.Finish(s1, j + 1); c[r + 2] = epilogue.Finish(s2, j + 2); c[r + 3] = epilogue.Finish(s3, j + 3);
    }

    /// <summary>Four rows of C, four vectors wide: sixteen accumulators, eight loads per sixteen FMAs.</summary>
    private static void AxpyBlock4x4<T, TStore, TV, TL>(in AxpyOperands<T> o, int i, int q, TStore store)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TStore : struct, IStore<T>
        where TV : struct
        where TL : struct, IVectorLanes<TV, T>
    {
        int w = TL.Count;
        TV c00 = default, c01 = default, c02 = default, c03 = default;
        TV c10 = default, c11 = default, c12 = default, c13 = default;
        TV c20 = default, c21 = default, c22 = default, c23 = default;
        TV c30 = default, c31 = default, c32 = default, c33 = default;
        // Locals, not the operands' fields, inside the loop: the JIT keeps them in registers.
        ref T a0 = ref o.A(i, 0);
        ref T b0 = ref o.B(0, q);
        int ars = o.ARowStride, acs = o.AColumnStride, bStride = o.BStride, k = o.K;
        for (int p = 0; p < k; p++)
        {
            ref T bRow = ref Unsafe.Add(ref b0, p * bStride);
            var y0 = TL.Load(ref bRow);
            var y1 = TL.Load(ref Unsafe.Add(ref bRow, w));
            var y2 = TL.Load(ref Unsafe.Add(ref bRow, 2 * w));
            var y3 = TL.Load(ref Unsafe.Add(ref bRow, 3 * w));
            ref T ap = ref Unsafe.Add(ref a0, p * acs);
            var x = TL.Broadcast(ap);
            c00 = TL.MultiplyAdd(x, y0, c00); c01 = TL.MultiplyAdd(x, y1, c01); c02 = TL.MultiplyAdd(x, y2, c02); c03 = TL.MultiplyAdd(x, y3, c03);
            x = TL.Broadcast(Unsafe.Add(ref ap, ars));
            c10 = TL.MultiplyAdd(x, y0, c10); c11 = TL.MultiplyAdd(x, y1, c11); c12 = TL.MultiplyAdd(x, y2, c12); c13 = TL.MultiplyAdd(x, y3, c13);
            x = TL.Broadcast(Unsafe.Add(ref ap, 2 * ars));
            c20 = TL.MultiplyAdd(x, y0, c20); c21 = TL.MultiplyAdd(x, y1, c21); c22 = TL.MultiplyAdd(x, y2, c22); c23 = TL.MultiplyAdd(x, y3, c23);
            x = TL.Broadcast(Unsafe.Add(ref ap, 3 * ars));
            c30 = TL.MultiplyAdd(x, y0, c30); c31 = TL.MultiplyAdd(x, y1, c31); c32 = TL.MultiplyAdd(x, y2, c32); c33 = TL.MultiplyAdd(x, y3, c33);
        }
        ref T r0 = ref o.C(i, q);
        ref T r1 = ref Unsafe.Add(ref r0, o.CStride);
        ref T r2 = ref Unsafe.Add(ref r1, o.CStride);
        ref T r3 = ref Unsafe.Add(ref r2, o.CStride);
        store.Store<TV, TL>(c00, ref r0); store.Store<TV, TL>(c01, ref Unsafe.Add(ref r0, w)); store.Store<TV, TL>(c02, ref Unsafe.Add(ref r0, 2 * w)); store.Store<TV, TL>(c03, ref Unsafe.Add(ref r0, 3 * w));
        store.Store<TV, TL>(c10, ref r1); store.Store<TV, TL>(c11, ref Unsafe.Add(ref r1, w)); store.Store<TV, TL>(c12, ref Unsafe.Add(ref r1, 2 * w)); store.Store<TV, TL>(c13, ref Unsafe.Add(ref r1, 3 * w));
        store.Store<TV, TL>(c20, ref r2); store.Store<TV, TL>(c21, ref Unsafe.Add(ref r2, w)); store.Store<TV, TL>(c22, ref Unsafe.Add(ref r2, 2 * w)); store.Store<TV, TL>(c23, ref Unsafe.Add(ref r2, 3 * w));
        store.Store<TV, TL>(c30, ref r3); store.Store<TV, TL>(c31, ref Unsafe.Add(ref r3, w)); store.Store<TV, TL>(c32, ref Unsafe.Add(ref r3, 2 * w)); store.Store<TV, TL>(c33, ref Unsafe.Add(ref r3, 3 * w));
    }

    /// <summary>Four rows of C, two vectors wide: eight accumulators kept in registers across all of k.</summary>
    private static void AxpyBlock4x2<T, TStore, TV, TL>(in AxpyOperands<T> o, int i, int q, TStore store)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TStore : struct, IStore<T>
        where TV : struct
        where TL : struct, IVectorLanes<TV, T>
    {
        int w = TL.Count;
        TV c00 = default, c01 = default, c10 = default, c11 = default;
        TV c20 = default, c21 = default, c30 = default, c31 = default;
        ref T a0 = ref o.A(i, 0);
        ref T b0 = ref o.B(0, q);
        int ars = o.ARowStride, acs = o.AColumnStride, bStride = o.BStride, k = o.K;
        for (int p = 0; p < k; p++)
        {
            ref T bRow = ref Unsafe.Add(ref b0, p * bStride);
            var y0 = TL.Load(ref bRow);
            var y1 = TL.Load(ref Unsafe.Add(ref bRow, w));
            ref T ap = ref Unsafe.Add(ref a0, p * acs);
            var x0 = TL.Broadcast(ap);
            var x1 = TL.Broadcast(Unsafe.Add(ref ap, ars));
            var x2 = TL.Broadcast(Unsafe.Add(ref ap, 2 * ars));
            var x3 = TL.Broadcast(Unsafe.Add(ref ap, 3 * ars));
            c00 = TL.MultiplyAdd(x0, y0, c00); c01 = TL.MultiplyAdd(x0, y1, c01);
            c10 = TL.MultiplyAdd(x1, y0, c10); c11 = TL.MultiplyAdd(x1, y1, c11);
            c20 = TL.MultiplyAdd(x2, y0, c20); c21 = TL.MultiplyAdd(x2, y1, c21);
            c30 = TL.MultiplyAdd(x3, y0, c30); c31 = TL.MultiplyAdd(x3, y1, c31);
        }
        store.Store<TV, TL>(c00, ref o.C(i, q)); store.Store<TV, TL>(c01, ref o.C(i, q + w));
        store.Store<TV, TL>(c10, ref o.C(i + 1, q)); store.Store<TV, TL>(c11, ref o.C(i + 1, q + w));
        store.Store<TV, TL>(c20, ref o.C(i + 2, q)); store.Store<TV, TL>(c21, ref o.C(i + 2, q + w));
        store.Store<TV, TL>(c30, ref o.C(i + 3, q)); store.Store<TV, TL>(c31, ref o.C(i + 3, q + w));
    }

    /// <summary>One row of C, one vector wide.</summary>
    private static void AxpyVector<T, TStore, TV, TL>(in AxpyOperands<T> o, int i, int q, TStore store)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TStore : struct, IStore<T>
        where TV : struct
        where TL : struct, IVectorLanes<TV, T>
    {
        TV acc = default;
        ref T a0 = ref o.A(i, 0);
        ref T b0 = ref o.B(0, q);
        int acs = o.AColumnStride, bStride = o.BStride, k = o.K;
        for (int p = 0; p < k; p++)
            acc = TL.MultiplyAdd(TL.Broadcast(Unsafe.Add(ref a0, p * acs)), TL.Load(ref Unsafe.Add(ref b0, p * bStride)), acc);
        store.Store<TV, TL>(acc, ref o.C(i, q));
    }

    /// <summary>One element of C.</summary>
    private static void AxpyScalar<T, TStore>(in AxpyOperands<T> o, int i, int q, TStore store)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TStore : struct, IStore<T>
    {
        T acc = T.Zero;
        for (int p = 0; p < o.K; p++)
            acc = Simd.MultiplyAdd(o.A(i, p), o.B(p, q), acc);
        store.Store(acc, ref o.C(i, q));
    }

    /// <summary>The operands of <see cref="Multiply{T}"/> as references and strides, passed to every block by reference.</summary>
    private readonly ref struct AxpyOperands<T>(ref T a, int aRowStride, int aColumnStride, ref T b, int bStride, ref T c, int cStride, int m, int k)
        where T : unmanaged
    {
        private readonly ref T _a = ref a;
        private readonly ref T _b = ref b;
        private readonly ref T _c = ref c;
        public readonly int ARowStride = aRowStride, AColumnStride = aColumnStride, BStride = bStride, CStride = cStride, M = m, K = k;

        /// <summary>Element (i, p) of op(A).</summary>
        public ref T A(int i, int p) => ref Unsafe.Add(ref _a, i * ARowStride + p * AColumnStride);

        /// <summary>Element (p, q) of B.</summary>
        public ref T B(int p, int q) => ref Unsafe.Add(ref _b, p * BStride + q);

        /// <summary>Element (i, q) of C.</summary>
        public ref T C(int i, int q) => ref Unsafe.Add(ref _c, i * CStride + q);
    }

    /// <summary>Adds the column's bias to a finished dot product, when there is a bias: sum + b, the one rounding a separate pass would make.</summary>
    private readonly ref struct BiasEpilogue<T>(ReadOnlySpan<T> bias) where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly ReadOnlySpan<T> _bias = bias;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public T Finish(T sum, int column) => _bias.IsEmpty ? sum : sum + _bias[column];
    }

    /// <summary>How a finished accumulator lands in C; a struct type parameter, so the choice costs nothing in the loops.</summary>
    internal interface IStore<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        void Store<TV, TL>(TV acc, ref T c) where TV : struct where TL : struct, IVectorLanes<TV, T>;
        void Store(T acc, ref T c);
    }

    /// <summary>C = the product.</summary>
    private readonly struct Overwrite<T> : IStore<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Store<TV, TL>(TV acc, ref T c) where TV : struct where TL : struct, IVectorLanes<TV, T> => TL.Store(acc, ref c);
        public void Store(T acc, ref T c) => c = acc;
    }

    /// <summary>C → β·C + α·product, the same fused multiply-add at every width.</summary>
    private readonly struct Update<T>(T alpha, T beta) : IStore<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Store<TV, TL>(TV acc, ref T c) where TV : struct where TL : struct, IVectorLanes<TV, T>
            => TL.Store(TL.MultiplyAdd(TL.Broadcast(alpha), acc, TL.Multiply(TL.Broadcast(beta), TL.Load(ref c))), ref c);

        public void Store(T acc, ref T c) => c = Simd.MultiplyAdd(alpha, acc, beta * c);
    }

    private static void Check(bool condition)
    {
        // The kernels read through unchecked references: a wrong size must fail here, not corrupt memory.
        if (!condition)
            throw new ArgumentException("Matrix dimensions do not match the buffers given to the kernel.");
    }
}
