using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MlNetBackprop.Network.Kernels;

/// <summary>
/// The backward passes' dense row-major products, C = op(A)·B: BP2's δ·w and BP4's δᵀ·a. Like
/// <see cref="ForwardProduct"/> each computes the columns <c>[columnStart, columnEnd)</c> of its result, and an
/// element's value never depends on that split. How results land in C is a <see cref="IProductStore{T}"/>.
/// </summary>
internal static class BackwardProduct
{
    /// <summary>
    /// C[m×n] = op(A) · B where B is k×n and element (i, p) of op(A) is <c>a[i·aRowStride + p·aColumnStride]</c>.
    /// With strides (k, 1) this is A·B (BP2: δ·w); with strides (1, m) it is Aᵀ·B for a k×m matrix A
    /// (BP4: δᵀ·a). Each element accumulates its k products in order, one fused multiply-add at a time, so its value
    /// does not depend on the vector width: the kernel runs 512-bit vectors where the hardware has them, then 256- and
    /// 128-bit ones and scalars for the columns left over (<paramref name="widest"/> caps the width, for tests).
    /// With <paramref name="update"/>, C is not overwritten but updated: C → β·C + α·op(A)·B, which lets plain SGD
    /// apply BP4's gradient to the weights while it is computed, without a pass over a gradient buffer.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply<T>(ReadOnlySpan<T> a, int aRowStride, int aColumnStride, ReadOnlySpan<T> b, Span<T> c,
        int m, int k, int n, int columnStart, int columnEnd, (T Alpha, T Beta)? update = null, VectorWidth? widest = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        DimensionCheck.Require(b.Length >= k * n && c.Length >= m * n && columnStart >= 0 && columnEnd <= n
              && (m == 0 || k == 0 || a.Length > (m - 1) * aRowStride + (k - 1) * aColumnStride));
        var operands = new AxpyOperands<T>(ref MemoryMarshal.GetReference(a), aRowStride, aColumnStride,
            ref MemoryMarshal.GetReference(b), n, ref MemoryMarshal.GetReference(c), n, m, k);
        VectorWidth width = Simd.Capped(widest);
        if (update is var (alpha, beta))
            MultiplyCore(operands, columnStart, columnEnd, new UpdateStore<T>(alpha, beta), width);
        else
            MultiplyCore(operands, columnStart, columnEnd, default(OverwriteStore<T>), width);
    }

    /// <summary>The blocked product behind <see cref="Multiply{T}"/>: the widest vectors first, then narrower ones for what is left.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyCore<T, TStore>(in AxpyOperands<T> o, int columnStart, int columnEnd, TStore store, VectorWidth width)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TStore : struct, IProductStore<T>
    {
        int q = columnStart;
        if (width >= VectorWidth.Bits512)
            q = MultiplyPanels<T, TStore, Vector512<T>, Lanes512<T>>(o, q, columnEnd, store);
        if (width >= VectorWidth.Bits256)
            q = MultiplyPanels<T, TStore, Vector256<T>, Lanes256<T>>(o, q, columnEnd, store);
        if (width >= VectorWidth.Bits128)
            q = MultiplyPanels<T, TStore, Vector128<T>, Lanes128<T>>(o, q, columnEnd, store);
        for (; q < columnEnd; q++)
            for (int i = 0; i < o.M; i++)
                AxpyScalar(o, i, q, store);
    }

    /// <summary>
    /// The columns from <paramref name="q"/> on in panels of four, two and one vectors of <typeparamref name="TV"/>;
    /// returns the first column left for narrower vectors. Column panels are outside and rows inside: the k×panel
    /// slice of B a block reads stays in the L1 cache while every block of rows passes over it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int MultiplyPanels<T, TStore, TV, TL>(in AxpyOperands<T> o, int q, int columnEnd, TStore store)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TStore : struct, IProductStore<T>
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

    /// <summary>Four rows of C, four vectors wide: sixteen accumulators, eight loads per sixteen FMAs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AxpyBlock4x4<T, TStore, TV, TL>(in AxpyOperands<T> o, int i, int q, TStore store)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TStore : struct, IProductStore<T>
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AxpyBlock4x2<T, TStore, TV, TL>(in AxpyOperands<T> o, int i, int q, TStore store)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TStore : struct, IProductStore<T>
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AxpyVector<T, TStore, TV, TL>(in AxpyOperands<T> o, int i, int q, TStore store)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TStore : struct, IProductStore<T>
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AxpyScalar<T, TStore>(in AxpyOperands<T> o, int i, int q, TStore store)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TStore : struct, IProductStore<T>
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
}
