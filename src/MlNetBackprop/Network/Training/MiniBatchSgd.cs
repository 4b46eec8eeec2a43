using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;

namespace MlNetBackprop.Network.Training;

/// <summary>
/// Mini-batch stochastic gradient descent, the loop of Nielsen's SGD(): each epoch shuffles the examples, cuts
/// them into mini-batches, backpropagates each batch and moves the weights against the gradient, with the L2
/// weight decay of chapter 3: w → (1 − ηλ/n)·w − η·∂C/∂w and b → b − η·∂C/∂b.
/// All buffers are allocated before the first epoch.
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
        _settings = settings;
    }

    /// <summary>
    /// Trains <paramref name="network"/> in place, which must already be initialised. After every epoch it measures
    /// <paramref name="validation"/> when given and calls <paramref name="onEpoch"/>; during an epoch it calls
    /// <paramref name="onProgress"/> (epoch, examples done, running mean cost) about a hundred times. Throws
    /// <see cref="TrainingDivergedException"/> when the cost or the weights stop being finite, and
    /// <see cref="OperationCanceledException"/> when cancelled.
    /// </summary>
    public List<EpochStatistics> Train(FeedForwardNetwork<T> network, TrainingSet<T> data, TrainingSet<T>? validation = null,
        Action<EpochStatistics>? onEpoch = null, Action<int, int, double>? onProgress = null)
    {
        if (data.Rows == 0) throw new ArgumentException("There are no training examples.", nameof(data));
        if (data.InputSize != network.Layout.InputSize || data.OutputSize != network.Layout.OutputSize)
            throw new ArgumentException("The training set does not fit the network's input and output layers.", nameof(data));
        if (validation is not null && (validation.Rows == 0 || validation.InputSize != data.InputSize || validation.OutputSize != data.OutputSize))
            throw new ArgumentException("The validation set is empty or does not fit the network.", nameof(validation));

        var random = new Random(_settings.Seed);
        int batchSize = Math.Min(_settings.BatchSize, data.Rows);
        var order = new int[data.Rows];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        var inputs = new T[batchSize * data.InputSize];
        var targets = new T[batchSize * data.OutputSize];
        var scale = new T[data.ExampleScale is null ? 0 : batchSize];
        using var runner = _settings.Threads > 1 ? new Kernels.ParallelRunner(_settings.Threads) : null;
        var workspace = new Workspace<T>(runner);
        int evaluationBatch = Math.Max(batchSize, 100);
        workspace.EnsureFits(network, validation is null ? batchSize : Math.Max(batchSize, Math.Min(evaluationBatch, validation.Rows)));
        var gradient = new Gradient<T>(network);
        var history = new List<EpochStatistics>(_settings.Epochs);
        var evaluator = validation is null ? null : new Evaluator<T>(validation, evaluationBatch);
        int batches = (data.Rows + batchSize - 1) / batchSize;
        int progressEvery = Math.Max(1, batches / 100);
        bool classifies = data.Classes is not null || network.Layout.Output == Activations.ActivationKind.Sigmoid;

        T eta = T.CreateChecked(_settings.LearningRate);
        T decay = T.One - T.CreateChecked(_settings.LearningRate * _settings.L2Regularization / data.Rows);
        var clock = Stopwatch.StartNew();

        for (int epoch = 1; epoch <= _settings.Epochs; epoch++)
        {
            Shuffle(order, random);
            double costSum = 0;
            long correct = 0;
            for (int start = 0, batch = 1; start < data.Rows; start += batchSize, batch++)
            {
                _settings.CancellationToken.ThrowIfCancellationRequested();
                int rows = Math.Min(batchSize, data.Rows - start);
                data.Gather(order.AsSpan(start, rows), inputs, targets, scale);
                double batchCost = network.Backpropagate(inputs, targets, scale.AsSpan(0, data.ExampleScale is null ? 0 : rows),
                    rows, workspace, gradient);
                if (!double.IsFinite(batchCost))
                    throw new TrainingDivergedException(epoch, batchCost);
                costSum += batchCost;
                if (classifies)
                    correct += Evaluator<T>.CountCorrect(workspace.Activations[network.LayerCount], targets, rows, data.OutputSize);
                Update(network, gradient, eta, decay);
                if (onProgress is not null && (batch % progressEvery == 0 || batch == batches))
                    onProgress(epoch, start + rows, costSum / (start + rows));
            }

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
            }
            var stats = new EpochStatistics(epoch, loss, classifies ? (double)correct / data.Rows : null, clock.Elapsed,
                validationLoss, validationAccuracy);
            history.Add(stats);
            onEpoch?.Invoke(stats);
        }
        return history;
    }

    private static void Update(FeedForwardNetwork<T> network, Gradient<T> gradient, T eta, T decay)
    {
        for (int l = 0; l < network.LayerCount; l++)
        {
            Span<T> w = network.Weights[l];
            // w → (1 − ηλ/n)·w − η·∂C/∂w
            if (decay != T.One)
                TensorPrimitives.Multiply(w, decay, w);
            TensorPrimitives.MultiplyAdd(gradient.Weights[l], -eta, w, w);
            // b → b − η·∂C/∂b (biases are not regularised, as in the book)
            TensorPrimitives.MultiplyAdd(gradient.Biases[l], -eta, network.Biases[l], network.Biases[l]);
        }
    }

    /// <summary>λ/(2n)·Σw² over all weights (not biases).</summary>
    public static double L2Penalty(FeedForwardNetwork<T> network, double lambda, int n)
    {
        if (lambda == 0) return 0;
        double sum = 0;
        foreach (var w in network.Weights)
            sum += double.CreateChecked(TensorPrimitives.SumOfSquares<T>(w));
        return lambda / (2.0 * n) * sum;
    }

    private static void Shuffle(int[] order, Random random)
    {
        // Fisher–Yates with the seeded generator: the same seed gives the same batches.
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
    }
}
