using MlNetBackprop.Network;
using MlNetBackprop.Network.Training;
using Xunit;
using Xunit.Abstractions;

namespace MlNetBackprop.Tests.Network;

/// <summary>
/// The engine's mini-batch matrix form against the book's algorithm as network.py and network2.py write it: one example
/// at a time, plain loops, in double. Same initial weights, same mini-batch order; after several mini-batches the
/// weights must agree to rounding.
/// </summary>
public sealed class PerExampleBackpropTests(ITestOutputHelper output)
{
    public static TheoryData<CostFunction, MulticlassOutput> Networks() => new()
    {
        { CostFunction.CrossEntropy, MulticlassOutput.Sigmoid }, // network2.py
        { CostFunction.Quadratic, MulticlassOutput.Sigmoid },    // network.py
        { CostFunction.CrossEntropy, MulticlassOutput.Softmax }, // chapter 3's softmax and log-likelihood
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void Two_epochs_of_mini_batches_equal_the_books_per_example_loops(CostFunction cost, MulticlassOutput outputLayer)
    {
        const int rows = 40, batch = 10, epochs = 2, seed = 8;
        const double eta = 0.5, lambda = 2.0;
        var layout = Engine.Layout([6, 5, 4, 3], HiddenActivation.Sigmoid, BackpropTask.MulticlassClassification, cost, outputLayer);
        var network = Engine.Network<double>(layout, seed: 3);
        var book = new BookNetwork(network, softmax: outputLayer == MulticlassOutput.Softmax, quadratic: cost == CostFunction.Quadratic);

        var random = new Random(4);
        var x = Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, 6).Select(_ => random.NextDouble()).ToArray()).ToArray();
        var classes = Enumerable.Range(0, rows).Select(_ => random.Next(3)).ToArray();
        var set = TrainingSet<double>.ForClasses(x.SelectMany(r => r).ToArray(), rows, 6, classes, 3);

        new MiniBatchSgd<double>(Engine.Settings(new BackpropTrainer.Options
            { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, Epochs = epochs, BatchSize = batch, L2Regularization = lambda, NumberOfThreads = 1 }, eta, seed)).Train(network, set);

