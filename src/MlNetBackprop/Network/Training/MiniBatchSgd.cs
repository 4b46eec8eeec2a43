using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;
using MlNetBackprop.Network.Activations;
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
internal sealed class MiniBatchSgd<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly SgdSettings _settings;

    /// <summary>Creates the trainer.</summary>
    public MiniBatchSgd(SgdSettings settings)
    {
        if (settings.Epochs < 1) throw new ArgumentOutOfRangeException(nameof(settings), "Epochs must be at least 1.");
        if (settings.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(settings), "BatchSize must be at least 1.");
        if (!(settings.LearningRate > 0) || !double.IsFinite(settings.LearningRate))
            throw new ArgumentOutOfRangeException(nameof(settings), "LearningRate must be a positive number.");
        if (!(settings.L2Regularization >= 0) || !double.IsFinite(settings.L2Regularization))
            throw new ArgumentOutOfRangeException(nameof(settings), "L2Regularization must be zero or positive.");
        if (!(settings.Dropout >= 0 && settings.Dropout < 1))
            throw new ArgumentOutOfRangeException(nameof(settings), "Dropout must be in [0, 1).");
        _settings = settings;
    }

    /// <summary>
    /// Trains <paramref name="network"/> in place, which must already be initialised. After every epoch it measures
    /// <paramref name="validation"/> when given and calls <paramref name="onEpoch"/>; during an epoch it calls
    /// <paramref name="onProgress"/> (epoch, examples done, running mean cost) about a hundred times. Early stopping
    /// needs validation data. Throws <see cref="TrainingDivergedException"/> when the cost or the weights stop being
    /// finite, and <see cref="OperationCanceledException"/> when cancelled.
    /// </summary>
    public TrainingOutcome Train(FeedForwardNetwork<T> network, TrainingSet<T> data, TrainingSet<T>? validation = null,
        Action<EpochStatistics>? onEpoch = null, Action<int, int, double>? onProgress = null)
        => Train(network, new InMemoryBatches<T>(data), validation, onEpoch, onProgress);

    /// <summary>Trains from any source of mini-batches (see the overload taking a <see cref="TrainingSet{T}"/>).</summary>
    public TrainingOutcome Train(FeedForwardNetwork<T> network, IBatchSource<T> data, TrainingSet<T>? validation = null,
        Action<EpochStatistics>? onEpoch = null, Action<int, int, double>? onProgress = null)
    {
        if (data.Rows == 0) throw new ArgumentException("There are no training examples.", nameof(data));
        if (data.InputSize != network.Layout.InputSize || data.OutputSize != network.Layout.OutputSize)
            throw new ArgumentException("The training set does not fit the network's input and output layers.", nameof(data));
        if (validation is not null && (validation.Rows == 0 || validation.InputSize != data.InputSize || validation.OutputSize != data.OutputSize))
            throw new ArgumentException("The validation set is empty or does not fit the network.", nameof(validation));
        if (_settings.EarlyStopping && validation is null)
            throw new ArgumentException("Early stopping needs validation data.", nameof(validation));

        var random = new Random(_settings.Seed);
        int batchSize = Math.Min(_settings.BatchSize, data.Rows);
        var targets = new T[batchSize * data.OutputSize];
        var scale = new T[data.HasExampleScale ? batchSize : 0];

        using var runner = _settings.Threads > 1 ? new ParallelRunner(_settings.Threads) : null;
        var workspace = new Workspace<T>(runner);
        int evaluationBatch = Math.Max(batchSize, 100);
        workspace.EnsureFits(network, validation is null ? batchSize : Math.Max(batchSize, Math.Min(evaluationBatch, validation.Rows)));
        // Batches are gathered straight into the workspace's input rows, which spares the forward pass a copy.
        Span<T> inputs = workspace.InputBuffer(batchSize);
        var dropout = _settings.Dropout > 0 ? new DropoutMasks<T>(network.Layout, batchSize, _settings.Dropout, new Random(random.Next())) : null;
        if (dropout is not null) workspace.EnsureDropoutBuffers();
        var gradient = new Gradient<T>(network);
        var optimizer = Optimizer<T>.Create(_settings.Optimizer, network);
        // Plain SGD's step is taken inside the backward pass (see FeedForwardNetwork.Backpropagate); other rules need the gradient.
        bool fusedSgd = _settings.Optimizer.Kind == OptimizerKind.Sgd;
        var schedule = new LearningRateSchedule(_settings.Schedule, _settings.LearningRate, _settings.PowerT);
        var evaluator = validation is null ? null : new Evaluator<T>(validation, evaluationBatch);
        var best = _settings.EarlyStopping && _settings.RestoreBestWeights ? new FeedForwardNetwork<T>(network.Layout) : null;
        var history = new List<EpochStatistics>(_settings.Epochs);
        bool classifies = data.Classifies;
        T l2 = T.CreateChecked(_settings.L2Regularization / data.Rows);
        int batches = (data.Rows + batchSize - 1) / batchSize;
        int progressEvery = Math.Max(1, batches / 100);

        double bestMonitored = double.PositiveInfinity, bestValidation = double.PositiveInfinity;
        int? bestEpoch = null;
        int stalledEpochs = 0;
        bool stoppedEarly = false;
        long examplesSeen = 0;
        var clock = Stopwatch.StartNew();

        for (int e = 0; e < _settings.Epochs; e++)
        {
            int epoch = _settings.FirstEpoch + e;
            double eta = schedule.Current;
            T etaT = T.CreateChecked(eta);
            data.BeginEpoch(random);
            double costSum = 0;
            long correct = 0;
            int start = 0;
            for (int batch = 1; ; batch++)
            {
                _settings.CancellationToken.ThrowIfCancellationRequested();
                int rows = data.NextBatch(batchSize, inputs, targets, scale);
                if (rows == 0) break;
                dropout?.Draw(rows);
                double batchCost = network.Backpropagate(inputs, targets, scale.AsSpan(0, data.HasExampleScale ? rows : 0),
                    rows, workspace, gradient, dropout, fusedSgd ? (etaT, T.One - etaT * l2) : null);
                if (!double.IsFinite(batchCost))
                    throw new TrainingDivergedException(epoch, batchCost);
                costSum += batchCost;
                if (classifies)
                    correct += Evaluator<T>.CountCorrect(workspace.Activations[network.LayerCount].Span, targets, rows, data.OutputSize);
                if (!fusedSgd)
                    optimizer.Step(network, gradient, etaT, l2);
                start += rows;
                if (onProgress is not null && (batch % progressEvery == 0 || start == data.Rows))
                    onProgress(epoch, start, costSum / start);
            }
            if (start != data.Rows)
                throw new InvalidOperationException($"The epoch delivered {start} examples where {data.Rows} were expected: the data changed while training.");
            examplesSeen += data.Rows;

            if (!network.IsFinite())
                throw new TrainingDivergedException(epoch, double.NaN);
            double penalty = L2Penalty(network, _settings.L2Regularization, data.Rows);
            double loss = costSum / data.Rows + penalty;
            double? validationLoss = null, validationAccuracy = null;
            if (evaluator is not null)
            {
                // The validation cost carries the same L2 term as the training cost, so that the two curves compare.
                var (cost, accuracy) = evaluator.Evaluate(network, workspace, classifies);
                (validationLoss, validationAccuracy) = (cost + penalty, accuracy);
                if (validationLoss < bestValidation)
                {
                    bestValidation = validationLoss.Value;
                    bestEpoch = epoch;
                    best?.CopyParametersFrom(network);
                }
            }
            var stats = new EpochStatistics(epoch, loss, classifies ? (double)correct / data.Rows : null, clock.Elapsed, eta,
                validationLoss, validationAccuracy);
            history.Add(stats);
            onEpoch?.Invoke(stats);

            // scikit-learn's stall rule: the monitored cost (validation with early stopping, training otherwise) must fall
            // by at least the tolerance below its best; after more than Patience epochs without that, the adaptive
            // schedule divides η by 5, and early stopping (or an exhausted schedule) ends training.
            double monitored = _settings.EarlyStopping ? validationLoss!.Value : loss;
            stalledEpochs = monitored > bestMonitored - _settings.Tolerance ? stalledEpochs + 1 : 0;
            bestMonitored = Math.Min(bestMonitored, monitored);
            if (stalledEpochs > _settings.Patience && (_settings.EarlyStopping || _settings.Schedule == ScheduleKind.Adaptive))
            {
                if (schedule.Stalled())
                {
                    stoppedEarly = e < _settings.Epochs - 1;
                    break;
                }
                stalledEpochs = 0;
            }
            schedule.EpochEnded(examplesSeen);
        }

        bool restored = false;
        if (best is not null && bestEpoch is int b && b != history[^1].Epoch)
        {
            network.CopyParametersFrom(best);
            restored = true;
        }
        return new TrainingOutcome(history, bestEpoch, stoppedEarly, restored);
    }

    /// <summary>λ/(2n)·Σw² over all weights (not biases).</summary>
    public static double L2Penalty(FeedForwardNetwork<T> network, double lambda, int n)
    {
        if (lambda == 0) return 0;
        double sum = 0;
        foreach (var w in network.Weights)
            sum += double.CreateChecked(TensorPrimitives.SumOfSquares<T>(w.Span));
        return lambda / (2.0 * n) * sum;
    }
}
