using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MlNetBackprop.Network.Kernels;

/// <summary>
/// The element-wise operations of a training step, each element computed on its own with plain (unfused) arithmetic,
/// so that the results are the same bits as System.Numerics.Tensors' TensorPrimitives gives. They are ours so that they
/// are compiled at full optimisation on their first call: the runtime compiles TensorPrimitives' first as unoptimised
/// code and promotes it only after a delay that a cold <c>Fit</c>'s first epoch spent in it. Destinations may be
/// sources.
/// </summary>
internal static class ElementWise
{
    /// <summary>d = x·s.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply<T>(ReadOnlySpan<T> x, T s, Span<T> d) where T : unmanaged, INumber<T>
    {
        Check(x.Length, d.Length);
        int i = 0;
        var vs = new Vector<T>(s);
        for (; i + Vector<T>.Count <= x.Length; i += Vector<T>.Count)
            (new Vector<T>(x[i..]) * vs).CopyTo(d[i..]);
        for (; i < x.Length; i++) d[i] = x[i] * s;
    }

    /// <summary>d = x ⊙ y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, INumber<T>
    {
        Check(x.Length, y.Length, d.Length);
        int i = 0;
        for (; i + Vector<T>.Count <= x.Length; i += Vector<T>.Count)
            (new Vector<T>(x[i..]) * new Vector<T>(y[i..])).CopyTo(d[i..]);
        for (; i < x.Length; i++) d[i] = x[i] * y[i];
    }

    /// <summary>d = x + y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Add<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, INumber<T>
    {
        Check(x.Length, y.Length, d.Length);
        int i = 0;
        for (; i + Vector<T>.Count <= x.Length; i += Vector<T>.Count)
            (new Vector<T>(x[i..]) + new Vector<T>(y[i..])).CopyTo(d[i..]);
        for (; i < x.Length; i++) d[i] = x[i] + y[i];
    }

    /// <summary>d = x − y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Subtract<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, INumber<T>
    {
        Check(x.Length, y.Length, d.Length);
        int i = 0;
        for (; i + Vector<T>.Count <= x.Length; i += Vector<T>.Count)
            (new Vector<T>(x[i..]) - new Vector<T>(y[i..])).CopyTo(d[i..]);
        for (; i < x.Length; i++) d[i] = x[i] - y[i];
    }

    /// <summary>d = x − s.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Subtract<T>(ReadOnlySpan<T> x, T s, Span<T> d) where T : unmanaged, INumber<T>
    {
        Check(x.Length, d.Length);
        int i = 0;
        var vs = new Vector<T>(s);
        for (; i + Vector<T>.Count <= x.Length; i += Vector<T>.Count)
            (new Vector<T>(x[i..]) - vs).CopyTo(d[i..]);
        for (; i < x.Length; i++) d[i] = x[i] - s;
    }

    /// <summary>d = x / s.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Divide<T>(ReadOnlySpan<T> x, T s, Span<T> d) where T : unmanaged, INumber<T>
    {
        Check(x.Length, d.Length);
        int i = 0;
        var vs = new Vector<T>(s);
        for (; i + Vector<T>.Count <= x.Length; i += Vector<T>.Count)
            (new Vector<T>(x[i..]) / vs).CopyTo(d[i..]);
        for (; i < x.Length; i++) d[i] = x[i] / s;
    }

    /// <summary>d = x·s + a, the product rounded before the sum (as TensorPrimitives.MultiplyAdd).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyAdd<T>(ReadOnlySpan<T> x, T s, ReadOnlySpan<T> a, Span<T> d) where T : unmanaged, INumber<T>
    {
        Check(x.Length, a.Length, d.Length);
        int i = 0;
        var vs = new Vector<T>(s);
        for (; i + Vector<T>.Count <= x.Length; i += Vector<T>.Count)
            (new Vector<T>(x[i..]) * vs + new Vector<T>(a[i..])).CopyTo(d[i..]);
        for (; i < x.Length; i++) d[i] = x[i] * s + a[i];
    }

