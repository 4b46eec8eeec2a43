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
    /// <summary>λ·z for z &gt; 0, λα(eᶻ − 1) otherwise (SELU).</summary>
    Selu = 7,
    /// <summary>z·tanh(softplus(z)).</summary>
    Mish = 8,
    /// <summary>z/√(1 + (z/3)²): a standardization's smooth clipping.</summary>
    SmoothClip = 9,
}
