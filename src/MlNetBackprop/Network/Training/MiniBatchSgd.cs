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
    /// Trains <paramref name="network"/> in place, which must already be initialised. Calls
    /// <paramref name="onEpoch"/> after every epoch. Throws <see cref="TrainingDivergedException"/> when the cost or
    /// the weights stop being finite, and <see cref="OperationCanceledException"/> when cancelled.
    /// </summary>
    public List<EpochStatistics> Train(FeedForwardNetwork<T> network, TrainingSet<T> data, Action<EpochStatistics>? onEpoch = null)
    {
        if (data.Rows == 0) throw new ArgumentException("There are no training examples.", nameof(data));
        if (data.InputSize != network.Layout.InputSize || data.OutputSize != network.Layout.OutputSize)
            throw new ArgumentException("The training set does not fit the network's input and output layers.", nameof(data));

        var random = new Random(_settings.Seed);
        int batchSize = Math.Min(_settings.BatchSize, data.Rows);
        var order = new int[data.Rows];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        var inputs = new T[batchSize * data.InputSize];
        var targets = new T[batchSize * data.OutputSize];
        var scale = new T[data.ExampleScale is null ? 0 : batchSize];
        using var runner = _settings.Threads > 1 ? new Kernels.ParallelRunner(_settings.Threads) : null;
        var workspace = new Workspace<T>(runner);
        workspace.EnsureFits(network, batchSize);
        var gradient = new Gradient<T>(network);
        var history = new List<EpochStatistics>(_settings.Epochs);
        bool classifies = data.Classes is not null || network.Layout.Output == Activations.ActivationKind.Sigmoid;

        T eta = T.CreateChecked(_settings.LearningRate);
        T decay = T.One - T.CreateChecked(_settings.LearningRate * _settings.L2Regularization / data.Rows);
        var clock = Stopwatch.StartNew();

        for (int epoch = 1; epoch <= _settings.Epochs; epoch++)
        {
            Shuffle(order, random);
            double costSum = 0;
            long correct = 0;
            for (int start = 0; start < data.Rows; start += batchSize)
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
                    correct += CountCorrect(workspace.Activations[network.LayerCount], targets, rows, data.OutputSize);
                Update(network, gradient, eta, decay);
            }

            if (!network.IsFinite())
                throw new TrainingDivergedException(epoch, double.NaN);
            double loss = costSum / data.Rows + L2Penalty(network, _settings.L2Regularization, data.Rows);
            var stats = new EpochStatistics(epoch, loss, classifies ? (double)correct / data.Rows : null, clock.Elapsed);
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

    private static long CountCorrect(T[] outputs, T[] targets, int rows, int width)
    {
        long correct = 0;
        for (int r = 0; r < rows; r++)
        {
            var a = outputs.AsSpan(r * width, width);
            var y = targets.AsSpan(r * width, width);
            if (width == 1)
                correct += (a[0] > T.CreateChecked(0.5)) == (y[0] > T.CreateChecked(0.5)) ? 1 : 0;
            else
                correct += TensorPrimitives.IndexOfMax<T>(a) == TensorPrimitives.IndexOfMax<T>(y) ? 1 : 0;
        }
        return correct;
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
