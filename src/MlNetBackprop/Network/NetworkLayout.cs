using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Costs;

namespace MlNetBackprop.Network;

/// <summary>
/// What a network is made of, without its numbers: the layer sizes [n₀, n₁, …, n_L] from the input to the output
/// layer, the hidden layers' activation, and the output layer's activation and cost.
/// </summary>
internal sealed record NetworkLayout(int[] Sizes, ActivationKind Hidden, ActivationKind Output, CostKind Cost)
{
    /// <summary>The number of weight layers L (one per non-input layer).</summary>
    public int LayerCount => Sizes.Length - 1;

    /// <summary>Width of the input layer.</summary>
    public int InputSize => Sizes[0];

    /// <summary>Width of the output layer.</summary>
    public int OutputSize => Sizes[^1];

    /// <summary>Checks the layout describes a network this engine can build.</summary>
    public void Validate()
    {
        if (Sizes.Length < 2)
            throw new ArgumentException("A network needs at least an input and an output layer.");
        for (int l = 0; l < Sizes.Length; l++)
            if (Sizes[l] <= 0)
                throw new ArgumentException($"Layer {l} has size {Sizes[l]}; every layer needs at least one neuron.");
        long parameters = 0;
        for (int l = 1; l < Sizes.Length; l++)
            parameters += (long)Sizes[l] * (Sizes[l - 1] + 1);
        if (parameters > int.MaxValue / 4)
            throw new ArgumentException($"The network would have {parameters:N0} parameters, more than this engine supports.");
    }
}