    /// <summary>
    /// Whether every value is finite: v − v is 0 for a finite v and NaN for NaN or ±∞, and NaN survives a sum, so one
    /// vectorised pass decides.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool AllFinite<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var sum = Vector<T>.Zero;
        int i = 0;
        for (; i + Vector<T>.Count <= x.Length; i += Vector<T>.Count)
        {
            var v = new Vector<T>(x[i..]);
            sum += v - v;
        }
        T rest = Vector.Sum(sum);
        for (; i < x.Length; i++) rest += x[i] - x[i];
        return rest == T.Zero;
    }

    /// <summary>
    /// d = 1/(1 + e⁻ˣ) in single precision, with the runtime's vector exponential (Vector512 or Vector256.Exp): the same
    /// bits as TensorPrimitives.Sigmoid, whose operator is this formula over the same vectors
    /// (<c>ElementWiseTests</c> compares them). A span shorter than one vector, other precisions and machines without
    /// 256-bit vectors go to TensorPrimitives.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Sigmoid<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!TryMap<T, SigmoidFunction>(x, d))
            TensorPrimitives.Sigmoid(x, d);
    }

    /// <summary>d = eˣ in single precision with the runtime's vector exponential: the same bits as TensorPrimitives.Exp (see <see cref="Sigmoid{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Exp<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!TryMap<T, ExpFunction>(x, d))
            TensorPrimitives.Exp(x, d);
    }

    /// <summary>
    /// d = f(x) with the widest vectors that fit the span; false, writing nothing, for what goes to TensorPrimitives
    /// (another precision than single, no vectors, a span shorter than one of the vectors TensorPrimitives would use).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryMap<T, TF>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> where TF : struct, IVectorFunction
    {
        Check(x.Length, d.Length);
        if (typeof(T) != typeof(float) || !Vector128.IsHardwareAccelerated || x.Length < Vector128<float>.Count)
            return false;
        var xs = MemoryMarshal.Cast<T, float>(x);
        var ds = MemoryMarshal.Cast<T, float>(d[..x.Length]);
        if (Vector512.IsHardwareAccelerated && xs.Length >= Vector512<float>.Count)
            Map512<TF>(xs, ds);
        else if (Vector256.IsHardwareAccelerated && xs.Length >= Vector256<float>.Count)
            Map256<TF>(xs, ds);
        else if (!Vector256.IsHardwareAccelerated)
            Map128<TF>(xs, ds);
        else
            return false;
        return true;
    }

    /// <summary>
    /// d = f(x) a vector at a time; a tail shorter than a vector is done as one more vector ending at the last element,
    /// loaded before anything is stored, so that it reads the inputs even when <paramref name="d"/> is <paramref name="x"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Map512<TF>(ReadOnlySpan<float> x, Span<float> d) where TF : struct, IVectorFunction
    {
        int count = Vector512<float>.Count, last = x.Length - count, i = 0;
        var tail = Vector512.Create(x[last..]);
        for (; i <= last; i += count)
            TF.Apply(Vector512.Create(x.Slice(i, count))).CopyTo(d[i..]);
        if (i < x.Length) TF.Apply(tail).CopyTo(d[last..]);
    }

    /// <summary>The 256-bit twin of <see cref="Map512"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Map256<TF>(ReadOnlySpan<float> x, Span<float> d) where TF : struct, IVectorFunction
    {
        int count = Vector256<float>.Count, last = x.Length - count, i = 0;
        var tail = Vector256.Create(x[last..]);
        for (; i <= last; i += count)
            TF.Apply(Vector256.Create(x.Slice(i, count))).CopyTo(d[i..]);
        if (i < x.Length) TF.Apply(tail).CopyTo(d[last..]);
    }

    /// <summary>The 128-bit twin of <see cref="Map512"/>, for ARM64 (AdvSimd), where 128 bits are the widest native vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Map128<TF>(ReadOnlySpan<float> x, Span<float> d) where TF : struct, IVectorFunction
    {
        int count = Vector128<float>.Count, last = x.Length - count, i = 0;
        var tail = Vector128.Create(x[last..]);
        for (; i <= last; i += count)
            TF.Apply(Vector128.Create(x.Slice(i, count))).CopyTo(d[i..]);
        if (i < x.Length) TF.Apply(tail).CopyTo(d[last..]);
    }

    /// <summary>A function of a vector, at every width, for <see cref="Map512{TF}"/>, <see cref="Map256{TF}"/> and <see cref="Map128{TF}"/>.</summary>
    private interface IVectorFunction
    {
        static abstract Vector512<float> Apply(Vector512<float> v);

        static abstract Vector256<float> Apply(Vector256<float> v);

        static abstract Vector128<float> Apply(Vector128<float> v);
    }

    /// <summary>1/(1 + e⁻ᵛ), TensorPrimitives' sigmoid operator.</summary>
    private readonly struct SigmoidFunction : IVectorFunction
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Apply(Vector512<float> v) => Vector512<float>.One / (Vector512<float>.One + Vector512.Exp(-v));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Apply(Vector256<float> v) => Vector256<float>.One / (Vector256<float>.One + Vector256.Exp(-v));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Apply(Vector128<float> v) => Vector128<float>.One / (Vector128<float>.One + Vector128.Exp(-v));
    }

    /// <summary>eᵛ.</summary>
    private readonly struct ExpFunction : IVectorFunction
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Apply(Vector512<float> v) => Vector512.Exp(v);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Apply(Vector256<float> v) => Vector256.Exp(v);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Apply(Vector128<float> v) => Vector128.Exp(v);
    }

    private static void Check(int x, int d)
    {
        if (d < x) throw new ArgumentException($"The destination holds {d} values, fewer than the source's {x}.");
    }

    private static void Check(int x, int y, int d)
    {
        if (y != x || d < x) throw new ArgumentException($"Spans of {x}, {y} and {d} values do not match.");
    }
}
