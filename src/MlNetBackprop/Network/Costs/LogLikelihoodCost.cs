using System.Runtime.CompilerServices;
using System.Numerics;
using MlNetBackprop.Network.Kernels;
using System.Numerics.Tensors;
using MlNetBackprop.Network.Activations;

namespace MlNetBackprop.Network.Costs;

/// <summary>The log-likelihood cost −ln aᵧ over a softmax output layer (chapter 3).</summary>
internal sealed class LogLikelihoodCost<T>(Activation<T> output) : Cost<T>(output, definedOver: ActivationKind.Softmax)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Below this an output may have lost precision to underflow (or be 0, whose logarithm is infinite), and its
    /// logarithm is taken from z instead. Float's smallest normal number is about 1.2e-38; 1e-30 leaves a margin of
    /// eight orders of magnitude where a's relative precision is still whole.
    /// </summary>
    private static readonly T SmallestTrusted = T.CreateChecked(1e-30);

    public override CostKind Kind => CostKind.LogLikelihood;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override T Value(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> y)
    {
        // −Σ yⱼ ln aⱼ, straight from the softmax output: one logarithm per example in training's usual one-hot case.
        T cost = T.Zero;
        for (int j = 0; j < a.Length; j++)
        {
            if (y[j] == T.Zero) continue;
            if (!(a[j] >= SmallestTrusted))
                return ValueFromWeightedInputs(z, y);
            cost -= y[j] * T.Log(a[j]);
        }
        return cost;
    }

    private static T ValueFromWeightedInputs(ReadOnlySpan<T> z, ReadOnlySpan<T> y)
    {
        // ln aⱼ = zⱼ − ln Σₖ e^zₖ, computed from z so that it stays finite where aⱼ underflowed.
        T max = TensorPrimitives.Max(z);
        T sumExp = T.Zero;
        for (int j = 0; j < z.Length; j++)
            sumExp += T.Exp(z[j] - max);
        T logSum = max + T.Log(sumExp);
        T cost = T.Zero;
        for (int j = 0; j < z.Length; j++)
            if (y[j] != T.Zero)
                cost -= y[j] * (z[j] - logSum);
        return cost;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void OutputError(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> y, Span<T> delta, int width)
        // BP1 for softmax with log-likelihood: δᴸ = aᴸ − y (the softmax Jacobian cancels)
        => ElementWise.Subtract(a, y, delta);
}