        // The book's SGD: shuffle (the same Fisher–Yates of the rows in order, from epoch e's own generator, as the engine
        // draws it), cut into mini-batches, update each.
        for (int e = 0; e < epochs; e++)
        {
            var shuffle = new ReseedableRandom(MiniBatchSgd<double>.EpochSeed(seed, e + 1));
            var order = Enumerable.Range(0, rows).ToArray();
            for (int i = rows - 1; i > 0; i--)
            {
                int j = shuffle.Next(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
            for (int start = 0; start < rows; start += batch)
                book.UpdateMiniBatch(order[start..(start + batch)].Select(r => (x[r], classes[r])).ToArray(), eta, lambda, rows);
        }

        var engine = Engine.AllParameters(network);
        var reference = book.AllParameters();
        double largest = reference.Max(Math.Abs);
        double difference = engine.Zip(reference, (a, b) => Math.Abs(a - b)).Max();
        output.WriteLine($"{layout}: largest parameter {largest:G4}, largest difference {difference:E2}, relative {difference / largest:E2}");
        Assert.True(difference / largest < 1e-12, $"relative difference {difference / largest:E2}");
        Assert.NotEqual(Engine.AllParameters(Engine.Network<double>(layout, seed: 3)), engine); // training did move the weights
    }

    /// <summary>network.py / network2.py in C#: weights[l][j][k] = w_jk, one example at a time.</summary>
    private sealed class BookNetwork
    {
        private readonly double[][][] _weights;
        private readonly double[][] _biases;
        private readonly bool _softmax, _quadratic;

        public BookNetwork(FeedForwardNetwork<double> start, bool softmax, bool quadratic)
        {
            (_softmax, _quadratic) = (softmax, quadratic);
            var sizes = start.Layout.Sizes;
            _weights = new double[start.LayerCount][][];
            _biases = new double[start.LayerCount][];
            for (int l = 0; l < start.LayerCount; l++)
            {
                var w = start.Layers[l].Parameters[0].Values.ToArray();
                _weights[l] = Enumerable.Range(0, sizes[l + 1]).Select(j => w[(j * sizes[l])..((j + 1) * sizes[l])]).ToArray();
                _biases[l] = start.Layers[l].Parameters[1].Values.ToArray();
            }
        }

        public double[] AllParameters() => Enumerable.Range(0, _weights.Length)
            .SelectMany(l => _weights[l].SelectMany(row => row).Concat(_biases[l])).ToArray();

        private static double Sigmoid(double z) => 1.0 / (1.0 + Math.Exp(-z));

        /// <summary>update_mini_batch: sum the examples' gradients, then w → (1 − ηλ/n)w − (η/m)Σ∇w, b → b − (η/m)Σ∇b.</summary>
        public void UpdateMiniBatch((double[] X, int Y)[] batch, double eta, double lambda, int n)
        {
            var nablaW = _weights.Select(w => w.Select(row => new double[row.Length]).ToArray()).ToArray();
            var nablaB = _biases.Select(b => new double[b.Length]).ToArray();
            foreach (var (x, y) in batch)
            {
                var (deltaW, deltaB) = Backprop(x, y);
                for (int l = 0; l < _weights.Length; l++)
                    for (int j = 0; j < _weights[l].Length; j++)
                    {
                        nablaB[l][j] += deltaB[l][j];
                        for (int k = 0; k < _weights[l][j].Length; k++) nablaW[l][j][k] += deltaW[l][j][k];
                    }
            }
            for (int l = 0; l < _weights.Length; l++)
                for (int j = 0; j < _weights[l].Length; j++)
                {
                    for (int k = 0; k < _weights[l][j].Length; k++)
                        _weights[l][j][k] = (1 - eta * (lambda / n)) * _weights[l][j][k] - eta / batch.Length * nablaW[l][j][k];
                    _biases[l][j] -= eta / batch.Length * nablaB[l][j];
                }
        }

        /// <summary>backprop(x, y): feedforward keeping every z and a, then BP1, and BP2–BP4 layer by layer down.</summary>
        private (double[][][] W, double[][] B) Backprop(double[] x, int y)
        {
            int layers = _weights.Length;
            var activations = new List<double[]> { x };
            var zs = new List<double[]>();
            for (int l = 0; l < layers; l++)
            {
                var z = new double[_weights[l].Length];
                for (int j = 0; j < z.Length; j++)
                {
                    z[j] = _biases[l][j];
                    for (int k = 0; k < activations[l].Length; k++) z[j] += _weights[l][j][k] * activations[l][k];
                }
                zs.Add(z);
                bool output = l == layers - 1;
                if (output && _softmax)
                {
                    double max = z.Max(), sum = z.Sum(v => Math.Exp(v - max));
                    activations.Add(z.Select(v => Math.Exp(v - max) / sum).ToArray());
                }
                else
                {
                    activations.Add(z.Select(Sigmoid).ToArray());
                }
            }
            var nablaW = new double[layers][][];
            var nablaB = new double[layers][];
            // BP1: the cost's delta(z, a, y)
            var a = activations[^1];
            var delta = a.Select((v, j) => v - (j == y ? 1.0 : 0.0)).ToArray();
            if (_quadratic)
                for (int j = 0; j < delta.Length; j++) delta[j] *= a[j] * (1 - a[j]);
            for (int l = layers - 1; l >= 0; l--)
            {
                if (l < layers - 1)
                {
                    // BP2: δˡ = ((wˡ⁺¹)ᵀδˡ⁺¹) ⊙ σ′(zˡ)
                    var below = new double[_weights[l].Length];
                    for (int k = 0; k < below.Length; k++)
                    {
                        for (int j = 0; j < delta.Length; j++) below[k] += _weights[l + 1][j][k] * delta[j];
                        double s = Sigmoid(zs[l][k]);
                        below[k] *= s * (1 - s);
                    }
                    delta = below;
                }
                // BP3 and BP4
                nablaB[l] = (double[])delta.Clone();
                nablaW[l] = delta.Select(d => activations[l].Select(ak => d * ak).ToArray()).ToArray();
            }
            return (nablaW, nablaB);
        }
    }
}
