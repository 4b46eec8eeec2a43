using System.Runtime.CompilerServices;
using System.Numerics;

namespace MlNetBackprop.Network.Activations;

/// <summary>The linear unit a = z (regression's output layer), with derivative 1.</summary>
internal sealed class Identity<T> : Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override ActivationKind Kind => ActivationKind.Identity;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Apply(ReadOnlySpan<T> z, Span<T> a, int width)
    {
        if (!z.Overlaps(a))
            z.CopyTo(a);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void MultiplyByDerivative(ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> delta, int width)
    {
        // σ′(z) = 1: δ stays as it is.
    }
}
