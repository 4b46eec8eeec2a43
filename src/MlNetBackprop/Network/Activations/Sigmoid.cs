using System.Numerics;
using System.Numerics.Tensors;

namespace MlNetBackprop.Network.Activations;

/// <summary>The logistic sigmoid σ(z) = 1/(1+e⁻ᶻ), with σ′(z) = σ(z)(1 − σ(z)).</summary>
internal sealed class Sigmoid<T> : Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override ActivationKind Kind => ActivationKind.Sigmoid;

    public override void Apply(ReadOnlySpan<T> z, Span<T> a, int width) => TensorPrimitives.Sigmoid(z, a);

    public override void MultiplyByDerivative(ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> delta)
    {
        for (int i = 0; i < delta.Length; i++)
            delta[i] *= a[i] * (T.One - a[i]);
    }
}
