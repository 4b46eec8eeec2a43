using System.Runtime.CompilerServices;
using System.Numerics;
using MlNetBackprop.Network.Kernels;

namespace MlNetBackprop.Network.Optimizers;

/// <summary>Nielsen's update: w → (1 − ηλ/n)·w − η·∂C/∂w and b → b − η·∂C/∂b.</summary>
internal sealed class SgdOptimizer<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Step(FeedForwardNetwork<T> network, Gradient<T> gradient, T eta, T l2)
    {
        T decay = T.One - eta * l2;
        for (int i = 0; i < network.Parameters.Count; i++)
        {
            var parameter = network.Parameters[i];
            Span<T> values = parameter.Values.Span;
            if (parameter.Regularized && decay != T.One)
                ElementWise.Multiply(values, decay, values);
            ElementWise.MultiplyAdd(gradient.Blocks[i].Span, -eta, values, values);
        }
    }
}
