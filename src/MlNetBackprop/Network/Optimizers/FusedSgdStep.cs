using System.Numerics;
using MlNetBackprop.Network.Kernels;
using MlNetBackprop.Network.Layers;

namespace MlNetBackprop.Network.Optimizers;

/// <summary>
/// Plain SGD's step, w → (1 − ηλ/n)·w − η·∂C/∂w and b → b − η·∂C/∂b, taken inside the backward pass: as the sink of
/// <see cref="Backpropagation"/> it lets each layer apply its BP3 and BP4 to its parameters as they are computed,
/// instead of writing a gradient and reading it back (one pass over the weights fewer; about a quarter of a small
/// mini-batch's time). The result equals backpropagation followed by <see cref="SgdOptimizer{T}"/> up to rounding.
/// </summary>
internal sealed class FusedSgdStep<T> : IGradientSink<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _scratch;
    private T _eta, _decay = T.One;

    /// <summary>A step for <paramref name="network"/>'s layers.</summary>
    public FusedSgdStep(FeedForwardNetwork<T> network) => _scratch = new T[network.Layers.Max(l => l.OutputSize)];

    /// <summary>Sets the learning rate η and the L2 coefficient λ/n of the next steps.</summary>
    public void Prepare(T eta, T l2) => (_eta, _decay) = (eta, T.One - eta * l2);

    /// <inheritdoc/>
    public void Accept(int index, Layer<T> layer, ReadOnlyMemory<T> scaledErrors, LayerInput<T> input, int rows, ParallelGemm<T> products)
        => layer.Descend(scaledErrors, input, rows, _eta, _decay, _scratch, products);
}
