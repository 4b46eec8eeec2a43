using System.Numerics;
using MlNetBackprop.Network.Layers;

namespace MlNetBackprop.Network.Optimizers;

/// <summary>
/// Plain SGD's step as a place for BP3 and BP4 to land: every block's values move by θ → β·θ + α·∂C/∂θ as the gradient is
/// formed, with α = −η·(the block's factor) and β = 1 − ηλ/n for blocks that decay, 1 for the others. The result equals
/// backpropagation into the gradients followed by the step, up to rounding.
/// </summary>
internal sealed class SgdStepStore<T> : GradientStore<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private T _eta, _decay = T.One;

    /// <summary>Sets the learning rate η and the L2 coefficient λ/n of the next steps.</summary>
    public void Prepare(T eta, T l2) => (_eta, _decay) = (eta, T.One - eta * l2);

    /// <inheritdoc/>
    public override GradientDestination<T> Destination(Parameter<T> parameter)
    {
        T rate = parameter.LearningRateFactor == 1 ? _eta : _eta * T.CreateChecked(parameter.LearningRateFactor);
        return new(parameter.Values, (-rate, parameter.Decays ? _decay : T.One), null);
    }
}
