using System.Globalization;
using Microsoft.ML.Runtime;
using MlNetBackprop.MlNet.Data;
using MlNetBackprop.Network;
using MlNetBackprop.Network.Training;

namespace MlNetBackprop.MlNet.Fitting;

/// <summary>What training tells <c>MLContext.Log</c>: the plan, skipped rows, streaming, one line per epoch, how it ended.</summary>
internal static class TrainingLog
{
    /// <summary>An information line (the message goes in as an argument, so braces in it stay literal).</summary>
    public static void Info(IChannel? channel, string message) => channel?.Info(MessageSensitivity.None, "{0}", message);

    /// <summary>A warning line.</summary>
    public static void Warning(IChannel? channel, string message) => channel?.Warning(MessageSensitivity.None, "{0}", message);

    public static void Skipped(IChannel? channel, RowTally tally)
    {
        if (tally.Skipped > 0)
            Warning(channel, $"Skipped {tally.Skipped} of {tally.Read} rows: {tally.BadFeatures} with NaN or infinite features, " +
                $"{tally.MissingLabel} with a missing label, {tally.BadWeight} with a negative or non-finite weight.");
    }

    public static void Streaming(IChannel? channel, int rows, long bytesPerRow, int budgetMegabytes, int bufferRows)
        => Info(channel, $"Streaming the training data: {rows:N0} rows of {bytesPerRow * rows / (1 << 20):N0} MB exceed MemoryBudgetMegabytes = " +
            $"{budgetMegabytes}; each epoch reads them again through a shuffle buffer of {bufferRows:N0} rows.");

    public static void Start(IChannel? channel, TrainingPlan plan, SgdSettings settings, int rows, int? validationRows, int seed, int? continuedFrom,
        bool standardized, NetworkLayout? layout = null)
    {
        var options = plan.Options;
        Info(channel, $"Training a {layout ?? plan.Layout} network with {options.Solver}" +
            $"{(options.Momentum > 0 ? $" (momentum {options.Momentum})" : "")} on {rows} rows: " +
            $"{settings.Epochs} epochs, batch {settings.BatchSize}, η = {settings.LearningRate}, λ = {settings.L2Regularization}, seed {seed}" +
            $"{(validationRows is int v ? $", validation on {v} rows" : "")}{(continuedFrom is int c ? $", continuing from epoch {c}" : "")}; " +
            $"{Stopping(settings)}{Standardization(options.StandardizeFeatures, standardized)}" +
            $"{(continuedFrom is null ? $", {options.WeightInitialization} initialization" : "")}.");
    }

    /// <summary>Whether the network standardizes the features, and why not when it was to.</summary>
    private static string Standardization(bool asked, bool done)
        => done ? ", features standardized by the network's first layer"
        : asked ? ", features as they come (StandardizeFeatures applies to dense rows, not to sparse ones, which centring would fill)"
        : "";

    /// <summary>When training ends, in the words of the options.</summary>
    private static string Stopping(SgdSettings settings)
        => settings.EarlyStopping ? $"early stopping after {settings.Patience} epochs without the validation cost falling by {settings.Tolerance}"
            + (settings.RestoreBestWeights ? ", best weights restored" : "")
        : settings.StopWhenTrainingStalls ? $"stops after {settings.Patience} epochs without the training cost falling by {settings.Tolerance}"
        : "all epochs run";

    /// <summary>Which of the plain and the encoded network <c>Fit</c> kept, and why.</summary>
    public static void Chose(IChannel? channel, NetworkLayout plain, double plainLoss, NetworkLayout encoded, double encodedLoss, bool keptEncoded)
        => Info(channel, $"Kept the {(keptEncoded ? encoded : plain)} network: validation loss {Number(keptEncoded ? encodedLoss : plainLoss)} against " +
            $"{Number(keptEncoded ? plainLoss : encodedLoss)} for the {(keptEncoded ? plain : encoded)} one (PiecewiseLinearBins left to validation; " +
            "the encoded network is kept only when it is better by more than one standard error).");

    private static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    public static void Epoch(IChannel? channel, EpochStatistics e, int lastEpoch)
    {
        static string Percent(double? value) => value is double v ? v.ToString("P2", CultureInfo.InvariantCulture) : "";
        static string Number(double? value) => value is double v ? v.ToString("G6", CultureInfo.InvariantCulture) : "";
        string accuracy = e.Accuracy is null ? "" : $", accuracy {Percent(e.Accuracy)}";
        string validation = e.ValidationLoss is null ? "" : $"; validation loss {Number(e.ValidationLoss)}" +
            (e.ValidationAccuracy is null ? "" : $", accuracy {Percent(e.ValidationAccuracy)}");
        Info(channel, $"Epoch {e.Epoch}/{lastEpoch}: loss {Number(e.Loss)}{accuracy}{validation}, " +
                      $"{e.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)} s");
    }

    public static void Ended(IChannel? channel, TrainingOutcome outcome, BackpropTrainer.Options options)
    {
        if (outcome.StoppedEarly)
            Info(channel, $"Stopped after epoch {outcome.History[^1].Epoch}: the monitored cost had not improved by {options.Tolerance} " +
                $"for {options.IterationsWithoutImprovement} epochs{(outcome.RestoredBestWeights ? $"; restored the weights of epoch {outcome.BestEpoch}" : "")}.");
    }
}
