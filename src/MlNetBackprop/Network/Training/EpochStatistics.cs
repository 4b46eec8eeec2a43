namespace MlNetBackprop.Network.Training;

/// <summary>What one epoch of training measured.</summary>
/// <param name="Epoch">Epoch number (from <see cref="SgdSettings.FirstEpoch"/>).</param>
/// <param name="Loss">Mean weighted cost over the epoch's examples, as they were fed forward during the epoch,
/// plus the L2 term λ/(2n)·Σw² at the end of the epoch.</param>
/// <param name="Accuracy">Fraction of the epoch's examples classified correctly as they were fed forward, or null for regression.</param>
/// <param name="Elapsed">Wall-clock time since training started.</param>
/// <param name="LearningRate">The learning rate used during the epoch.</param>
/// <param name="ValidationLoss">Mean weighted cost of the validation set after the epoch, plus the same L2 term; null without one.</param>
/// <param name="ValidationAccuracy">Fraction of the validation set classified correctly after the epoch; null without one or for regression.</param>
internal readonly record struct EpochStatistics(int Epoch, double Loss, double? Accuracy, TimeSpan Elapsed, double LearningRate,
    double? ValidationLoss = null, double? ValidationAccuracy = null);
