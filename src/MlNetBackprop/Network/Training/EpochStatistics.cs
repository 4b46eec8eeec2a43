namespace MlNetBackprop.Network.Training;

/// <summary>What one epoch of training measured.</summary>
/// <param name="Epoch">Epoch number (from <see cref="SgdSettings.FirstEpoch"/>).</param>
/// <param name="Loss">The running training cost: the mean weighted cost of the epoch's examples as each mini-batch was fed
/// forward during the epoch (so with the weights of that moment, and with dropout's thinned networks), plus the L2 term
/// λ/(2n)·Σw² with the weights at the end of the epoch. Nielsen's monitor_training_cost instead evaluates the whole
/// training set again after the epoch.</param>
/// <param name="Accuracy">Fraction of the epoch's examples classified correctly as they were fed forward, or null for
/// regression (a running figure like <paramref name="Loss"/>).</param>
/// <param name="Elapsed">Wall-clock time since training started.</param>
/// <param name="LearningRate">The learning rate used during the epoch.</param>
/// <param name="ValidationLoss">Mean weighted cost of the validation set after the epoch, plus the same L2 term as
/// <paramref name="Loss"/> (with the training set's n, so that the two curves compare; the book's monitor_evaluation_cost
/// divides by the validation set's size); null without one.</param>
/// <param name="ValidationAccuracy">Fraction of the validation set classified correctly after the epoch (the book's
/// monitor_evaluation_accuracy); null without one or for regression.</param>
internal readonly record struct EpochStatistics(int Epoch, double Loss, double? Accuracy, TimeSpan Elapsed, double LearningRate,
    double? ValidationLoss = null, double? ValidationAccuracy = null);
