using System.Numerics;
using System.Numerics.Tensors;
using MlNetBackprop.Network.Activations;

namespace MlNetBackprop.Network.Costs;

/// <summary>The quadratic cost C = ½‖y − a‖², whose output error keeps the factor σ′(zᴸ) that slows learning.</summary>
internal sealed class QuadraticCost<T> : Cost<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public QuadraticCost(Activation<T> output) : base(output)
    {
        if (output.Kind == ActivationKind.Softmax)
            throw new ArgumentException("The quadratic cost is not paired with a softmax output layer.", nameof(output));
    }

    public override CostKind Kind => CostKind.Quadratic;

    public override T Value(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> y)
    {
        T sum = T.Zero;
        for (int j = 0; j < a.Length; j++)
        {
            T d = a[j] - y[j];
            sum += d * d;
        }
        return sum / T.CreateChecked(2);
    }

    public override void OutputError(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> y, Span<T> delta)
    {
        // BP1: δᴸ = (aᴸ − y) ⊙ σ′(zᴸ)
        TensorPrimitives.Subtract(a, y, delta);
        Output.MultiplyByDerivative(z, a, delta);
    }
}
