using System.Runtime.CompilerServices;
using System.Numerics;

namespace MlNetBackprop.Network.Activations;

/// <summary>
/// The scaled exponential linear unit (Klambauer et al., 2017): λ·z for z &gt; 0 and λ·α·(eᶻ − 1) otherwise, with the
/// constants that keep a layer's outputs near mean 0 and variance 1; its derivative is λ for z &gt; 0 and a + λα below.
/// </summary>
internal sealed class Selu<T> : Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>λ, the scale.</summary>
    public static readonly T Lambda = T.CreateChecked(1.0507009873554804934193349852946);

    /// <summary>α, the negative saturation value divided by λ.</summary>
    public static readonly T Alpha = T.CreateChecked(1.6732632423543772848170429916717);

    private static readonly T LambdaAlpha = Lambda * Alpha;

    public override ActivationKind Kind => ActivationKind.Selu;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Apply(ReadOnlySpan<T> z, Span<T> a, int width)
    {
        for (int i = 0; i < z.Length; i++)
            a[i] = z[i] > T.Zero ? Lambda * z[i] : LambdaAlpha * (T.Exp(z[i]) - T.One);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void MultiplyByDerivative(ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> delta, int width)
    {
        // σ′(z) = λ above 0, λα·eᶻ = a + λα below.
        for (int i = 0; i < delta.Length; i++)
            delta[i] *= z[i] > T.Zero ? Lambda : a[i] + LambdaAlpha;
    }
}
