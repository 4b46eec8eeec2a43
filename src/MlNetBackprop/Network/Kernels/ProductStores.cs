using System.Numerics;

namespace MlNetBackprop.Network.Kernels;

/// <summary>How a finished accumulator lands in C; a struct type parameter, so the choice costs nothing in the loops.</summary>
internal interface IProductStore<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Stores a vector of finished accumulators at <paramref name="c"/>.</summary>
    void Store<TV, TL>(TV acc, ref T c) where TV : struct where TL : struct, IVectorLanes<TV, T>;

    /// <summary>Stores one finished accumulator at <paramref name="c"/>.</summary>
    void Store(T acc, ref T c);
}

/// <summary>C = the product.</summary>
internal readonly struct OverwriteStore<T> : IProductStore<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public void Store<TV, TL>(TV acc, ref T c) where TV : struct where TL : struct, IVectorLanes<TV, T> => TL.Store(acc, ref c);
    public void Store(T acc, ref T c) => c = acc;
}

/// <summary>C → β·C + α·product, the same fused multiply-add at every width.</summary>
internal readonly struct UpdateStore<T>(T alpha, T beta) : IProductStore<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public void Store<TV, TL>(TV acc, ref T c) where TV : struct where TL : struct, IVectorLanes<TV, T>
        => TL.Store(TL.MultiplyAdd(TL.Broadcast(alpha), acc, TL.Multiply(TL.Broadcast(beta), TL.Load(ref c))), ref c);

    public void Store(T acc, ref T c) => c = Simd.MultiplyAdd(alpha, acc, beta * c);
}
