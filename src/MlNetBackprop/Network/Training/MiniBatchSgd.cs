using System.Diagnostics;
using System.Numerics;
using MlNetBackprop.Network.Kernels;
using MlNetBackprop.Network.Optimizers;

namespace MlNetBackprop.Network.Training;

/// <summary>
/// Mini-batch training, the loop of Nielsen's SGD(): each epoch shuffles the examples, cuts them into mini-batches,
/// backpropagates each batch and lets the optimizer move the weights against the gradient (plain SGD with chapter 3's
/// L2 weight decay by default; momentum or Adam on request). Around it, what scikit-learn and Keras add: a learning-rate
/// schedule, dropout on the hidden layers, validation monitoring, and early stopping that can restore the best epoch's
/// weights. All buffers are allocated before the first epoch: a mini-batch allocates nothing.
/// </summary>
internal sealed class MiniBatchSgd<T>(SgdSettings settings) where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Validation data is fed forward in batches of at least this many rows: the products run near full speed from about
    /// this size on, and the workspace it needs stays small.
    /// </summary>
    private const int EvaluationBatchRows = 100;

    /// <summary>Trains on examples held in memory (see the overload taking an <see cref="IBatchSource{T}"/>).</summary>
    public TrainingOutcome Train(FeedForwardNetwork<T> network, TrainingSet<T> data, TrainingSet<T>? validation = null,
        Action<EpochStatistics>? onEpoch = null, Action<int, int, double>? onProgress = null, ResumeState? resume = null)
        => Train(network, new InMemoryBatches<T>(data), validation, onEpoch, onProgress, resume);

    /// <summary>
    /// The seed of epoch <paramref name="epoch"/>'s shuffle and dropout, from the run's seed alone: a run resumed at
    /// epoch k draws what an unbroken run draws there. A fixed mix of the two (not <see cref="HashCode"/>, which changes
    /// from process to process).
    /// </summary>
    public static int EpochSeed(int seed, int epoch)
    {
        ulong x = (uint)seed | ((ulong)(uint)epoch << 32);
        x ^= x >> 33; x *= 0xFF51AFD7ED558CCDUL; x ^= x >> 33; x *= 0xC4CEB9FE1A85EC53UL; x ^= x >> 33;
        return (int)(x & int.MaxValue);
    }

    /// <summary>
    /// Trains <paramref name="network"/> in place, which must already be initialised. After every epoch it measures
    /// <paramref name="validation"/> when given and calls <paramref name="onEpoch"/>; during an epoch it calls
    /// <paramref name="onProgress"/> (epoch, examples done, running mean cost) about a hundred times. Early stopping
    /// needs validation data. Throws <see cref="TrainingDivergedException"/> when the cost or the weights stop being
    /// finite, and <see cref="OperationCanceledException"/> when cancelled.
    /// </summary>
    public TrainingOutcome Train(FeedForwardNetwork<T> network, IBatchSource<T> data, TrainingSet<T>? validation = null,
        Action<EpochStatistics>? onEpoch = null, Action<int, int, double>? onProgress = null, ResumeState? resume = null)
    {
        if (data.Rows == 0) throw new ArgumentException("There are no training examples.", nameof(data));
        if (data.InputSize != network.Layout.InputSize || data.OutputSize != network.Layout.OutputSize)
            throw new ArgumentException("The training set does not fit the network's input and output layers.", nameof(data));
        if (validation is not null && (validation.Rows == 0 || validation.InputSize != data.InputSize || validation.OutputSize != data.OutputSize))
            throw new ArgumentException("The validation set is empty or does not fit the network.", nameof(validation));
        if (settings.EarlyStopping && validation is null)
            throw new ArgumentException("Early stopping needs validation data.", nameof(validation));

        using var runner = settings.Threads > 1 ? new ParallelRunner(settings.Threads) : null;
        data.UseThreads(runner);
        try
        {
            return TrainWith(runner, network, data, validation, onEpoch, onProgress, resume);
        }
        finally
        {
            data.UseThreads(null);
        }
    }

    private TrainingOutcome TrainWith(ParallelRunner? runner, FeedForwardNetwork<T> network, IBatchSource<T> data, TrainingSet<T>? validation,
        Action<EpochStatistics>? onEpoch, Action<int, int, double>? onProgress, ResumeState? resume)
    {
        int batchSize = Math.Min(settings.BatchSize, data.Rows);
        var workspace = new Workspace<T>(runner);
        var (epochRandom, dropoutRandom) = (new ReseedableRandom(settings.Seed), new ReseedableRandom(settings.Seed));
        var evaluator = validation is null ? null : new Evaluator<T>(validation, Math.Max(batchSize, EvaluationBatchRows));
        workspace.EnsureFits(network, Math.Max(batchSize, evaluator?.BatchRows ?? 0));
        ITrainingStep<T> epochRun = settings.Optimizer.Solver == Solver.Lbfgs
            ? new LbfgsStep<T>(new FullBatchObjective<T>(network, data, workspace, settings.L2Regularization / data.Rows, settings.CancellationToken),
                settings.Optimizer.History, settings.Optimizer.MaxEvaluations, settings.Tolerance)
            : new EpochRun<T>(network, data, workspace, batchSize,
                settings.Dropout > 0 ? new DropoutMasks<T>(network.Layout, batchSize, settings.Dropout, dropoutRandom) : null, settings);
        var schedule = new LearningRateScheduler(settings.Schedule, settings.LearningRate, settings.PowerT, resume?.ExamplesSeen ?? 0, resume?.LearningRate,
            settings.Epochs);
        if (resume is not null)
            epochRun.Resume(resume.Optimizer as OptimizerState<T>
                ?? throw new ArgumentException($"A resumed run needs its update rule's state in {typeof(T).Name}.", nameof(resume)));
        var stall = new StallMonitor(settings.Patience, settings.Tolerance);
        bool stopsOnStall = settings.EarlyStopping || settings.StopWhenTrainingStalls || settings.Schedule == LearningRateSchedule.Adaptive;
        var best = settings.EarlyStopping && settings.RestoreBestWeights ? new FeedForwardNetwork<T>(network.Layout) : null;
        var history = new List<EpochStatistics>(settings.Epochs);
        double bestValidation = double.PositiveInfinity;
        int? bestEpoch = null;
        bool stoppedEarly = false;
        long examplesSeen = resume?.ExamplesSeen ?? 0;
        var clock = Stopwatch.StartNew();

        for (int e = 0; e < settings.Epochs; e++)
        {
            int epoch = settings.FirstEpoch + e;
            double eta = schedule.Current;
            epochRandom.Reseed(EpochSeed(settings.Seed, epoch));
            data.BeginEpoch(epochRandom);
            dropoutRandom.Reseed(epochRandom.Next());
            var (costSum, correct, converged) = epochRun.Run(epoch, T.CreateChecked(eta), onProgress);
            network.ApplyDeferredDecay();
            examplesSeen += data.Rows;
            if (!network.IsFinite())
                throw TrainingDivergedException.Weights(epoch);

            double penalty = settings.L2Regularization == 0 ? 0 : settings.L2Regularization / (2.0 * data.Rows) * network.SumOfSquaredWeights();
            double loss = costSum / data.Rows + penalty;
            double? validationLoss = null, validationAccuracy = null;
            if (evaluator is not null)
            {
                var (cost, accuracy) = evaluator.Evaluate(network, workspace);
                (validationLoss, validationAccuracy) = (cost + penalty, accuracy);
                if (validationLoss < bestValidation)
                {
                    bestValidation = validationLoss.Value;
                    bestEpoch = epoch;
                    best?.CopyParametersFrom(network);
                }
            }
            var stats = new EpochStatistics(epoch, loss, data.Classifies ? (double)correct / data.Rows : null, clock.Elapsed, eta,
                validationLoss, validationAccuracy);
            history.Add(stats);
            onEpoch?.Invoke(stats);

            // The monitored cost is the validation cost with early stopping, the training cost otherwise. A stall divides an
            // adaptive schedule's η by 5; early stopping, or an adaptive schedule run down to its smallest η, ends training.
            if (stopsOnStall && stall.Stalled(settings.EarlyStopping ? validationLoss!.Value : loss) && schedule.Stalled())
            {
                stoppedEarly = e < settings.Epochs - 1;
                break;
            }
            // A full-batch rule that has converged has nothing more to gain from another epoch.
            if (converged)
            {
                stoppedEarly = e < settings.Epochs - 1;
                break;
            }
            schedule.EpochEnded(examplesSeen);
        }

        bool restored = false;
        if (best is not null && bestEpoch is int b && b != history[^1].Epoch)
        {
            network.CopyParametersFrom(best);
            restored = true;
        }
        // The gradients served the run only: a trained network kept for scoring should not hold a second copy of its weights.
        foreach (var parameter in network.Parameters) parameter.ReleaseGradient();
        // The update rule's own arrays, not a copy: the run is over, so nothing changes them any more.
        var state = epochRun.State() as OptimizerState<float> ?? OptimizerState<float>.None;
        return new TrainingOutcome(history, bestEpoch, stoppedEarly, restored, new ResumeState(state, examplesSeen, schedule.Current));
    }
}
