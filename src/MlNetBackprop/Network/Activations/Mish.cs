using System.Runtime.CompilerServices;
using System.Numerics;

namespace MlNetBackprop.Network.Activations;

/// <summary>
/// Mish (Misra, 2019): z·tanh(softplus(z)), softplus(z) = ln(1 + eᶻ); a smooth, non-monotonic rectifier. Its derivative
/// is tanh(sp) + z·(1 − tanh²(sp))·σ(z), σ the logistic sigmoid (the derivative of softplus).
/// </summary>
internal sealed class Mish<T> : Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Above this z, softplus(z) is z and tanh of it 1 to the type's precision (e⁻²⁰ ≈ 2·10⁻⁹).</summary>
    private static readonly T Saturated = T.CreateChecked(20);

    public override ActivationKind Kind => ActivationKind.Mish;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Apply(ReadOnlySpan<T> z, Span<T> a, int width)
    {
        for (int i = 0; i < z.Length; i++)
            a[i] = z[i] * TanhOfSoftplus(z[i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void MultiplyByDerivative(ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> delta, int width)
    {
        for (int i = 0; i < delta.Length; i++)
        {
            T x = z[i], t = TanhOfSoftplus(x);
            T sigmoid = T.One / (T.One + T.Exp(-x));
            delta[i] *= t + x * (T.One - t * t) * sigmoid;
        }
    }

    /// <summary>
    /// tanh(ln(1 + eᶻ)) without forming the logarithm: with u = eᶻ, it is ((1 + u)² − 1)/((1 + u)² + 1) = u(u + 2)/(u(u + 2) + 2),
    /// exact for large negative z (where u underflows to 0 and so does the result) and taken as 1 above <see cref="Saturated"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T TanhOfSoftplus(T z)
    {
        if (z > Saturated) return T.One;
        T u = T.Exp(z), n = u * (u + T.CreateChecked(2));
        return n / (n + T.CreateChecked(2));
    }
}
