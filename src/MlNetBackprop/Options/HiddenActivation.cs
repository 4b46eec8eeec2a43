namespace MlNetBackprop;

/// <summary>The activation function of a hidden layer.</summary>
public enum HiddenActivation
{
    /// <summary>The logistic sigmoid σ(z) = 1/(1+e⁻ᶻ), the neuron of Nielsen's book.</summary>
    Sigmoid = 0,
    /// <summary>The hyperbolic tangent.</summary>
    Tanh = 1,
    /// <summary>The rectified linear unit max(0, z).</summary>
    Relu = 2,
    /// <summary>The identity z (a linear layer; scikit-learn's "identity").</summary>
    Identity = 3,
    /// <summary>The leaky rectifier: z for z &gt; 0, 0.01·z otherwise (Maas et al., 2013), which keeps a gradient for negative z.</summary>
    LeakyRelu = 4,
}
