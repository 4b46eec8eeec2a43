using System.Globalization;
using Microsoft.ML.Runtime;
using MlNetBackprop.Network;
using MlNetBackprop.Network.Training;

namespace MlNetBackprop.MlNet.Fitting;

/// <summary>Runs the engine's training loop for a <c>Fit</c>: progress to the options' reporters and the log, and errors in the user's terms.</summary>
internal static class TrainingRun
{
    public static TrainingOutcome Run(TrainingPlan plan, FeedForwardNetwork<float> network, TrainingData data, SgdSettings settings, IChannel? channel,
        ResumeState? resume)
    {
        var options = plan.Options;
        int lastEpoch = settings.FirstEpoch + settings.Epochs - 1;
        int rows = data.Batches.Rows;
        var batchProgress = options.BatchProgress;
        TrainingOutcome outcome;
        try
        {
            outcome = new MiniBatchSgd<float>(settings).Train(network, data.Batches, data.Validation,
                onEpoch: e =>
                {
                    TrainingLog.Epoch(channel, e, lastEpoch);
                    options.Progress?.Report(EpochReport.From(e));
                },
                onProgress: batchProgress is null ? null : (epoch, done, loss) => batchProgress.Report(new TrainingProgress
                {
                    Epoch = epoch, Epochs = lastEpoch, ExamplesDone = done, ExamplesPerEpoch = rows, RunningLoss = loss,
                }), resume);
        }
        catch (TrainingDivergedException e)
        {
            throw new InvalidOperationException(
                $"{e.Message} Lower the LearningRate (now {settings.LearningRate.ToString(CultureInfo.InvariantCulture)}) or normalize the features " +
                "(e.g. with NormalizeMinMax or NormalizeMeanVariance).", e);
        }
        TrainingLog.Ended(channel, outcome, options);
        return outcome;
    }
}
