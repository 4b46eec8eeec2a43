using MlNetBackprop.Network.Optimizers;
using MlNetBackprop.Network.Training;

namespace MlNetBackprop.MlNet.Fitting;

/// <summary>The trainer's options as the engine's settings: the one place where the one becomes the other.</summary>
internal static class EngineSettings
{
    /// <summary>
    /// Whether training stops early: as the options say, or, when they leave it open, below
    /// <see cref="BackpropTrainer.AutomaticEarlyStoppingRows"/> rows, when the network has more weights than there are
    /// rows, or when the piecewise-linear encoding is chosen on the validation split; null data (the engine's own tests)
    /// keeps every epoch.
    /// </summary>
    public static bool EarlyStoppingFor(BackpropTrainer.Options options, (int Rows, long Weights, bool ChoosesEncoding)? data)
        => options.EarlyStopping ?? (data is var (rows, weights, choosing) && (choosing || rows < BackpropTrainer.AutomaticEarlyStoppingRows || weights > rows));

    /// <summary>
    /// The engine's settings for <paramref name="options"/> with the given learning rate: the one translation of the
    /// options, so that the engine has no defaults of its own (tests and benchmarks build their settings here too).
    /// <paramref name="data"/> gives the training rows and the network's weights when early stopping is left to them.
    /// </summary>
    public static SgdSettings From(BackpropTrainer.Options options, double learningRate, int seed, int firstEpoch,
        (int Rows, long Weights, bool ChoosesEncoding)? data = null) => new(
        Epochs: options.Epochs, BatchSize: options.BatchSize, LearningRate: learningRate, L2Regularization: options.L2Regularization,
        Optimizer: new OptimizerSettings(options.Solver, options.Momentum, options.NesterovMomentum, options.Beta1, options.Beta2, options.Epsilon,
            options.HistorySize, options.MaximumFunctionEvaluations),
        Schedule: options.LearningRateSchedule, PowerT: options.PowerT, Dropout: options.DropoutRate,
        EarlyStopping: EarlyStoppingFor(options, data),
        // Left to the data and not on validation data: stop when the training cost stalls, as scikit-learn does. Without
        // the rows (the engine's own tests) a run keeps its epochs.
        StopWhenTrainingStalls: options.EarlyStopping is null && data is not null && !EarlyStoppingFor(options, data),
        RestoreBestWeights: options.RestoreBestWeights,
        Patience: options.IterationsWithoutImprovement, Tolerance: options.Tolerance,
        Seed: seed, Threads: options.NumberOfThreads ?? Environment.ProcessorCount, FirstEpoch: firstEpoch,
        CancellationToken: options.CancellationToken);
}
