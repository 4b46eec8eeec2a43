using MlNetBackprop.Network.Activations;

namespace MlNetBackprop.Network.Layers;

/// <summary>One layer of a network without its numbers: its kind, its input and output widths and its activation.</summary>
internal readonly record struct LayerShape(LayerKind Kind, int Inputs, int Outputs, ActivationKind Activation)
{
    /// <summary>For messages: "Dense 784→100 Relu".</summary>
    public override string ToString() => $"{Kind} {Inputs}→{Outputs} {Activation}";
}
