namespace MlNetBackprop;

/// <summary>How the learning rate changes during training (scikit-learn's learning_rate).</summary>
public enum LearningRateSchedule
{
    /// <summary>η stays at <see cref="BackpropTrainer.Options.LearningRate"/>.</summary>
    Constant = 0,
    /// <summary>After each epoch η = η₀ / (t + 1)^<see cref="BackpropTrainer.Options.PowerT"/>, t the number of examples seen so far.</summary>
    InverseScaling = 1,
    /// <summary>
    /// η is divided by 5 each time the training cost (the validation cost with early stopping) has not fallen by
    /// <see cref="BackpropTrainer.Options.Tolerance"/> for more than <see cref="BackpropTrainer.Options.IterationsWithoutImprovement"/>
    /// epochs; training stops once η would fall below 10⁻⁶.
    /// </summary>
    Adaptive = 2,
    /// <summary>
    /// η·(½ − ½·cos(2π·log₂(1 + 15t))), t the share of <see cref="BackpropTrainer.Options.Epochs"/> run (at the middle of
    /// each epoch): four cycles of warm-up and decay, log-spaced, short first and long last, each starting from 0 (RealMLP's
    /// "coslog4", Holzmüller et al., 2024).
    /// </summary>
    CosineLog = 3,
}
