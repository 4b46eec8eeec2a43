using System.Numerics;
using System.Numerics.Tensors;

namespace MlNetBackprop.Network.Optimizers;

/// <summary>Nielsen's update: w → (1 − ηλ/n)·w − η·∂C/∂w and b → b − η·∂C/∂b.</summary>
internal sealed class SgdOptimizer<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void Step(FeedForwardNetwork<T> network, Gradient<T> gradient, T eta, T l2)
    {
        T decay = T.One - eta * l2;
        for (int l = 0; l < network.LayerCount; l++)
        {
            Span<T> w = network.Weights[l].Span;
            if (decay != T.One)
                TensorPrimitives.Multiply(w, decay, w);
            TensorPrimitives.MultiplyAdd(gradient.Weights[l], -eta, w, w);
            TensorPrimitives.MultiplyAdd(gradient.Biases[l], -eta, network.Biases[l], network.Biases[l]);
        }
    }
}
