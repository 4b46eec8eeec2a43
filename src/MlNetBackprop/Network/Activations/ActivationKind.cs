namespace MlNetBackprop.Network.Activations;

/// <summary>
/// The activation functions the engine knows. The numbers are the codes a stored network records for each layer: never
/// change or reuse one; a new function takes the next free number.
/// </summary>
internal enum ActivationKind : byte
{
    /// <summary>σ(z) = 1/(1+e⁻ᶻ), Nielsen's neuron.</summary>
    Sigmoid = 1,
    /// <summary>tanh(z).</summary>
    Tanh = 2,
    /// <summary>max(0, z).</summary>
    Relu = 3,
    /// <summary>z itself: the linear output unit of regression.</summary>
    Identity = 4,
    /// <summary>e^zⱼ / Σₖ e^zₖ over each row: the softmax output layer of chapter 3.</summary>
    Softmax = 5,
    /// <summary>z for z &gt; 0, 0.01·z otherwise.</summary>
    LeakyRelu = 6,
}

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
