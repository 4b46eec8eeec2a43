namespace MlNetBackprop;

/// <summary>How a <c>Fit</c> ended: scikit-learn's fitted attributes n_iter_, best_validation_score_ and friends.</summary>
public sealed record TrainingSummary
{
    /// <summary>The epochs this <c>Fit</c> ran (fewer than <see cref="BackpropTrainer.Options.Epochs"/> when it stopped early).</summary>
    public required int EpochsRun { get; init; }

    /// <summary>Whether early stopping (or an exhausted adaptive schedule) ended training before the last epoch.</summary>
    public required bool StoppedEarly { get; init; }

    /// <summary>The epoch with the lowest validation cost, or null without validation data.</summary>
    public int? BestEpoch { get; init; }

    /// <summary>The lowest validation cost, or null without validation data.</summary>
    public double? BestValidationLoss { get; init; }

    /// <summary>Whether the model holds <see cref="BestEpoch"/>'s weights rather than the last epoch's.</summary>
    public required bool RestoredBestWeights { get; init; }
}
