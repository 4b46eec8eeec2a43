using System.Runtime.CompilerServices;
using System.Numerics;

namespace MlNetBackprop.Network.Activations;

/// <summary>
/// Smooth clipping, z/√(1 + (z/3)²): near the identity for small z, bounded by ±3 (RealMLP's preprocessing, Holzmüller et
/// al., 2024), so that an outlying feature value cannot dominate the first layer. Its derivative is (1 + (z/3)²)^(−3/2).
/// The activation of a standardization layer that clips, never of a hidden layer.
/// </summary>
internal sealed class SmoothClip<T> : Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The bound the output approaches.</summary>
    public static readonly T Bound = T.CreateChecked(3);

    public override ActivationKind Kind => ActivationKind.SmoothClip;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Apply(ReadOnlySpan<T> z, Span<T> a, int width)
    {
        for (int i = 0; i < z.Length; i++)
        {
            T u = z[i] / Bound;
            a[i] = z[i] / T.Sqrt(T.One + u * u);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void MultiplyByDerivative(ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> delta, int width)
    {
        for (int i = 0; i < delta.Length; i++)
        {
            T u = z[i] / Bound, q = T.One + u * u;
            delta[i] /= q * T.Sqrt(q);
        }
    }
}
