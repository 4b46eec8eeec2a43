namespace MlNetBackprop;

/// <summary>What one epoch of training measured.</summary>
public sealed record EpochReport
{
    /// <summary>The 1-based epoch number.</summary>
    public required int Epoch { get; init; }

    /// <summary>
    /// The training cost: the mean (weighted) cost of the epoch's examples as each was fed forward during the epoch,
    /// plus the L2 term λ/(2n)·Σw². For regression it is measured on the standardised label.
    /// </summary>
    public required double Loss { get; init; }

    /// <summary>The fraction of the epoch's examples classified correctly as they were fed forward; null for regression.</summary>
    public double? Accuracy { get; init; }

    /// <summary>
    /// The validation cost after this epoch (mean weighted cost over the validation set, plus the same L2 term as
    /// <see cref="Loss"/>), when <c>Fit</c> was given validation data; otherwise null.
    /// </summary>
    public double? ValidationLoss { get; init; }

    /// <summary>The fraction of the validation set classified correctly after this epoch; null without validation data or for regression.</summary>
    public double? ValidationAccuracy { get; init; }

    /// <summary>The learning rate η used during this epoch (it changes under a schedule).</summary>
    public double LearningRate { get; init; }

    /// <summary>Time since training started, at the end of this epoch.</summary>
    public required TimeSpan Elapsed { get; init; }
}
