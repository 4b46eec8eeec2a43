using MlNetBackprop.Network.Training;

namespace MlNetBackprop;

/// <summary>What one epoch of training measured.</summary>
public sealed record EpochReport
{
    /// <summary>The 1-based epoch number.</summary>
    public required int Epoch { get; init; }

    /// <summary>
    /// The running training cost: the mean (weighted) cost of the epoch's examples as each mini-batch was fed forward
    /// during the epoch, plus the L2 term λ/(2n)·Σw² (n = training rows) at the epoch's end, as scikit-learn's loss_curve_
    /// and Keras' loss are. Nielsen's monitor_training_cost instead evaluates the whole training set again after the
    /// epoch. For regression it is measured on the standardised label.
    /// </summary>
    public required double Loss { get; init; }

    /// <summary>
    /// The running training accuracy: the fraction of the epoch's examples classified correctly as they were fed forward
    /// during the epoch (not, as Nielsen's monitor_training_accuracy, the whole set after it); null for regression.
    /// </summary>
    public double? Accuracy { get; init; }

    /// <summary>
    /// The validation cost after this epoch: the mean weighted cost over the validation set, plus the same L2 term as
    /// <see cref="Loss"/> (with the training set's n, so the two curves compare; Nielsen's monitor_evaluation_cost uses
    /// the validation set's size), when <c>Fit</c> was given validation data; otherwise null.
    /// </summary>
    public double? ValidationLoss { get; init; }

    /// <summary>
    /// The fraction of the validation set classified correctly after this epoch (Nielsen's monitor_evaluation_accuracy);
    /// null without validation data or for regression.
    /// </summary>
    public double? ValidationAccuracy { get; init; }

    /// <summary>The learning rate η used during this epoch (it changes under a schedule).</summary>
    public double LearningRate { get; init; }

    /// <summary>Time since training started, at the end of this epoch.</summary>
    public required TimeSpan Elapsed { get; init; }

    internal static EpochReport From(EpochStatistics e) => new()
    {
        Epoch = e.Epoch, Loss = e.Loss, Accuracy = e.Accuracy, Elapsed = e.Elapsed, LearningRate = e.LearningRate,
        ValidationLoss = e.ValidationLoss, ValidationAccuracy = e.ValidationAccuracy,
    };
}
