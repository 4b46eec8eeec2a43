namespace MlNetBackprop;

/// <summary>Weights per class for imbalanced classification.</summary>
public enum ClassWeighting
{
    /// <summary>Every class weighs the same (unless <see cref="BackpropTrainer.Options.ClassWeights"/> gives weights).</summary>
    None = 0,
    /// <summary>Class c weighs n / (K·n_c), scikit-learn's "balanced": every class counts as much in total.</summary>
    Balanced = 1,
}
