namespace MlNetBackprop.Network.Activations;

/// <summary>The one mapping from the public option to the engine's activations.</summary>
internal static class HiddenActivations
{
    /// <summary>
    /// The activation a hidden layer of the given option computes. The switch has no default arm: a new
    /// <see cref="HiddenActivation"/> value that is not mapped here fails to compile (CS8509).
    /// </summary>
    public static ActivationKind KindOf(HiddenActivation option) => option switch
    {
        HiddenActivation.Sigmoid => ActivationKind.Sigmoid,
        HiddenActivation.Tanh => ActivationKind.Tanh,
        HiddenActivation.Relu => ActivationKind.Relu,
        HiddenActivation.Identity => ActivationKind.Identity,
        HiddenActivation.LeakyRelu => ActivationKind.LeakyRelu,
        HiddenActivation.Selu => ActivationKind.Selu,
        HiddenActivation.Mish => ActivationKind.Mish,
    };

    /// <summary>The option whose activation is <paramref name="kind"/>, derived from <see cref="KindOf"/>; null for an output-only kind (softmax).</summary>
    public static HiddenActivation? OptionOf(ActivationKind kind)
    {
        foreach (var option in Enum.GetValues<HiddenActivation>())
            if (KindOf(option) == kind)
                return option;
        return null;
    }
}
