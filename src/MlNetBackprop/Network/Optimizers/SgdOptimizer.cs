using System.Numerics;
using MlNetBackprop.Network.Layers;

namespace MlNetBackprop.Network.Optimizers;

/// <summary>
/// Nielsen's update, w → (1 − ηλ/n)·w − η·∂C/∂w and b → b − η·∂C/∂b, taken inside the backward pass: its store lets each
/// layer land BP3 and BP4 in its parameters as they are computed, instead of writing a gradient and reading it back
/// (one pass over the weights fewer; about a quarter of a small mini-batch's time), so it keeps no gradient at all.
/// </summary>
internal sealed class SgdOptimizer<T>(FeedForwardNetwork<T> network) : Optimizer<T>(network) where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly SgdStepStore<T> _store = new();

    /// <inheritdoc/>
    public override GradientStore<T> Store => _store;

    /// <inheritdoc/>
    public override void Prepare(T eta, T l2)
    {
        base.Prepare(eta, l2);
        _store.Prepare(eta, l2);
    }

    /// <summary>Nothing left to do: the step was taken as backpropagation formed the gradient.</summary>
    public override void Step()
    {
    }
}
