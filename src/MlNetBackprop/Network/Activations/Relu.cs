using System.Runtime.CompilerServices;
using System.Numerics;
using System.Numerics.Tensors;

namespace MlNetBackprop.Network.Activations;

/// <summary>The rectifier max(0, z); its derivative is taken as 1 for z &gt; 0 and 0 otherwise (also at z = 0).</summary>
internal sealed class Relu<T> : Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override ActivationKind Kind => ActivationKind.Relu;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Apply(ReadOnlySpan<T> z, Span<T> a, int width) => TensorPrimitives.Max(z, T.Zero, a);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void MultiplyByDerivative(ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> delta, int width)
    {
        for (int i = 0; i < delta.Length; i++)
            if (!(z[i] > T.Zero))
                delta[i] = T.Zero;
    }
}
