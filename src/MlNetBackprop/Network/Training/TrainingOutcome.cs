namespace MlNetBackprop.Network.Training;

/// <summary>The result of training: the history, what early stopping decided, and where to resume.</summary>
/// <param name="History">One entry per epoch run.</param>
/// <param name="BestEpoch">The epoch of lowest validation cost, or null without validation data.</param>
/// <param name="StoppedEarly">Whether training stopped before the last epoch (early stopping or an exhausted adaptive schedule).</param>
/// <param name="RestoredBestWeights">Whether the network was set back to <paramref name="BestEpoch"/>'s weights.</param>
/// <param name="Resume">The state a continued run starts from to train as if it had never stopped.</param>
internal sealed record TrainingOutcome(List<EpochStatistics> History, int? BestEpoch, bool StoppedEarly, bool RestoredBestWeights, ResumeState Resume);
