using System.Runtime.CompilerServices;
using System.Numerics;
using MlNetBackprop.Network.Kernels;
using MlNetBackprop.Network.Activations;

namespace MlNetBackprop.Network.Costs;

/// <summary>
/// The cross-entropy cost over sigmoid outputs. Its ∇ₐC = (a − y)/(a(1 − a)) cancels σ′(z) = a(1 − a),
/// which is why it learns fast from large errors (chapter 3). A missing target (NaN: a multi-label row without that
/// label) is left out of the sum.
/// </summary>
internal sealed class CrossEntropyCost<T>(Activation<T> output) : Cost<T>(output, definedOver: ActivationKind.Sigmoid)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override CostKind Kind => CostKind.CrossEntropy;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override T Value(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> y)
    {
        // −[y ln σ(z) + (1−y) ln(1−σ(z))] = y·softplus(−z) + (1−y)·softplus(z): finite even where a rounds to 0 or 1.
        T sum = T.Zero;
        for (int j = 0; j < z.Length; j++)
            if (!T.IsNaN(y[j]))
                sum += y[j] * Softplus(-z[j]) + (T.One - y[j]) * Softplus(z[j]);
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void OutputError(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> y, Span<T> delta, int width)
    {
        // BP1: δᴸ = ∇ₐC ⊙ σ′(zᴸ) = aᴸ − y (the σ′ factors cancel)
        ElementWise.Subtract(a, y, delta);
        LeaveOutMissingTargets(y, delta);
    }
}
