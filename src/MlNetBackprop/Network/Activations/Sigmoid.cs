using System.Runtime.CompilerServices;
using System.Numerics;
using MlNetBackprop.Network.Kernels;

namespace MlNetBackprop.Network.Activations;

/// <summary>The logistic sigmoid σ(z) = 1/(1+e⁻ᶻ), with σ′(z) = σ(z)(1 − σ(z)).</summary>
internal sealed class Sigmoid<T> : Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override ActivationKind Kind => ActivationKind.Sigmoid;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Apply(ReadOnlySpan<T> z, Span<T> a, int width) => ElementWise.Sigmoid(z, a);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void MultiplyByDerivative(ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> delta, int width)
    {
        // δ ⊙ a(1 − a), a vector at a time; the tail does the same operations in the same order, so each element's
        // value does not depend on where it falls.
        int i = 0;
        if (Vector.IsHardwareAccelerated && delta.Length >= Vector<T>.Count)
        {
            var one = Vector<T>.One;
            for (; i + Vector<T>.Count <= delta.Length; i += Vector<T>.Count)
            {
                var ai = new Vector<T>(a[i..]);
                (new Vector<T>(delta[i..]) * (ai * (one - ai))).CopyTo(delta[i..]);
            }
        }
        for (; i < delta.Length; i++)
            delta[i] *= a[i] * (T.One - a[i]);
    }
}
