using System.Runtime.CompilerServices;
using System.Numerics;

namespace MlNetBackprop.Network.Activations;

/// <summary>
/// The leaky rectifier: z for z &gt; 0 and 0.01·z otherwise (Maas, Hannun and Ng, 2013). Unlike ReLU its derivative is
/// never 0, so a neuron whose z is negative for every example still learns.
/// </summary>
internal sealed class LeakyRelu<T> : Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The slope for z ≤ 0.</summary>
    public static readonly T Slope = T.CreateChecked(0.01);

    public override ActivationKind Kind => ActivationKind.LeakyRelu;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Apply(ReadOnlySpan<T> z, Span<T> a, int width)
    {
        for (int i = 0; i < z.Length; i++)
            a[i] = z[i] > T.Zero ? z[i] : Slope * z[i];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void MultiplyByDerivative(ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> delta, int width)
    {
        for (int i = 0; i < delta.Length; i++)
            if (!(z[i] > T.Zero))
                delta[i] *= Slope;
    }
}
