using System.Runtime.CompilerServices;
using System.Numerics;
using System.Numerics.Tensors;

namespace MlNetBackprop.Network.Activations;

/// <summary>The hyperbolic tangent, with tanh′(z) = 1 − tanh²(z).</summary>
internal sealed class Tanh<T> : Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override ActivationKind Kind => ActivationKind.Tanh;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Apply(ReadOnlySpan<T> z, Span<T> a, int width) => TensorPrimitives.Tanh(z, a);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void MultiplyByDerivative(ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> delta, int width)
    {
        for (int i = 0; i < delta.Length; i++)
            delta[i] *= T.One - a[i] * a[i];
    }
}
