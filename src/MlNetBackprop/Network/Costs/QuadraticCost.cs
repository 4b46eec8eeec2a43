using System.Runtime.CompilerServices;
using System.Numerics;
using MlNetBackprop.Network.Kernels;
using MlNetBackprop.Network.Activations;

namespace MlNetBackprop.Network.Costs;

/// <summary>
/// The quadratic cost C = ½‖y − a‖², over any output layer. Its output error keeps the factor σ′(zᴸ), which slows
/// learning where a sigmoid output saturates (chapter 3's reason for the cross-entropy). A missing target (NaN) is
/// left out of the sum.
/// </summary>
internal sealed class QuadraticCost<T>(Activation<T> output) : Cost<T>(output) where T : unmanaged, IFloatingPointIeee754<T>
{
    public override CostKind Kind => CostKind.Quadratic;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override T Value(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> y)
    {
        T sum = T.Zero;
        for (int j = 0; j < a.Length; j++)
        {
            T d = a[j] - y[j];
            if (!T.IsNaN(y[j])) sum += d * d;
        }
        return sum / T.CreateChecked(2);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void OutputError(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> y, Span<T> delta, int width)
    {
        // BP1: δᴸ = (aᴸ − y) ⊙ σ′(zᴸ)  (for softmax, the Jacobian's product in place of ⊙ σ′)
        ElementWise.Subtract(a, y, delta);
        LeaveOutMissingTargets(y, delta);
        Output.MultiplyByDerivative(z, a, delta, width);
    }
}
