using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace MlNetBackprop.Network.Kernels;

/// <summary>
/// The few vector primitives the kernels share. Every kernel computes an element with the same sequence of
/// operations whichever code path (vector block, vector tail, scalar tail) reaches it, so that splitting work
/// across threads can never change a result bit.
/// </summary>
internal static class Simd
{
    /// <summary>
    /// The widest vectors the hardware runs natively, chosen once at start-up. Only the kernels whose elements do not
    /// depend on the lane count (each element a chain of fused multiply-adds in order) use 512 bits; see
    /// <see cref="BackwardProduct.Multiply{T}(ReadOnlySpan{T}, int, int, ReadOnlySpan{T}, Span{T}, int, int, int, int, int, ValueTuple{T, T}?, VectorWidth?)"/>.
    /// ARM64 (AdvSimd) runs 128-bit vectors: its Vector256 is emulated, not native.
    /// </summary>
    public static readonly VectorWidth Widest =
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported && Fma.IsSupported ? VectorWidth.Bits512
        : Vector256.IsHardwareAccelerated ? VectorWidth.Bits256
        : Vector128.IsHardwareAccelerated ? VectorWidth.Bits128
        : VectorWidth.Scalar;

    /// <summary>
    /// Whether the hardware has a fused multiply-add instruction (FMA3 on x64; every ARM64 core with AdvSimd has
    /// <c>fmla</c>). Without one, a fused multiply-add in software would be far slower than the product and sum.
    /// </summary>
    public static readonly bool HasFusedMultiplyAdd = Fma.IsSupported || AdvSimd.IsSupported;

    /// <summary>The width a kernel runs at: <see cref="Widest"/>, or less when a test asks for less.</summary>
    public static VectorWidth Capped(VectorWidth? widest) => widest is { } w && w < Widest ? w : Widest;

    /// <summary>
    /// Fused multiply-add where the hardware has it, the plain product and sum otherwise (see <see cref="Lanes256{T}"/>);
    /// the scalar path below and every width of lanes make the same choice, so that vector and scalar lanes agree bit
    /// for bit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MultiplyAdd<T>(T a, T b, T c) where T : unmanaged, IFloatingPointIeee754<T>
        => HasFusedMultiplyAdd ? T.FusedMultiplyAdd(a, b, c) : a * b + c;
}

/// <summary>The vector widths a kernel can run at.</summary>
internal enum VectorWidth
{
    /// <summary>No vectors: one element at a time.</summary>
    Scalar = 0,

    /// <summary>SSE or ARM64's AdvSimd: four floats per vector.</summary>
    Bits128 = 128,

    /// <summary>AVX2: eight floats per vector.</summary>
    Bits256 = 256,

    /// <summary>AVX-512: sixteen floats per vector.</summary>
    Bits512 = 512,
}
