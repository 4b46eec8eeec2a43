using System.Numerics;
using System.Numerics.Tensors;
using MlNetBackprop.Network.Activations;

namespace MlNetBackprop.Network.Costs;

/// <summary>The log-likelihood cost −ln aᵧ over a softmax output layer (chapter 3).</summary>
internal sealed class LogLikelihoodCost<T> : Cost<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public LogLikelihoodCost(Activation<T> output) : base(output)
    {
        if (output.Kind != ActivationKind.Softmax)
            throw new ArgumentException("The log-likelihood cost is defined over a softmax output layer.", nameof(output));
    }

    public override CostKind Kind => CostKind.LogLikelihood;

    public override T Value(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> y)
    {
        // −Σ yⱼ ln aⱼ with ln aⱼ = zⱼ − ln Σₖ e^zₖ, computed from z so that it stays finite.
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

    public override void OutputError(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> y, Span<T> delta)
        // BP1 for softmax with log-likelihood: δᴸ = aᴸ − y
        => TensorPrimitives.Subtract(a, y, delta);
}
