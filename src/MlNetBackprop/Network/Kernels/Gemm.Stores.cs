using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MlNetBackprop.Network.Kernels;

/// <summary>How the products store what they computed, and the one check that guards their unchecked reads.</summary>
internal static partial class Gemm
{
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
