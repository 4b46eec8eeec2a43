namespace MlNetBackprop;

/// <summary>How the weights and biases start.</summary>
public enum WeightInitialization
{
    /// <summary>Chapter 3's default: weights N(0, 1/n_in), biases N(0, 1).</summary>
    ScaledGaussian = 0,
    /// <summary>Chapter 1's: weights and biases N(0, 1).</summary>
    Gaussian = 1,
    /// <summary>Glorot and Bengio (2010): weights uniform in ±√(6/(n_in + n_out)), biases 0.</summary>
    Glorot = 2,
    /// <summary>He et al. (2015), suited to ReLU: weights N(0, 2/n_in), biases 0.</summary>
    He = 3,
}
