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
    /// <summary>
    /// The scaled exponential linear unit (Klambauer et al., 2017): λz for z &gt; 0, λα(eᶻ − 1) otherwise, with λ ≈ 1.0507
    /// and α ≈ 1.6733, which keep a layer's outputs near mean 0 and variance 1 (RealMLP's activation for classification).
    /// </summary>
    Selu = 5,
    /// <summary>Mish (Misra, 2019): z·tanh(ln(1 + eᶻ)), a smooth rectifier (RealMLP's activation for regression).</summary>
    Mish = 6,
}
