using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MlNetBackprop.Network.Kernels;

/// <summary>
/// The forward pass's dense row-major product, Z = A·Bᵀ + bias (<see cref="BackwardProduct"/> has the backward ones). It
/// computes the columns <c>[columnStart, columnEnd)</c> of its result, so callers may split a product across threads;
/// the value of an element never depends on that split.
/// </summary>
internal static class ForwardProduct
{
    /// <summary>
    /// C[m×n] = A[m×k] · Bᵀ + bias where B is n×k: every element is the dot product of a row of A with a row of B,
    /// plus the bias of its column when <paramref name="bias"/> is not empty. This is the forward product
    /// z = w·a + b with the mini-batch as rows (A = activations, B = weights); the bias is added as each block of
    /// results is stored, instead of in another pass over Z.
    /// A dot product sums its lanes at the end, so its last bits depend on the lane count: the kernel runs 256-bit
    /// vectors wherever the hardware has them (AVX-512 machines too, so that they agree with AVX2 ones), 128-bit ones
    /// where those are the widest (ARM64's AdvSimd), and scalars elsewhere (<paramref name="widest"/> caps the width,
    /// for tests).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyByTransposed<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c,
        int m, int k, int n, int columnStart, int columnEnd, ReadOnlySpan<T> bias = default, VectorWidth? widest = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        DimensionCheck.Require(a.Length >= m * k && b.Length >= n * k && c.Length >= m * n && columnStart >= 0 && columnEnd <= n
              && (bias.IsEmpty || bias.Length >= n));
        switch (Simd.Capped(widest))
        {
            case >= VectorWidth.Bits256:
                Multiply<T, Vector256<T>, Lanes256<T>>(a, b, c, m, k, n, columnStart, columnEnd, bias, vectors: true);
                break;
            case VectorWidth.Bits128:
                Multiply<T, Vector128<T>, Lanes128<T>>(a, b, c, m, k, n, columnStart, columnEnd, bias, vectors: true);
                break;
            default:
                Multiply<T, Vector128<T>, Lanes128<T>>(a, b, c, m, k, n, columnStart, columnEnd, bias, vectors: false);
                break;
        }
    }

    /// <summary>The blocked product behind <see cref="MultiplyByTransposed{T}"/> at one vector width (none without <paramref name="vectors"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Multiply<T, TV, TL>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c,
        int m, int k, int n, int columnStart, int columnEnd, ReadOnlySpan<T> bias, bool vectors)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct where TL : struct, IVectorLanes<TV, T>
    {
        ref T ra = ref MemoryMarshal.GetReference(a);
        ref T rb = ref MemoryMarshal.GetReference(b);
        var epilogue = new BiasEpilogue<T>(bias);
        int i = 0;
        for (; i + 4 <= m; i += 4)
        {
            // Four rows of A against four rows of B: sixteen independent accumulators, eight loads per sixteen FMAs.
            int j = columnStart;
            for (; j + 4 <= columnEnd; j += 4)
                DotBlock4x4<T, TV, TL>(ref Unsafe.Add(ref ra, i * k), ref Unsafe.Add(ref rb, j * k), k, c, i, j, n, epilogue, vectors);
            for (; j < columnEnd; j++)
                for (int r = i; r < i + 4; r++)
                    c[r * n + j] = epilogue.Finish(Dot<T, TV, TL>(ref Unsafe.Add(ref ra, r * k), ref Unsafe.Add(ref rb, j * k), k, vectors), j);
        }
        for (; i + 2 <= m; i += 2)
        {
            int j = columnStart;
            for (; j + 4 <= columnEnd; j += 4)
                DotBlock2x4<T, TV, TL>(ref Unsafe.Add(ref ra, i * k), ref Unsafe.Add(ref rb, j * k), k, c, i, j, n, epilogue, vectors);
            for (; j < columnEnd; j++)
            {
                c[i * n + j] = epilogue.Finish(Dot<T, TV, TL>(ref Unsafe.Add(ref ra, i * k), ref Unsafe.Add(ref rb, j * k), k, vectors), j);
                c[(i + 1) * n + j] = epilogue.Finish(Dot<T, TV, TL>(ref Unsafe.Add(ref ra, (i + 1) * k), ref Unsafe.Add(ref rb, j * k), k, vectors), j);
            }
        }
        for (; i < m; i++)
        {
            // A lone row (a single example at scoring time) takes four weight rows at once: four independent
            // accumulator chains keep the FMA units busy where one chain would wait on each add's latency.
            int j = columnStart;
            for (; j + 4 <= columnEnd; j += 4)
                DotBlock1x4<T, TV, TL>(ref Unsafe.Add(ref ra, i * k), ref Unsafe.Add(ref rb, j * k), k, c, i, j, n, epilogue, vectors);
            for (; j < columnEnd; j++)
                c[i * n + j] = epilogue.Finish(Dot<T, TV, TL>(ref Unsafe.Add(ref ra, i * k), ref Unsafe.Add(ref rb, j * k), k, vectors), j);
        }
    }

    /// <summary>Dot product with the lane structure every caller shares: vector lanes, then their sum, then the tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Dot<T, TV, TL>(ref T x, ref T y, int k, bool vectors)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct where TL : struct, IVectorLanes<TV, T>
    {
        int p = 0;
        T sum = T.Zero;
        if (vectors)
        {
            int w = TL.Count;
            TV acc = default;
            for (; p + w <= k; p += w)
                acc = TL.MultiplyAdd(TL.Load(ref Unsafe.Add(ref x, p)), TL.Load(ref Unsafe.Add(ref y, p)), acc);
            sum = TL.Sum(acc);
        }
        for (; p < k; p++)
            sum = Simd.MultiplyAdd(Unsafe.Add(ref x, p), Unsafe.Add(ref y, p), sum);
        return sum;
    }

    /// <summary>Four rows of A against four rows of B: sixteen dot products sharing their loads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotBlock4x4<T, TV, TL>(ref T a0, ref T b0, int k, Span<T> c, int i, int j, int n, BiasEpilogue<T> epilogue, bool vectors)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct where TL : struct, IVectorLanes<TV, T>
    {
        ref T a1 = ref Unsafe.Add(ref a0, k);
        ref T a2 = ref Unsafe.Add(ref a0, 2 * k);
        ref T a3 = ref Unsafe.Add(ref a0, 3 * k);
        ref T b1 = ref Unsafe.Add(ref b0, k);
        ref T b2 = ref Unsafe.Add(ref b0, 2 * k);
        ref T b3 = ref Unsafe.Add(ref b0, 3 * k);
        Span<T> sums = stackalloc T[16];
        int p = 0;
        if (vectors)
        {
            int w = TL.Count;
            TV c00 = default, c01 = default, c02 = default, c03 = default;
            TV c10 = default, c11 = default, c12 = default, c13 = default;
            TV c20 = default, c21 = default, c22 = default, c23 = default;
            TV c30 = default, c31 = default, c32 = default, c33 = default;
            for (; p + w <= k; p += w)
            {
                var y0 = TL.Load(ref Unsafe.Add(ref b0, p));
                var y1 = TL.Load(ref Unsafe.Add(ref b1, p));
                var y2 = TL.Load(ref Unsafe.Add(ref b2, p));
                var y3 = TL.Load(ref Unsafe.Add(ref b3, p));
                var x = TL.Load(ref Unsafe.Add(ref a0, p));
                c00 = TL.MultiplyAdd(x, y0, c00); c01 = TL.MultiplyAdd(x, y1, c01); c02 = TL.MultiplyAdd(x, y2, c02); c03 = TL.MultiplyAdd(x, y3, c03);
                x = TL.Load(ref Unsafe.Add(ref a1, p));
                c10 = TL.MultiplyAdd(x, y0, c10); c11 = TL.MultiplyAdd(x, y1, c11); c12 = TL.MultiplyAdd(x, y2, c12); c13 = TL.MultiplyAdd(x, y3, c13);
                x = TL.Load(ref Unsafe.Add(ref a2, p));
                c20 = TL.MultiplyAdd(x, y0, c20); c21 = TL.MultiplyAdd(x, y1, c21); c22 = TL.MultiplyAdd(x, y2, c22); c23 = TL.MultiplyAdd(x, y3, c23);
                x = TL.Load(ref Unsafe.Add(ref a3, p));
                c30 = TL.MultiplyAdd(x, y0, c30); c31 = TL.MultiplyAdd(x, y1, c31); c32 = TL.MultiplyAdd(x, y2, c32); c33 = TL.MultiplyAdd(x, y3, c33);
            }
            sums[0] = TL.Sum(c00); sums[1] = TL.Sum(c01); sums[2] = TL.Sum(c02); sums[3] = TL.Sum(c03);
            sums[4] = TL.Sum(c10); sums[5] = TL.Sum(c11); sums[6] = TL.Sum(c12); sums[7] = TL.Sum(c13);
            sums[8] = TL.Sum(c20); sums[9] = TL.Sum(c21); sums[10] = TL.Sum(c22); sums[11] = TL.Sum(c23);
            sums[12] = TL.Sum(c30); sums[13] = TL.Sum(c31); sums[14] = TL.Sum(c32); sums[15] = TL.Sum(c33);
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotBlock2x4<T, TV, TL>(ref T a0, ref T b0, int k, Span<T> c, int i, int j, int n, BiasEpilogue<T> epilogue, bool vectors)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct where TL : struct, IVectorLanes<TV, T>
    {
        ref T a1 = ref Unsafe.Add(ref a0, k);
        ref T b1 = ref Unsafe.Add(ref b0, k);
        ref T b2 = ref Unsafe.Add(ref b0, 2 * k);
        ref T b3 = ref Unsafe.Add(ref b0, 3 * k);
        T s00 = T.Zero, s01 = T.Zero, s02 = T.Zero, s03 = T.Zero;
        T s10 = T.Zero, s11 = T.Zero, s12 = T.Zero, s13 = T.Zero;
        int p = 0;
        if (vectors)
        {
            int w = TL.Count;
            TV c00 = default, c01 = default, c02 = default, c03 = default;
            TV c10 = default, c11 = default, c12 = default, c13 = default;
            for (; p + w <= k; p += w)
            {
                var x0 = TL.Load(ref Unsafe.Add(ref a0, p));
                var x1 = TL.Load(ref Unsafe.Add(ref a1, p));
                var y0 = TL.Load(ref Unsafe.Add(ref b0, p));
                var y1 = TL.Load(ref Unsafe.Add(ref b1, p));
                var y2 = TL.Load(ref Unsafe.Add(ref b2, p));
                var y3 = TL.Load(ref Unsafe.Add(ref b3, p));
                c00 = TL.MultiplyAdd(x0, y0, c00); c01 = TL.MultiplyAdd(x0, y1, c01);
                c02 = TL.MultiplyAdd(x0, y2, c02); c03 = TL.MultiplyAdd(x0, y3, c03);
                c10 = TL.MultiplyAdd(x1, y0, c10); c11 = TL.MultiplyAdd(x1, y1, c11);
                c12 = TL.MultiplyAdd(x1, y2, c12); c13 = TL.MultiplyAdd(x1, y3, c13);
            }
            s00 = TL.Sum(c00); s01 = TL.Sum(c01); s02 = TL.Sum(c02); s03 = TL.Sum(c03);
            s10 = TL.Sum(c10); s11 = TL.Sum(c11); s12 = TL.Sum(c12); s13 = TL.Sum(c13);
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotBlock1x4<T, TV, TL>(ref T a0, ref T b0, int k, Span<T> c, int i, int j, int n, BiasEpilogue<T> epilogue, bool vectors)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct where TL : struct, IVectorLanes<TV, T>
    {
        ref T b1 = ref Unsafe.Add(ref b0, k);
        ref T b2 = ref Unsafe.Add(ref b0, 2 * k);
        ref T b3 = ref Unsafe.Add(ref b0, 3 * k);
        T s0 = T.Zero, s1 = T.Zero, s2 = T.Zero, s3 = T.Zero;
        int p = 0;
        if (vectors)
        {
            int w = TL.Count;
            TV c0 = default, c1 = default, c2 = default, c3 = default;
            for (; p + w <= k; p += w)
            {
                var x = TL.Load(ref Unsafe.Add(ref a0, p));
                c0 = TL.MultiplyAdd(x, TL.Load(ref Unsafe.Add(ref b0, p)), c0);
                c1 = TL.MultiplyAdd(x, TL.Load(ref Unsafe.Add(ref b1, p)), c1);
                c2 = TL.MultiplyAdd(x, TL.Load(ref Unsafe.Add(ref b2, p)), c2);
                c3 = TL.MultiplyAdd(x, TL.Load(ref Unsafe.Add(ref b3, p)), c3);
            }
            s0 = TL.Sum(c0); s1 = TL.Sum(c1); s2 = TL.Sum(c2); s3 = TL.Sum(c3);
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

    /// <summary>Adds the column's bias to a finished dot product, when there is a bias: sum + b, the one rounding a separate pass would make.</summary>
    private readonly ref struct BiasEpilogue<T>(ReadOnlySpan<T> bias) where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly ReadOnlySpan<T> _bias = bias;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public T Finish(T sum, int column) => _bias.IsEmpty ? sum : sum + _bias[column];
    }
}
