using MlNetBackprop.Network;
using MlNetBackprop.Network.Inputs;
using MlNetBackprop.Network.Layers;
using MlNetBackprop.Network.Optimizers;
using MlNetBackprop.Network.Storage;
using MlNetBackprop.Network.Targets;
using MlNetBackprop.Network.Training;
using Xunit;
using Xunit.Abstractions;

namespace MlNetBackprop.Tests.Network;

/// <summary>The sparse input layer: the dense layer's network at the cost of the non-zeros.</summary>
public sealed class SparseInputTests(ITestOutputHelper output)
{
    private const int Inputs = 40, Rows = 6;

    /// <summary>Rows of <paramref name="width"/> inputs of which about one in <paramref name="every"/> is non-zero (at least one per row).</summary>
    private static SparseRows<T> RandomRows<T>(int rows, int width, int every, int seed) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        var sparse = new SparseRows<T>(width);
        var dense = new T[width];
        for (int r = 0; r < rows; r++)
        {
            Array.Clear(dense);
            dense[random.Next(width)] = T.CreateChecked(random.NextDouble() + 0.1);
            for (int k = 0; k < width; k++)
                if (random.Next(every) == 0) dense[k] = T.CreateChecked(random.NextDouble() * 2 - 1);
            sparse.AppendDense(dense);
        }
        return sparse;
    }

    private static T[] Dense<T>(SparseRows<T> rows) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var dense = new T[rows.Rows * rows.Width];
        for (int r = 0; r < rows.Rows; r++) rows.CopyRowTo(r, dense.AsSpan(r * rows.Width, rows.Width));
        return dense;
    }

    private static double[] Targets(BackpropTask task, int rows, int width, int seed)
    {
        var random = new Random(seed);
        var targets = new double[rows * width];
        for (int r = 0; r < rows; r++)
        {
            if (task == BackpropTask.Regression) targets[r * width] = random.NextDouble() * 2 - 1;
            else if (task == BackpropTask.BinaryClassification) targets[r * width] = random.Next(2);
            else targets[r * width + random.Next(width)] = 1;
        }
        return targets;
    }

    private static int Outputs(BackpropTask task) => task == BackpropTask.MulticlassClassification ? 3 : 1;

    public static TheoryData<BackpropTask, CostFunction, MulticlassOutput> Pairings()
    {
        var data = new TheoryData<BackpropTask, CostFunction, MulticlassOutput>();
        foreach (var (task, cost, multiclassOutput) in Engine.Pairings()) data.Add(task, cost, multiclassOutput);
        return data;
    }

    [Theory]
    [MemberData(nameof(Pairings))]
    public void Backprop_through_a_sparse_input_layer_matches_finite_differences(BackpropTask task, CostFunction cost, MulticlassOutput multiclassOutput)
    {
        var layout = Engine.Layout([Inputs, 5, Outputs(task)], HiddenActivation.Tanh, task, cost, multiclassOutput).WithSparseInput(true);
        var network = Engine.Network<double>(layout, seed: 3);
        var rows = RandomRows<double>(Rows, Inputs, every: 8, seed: 4);
        var batch = MiniBatch<double>.Of(rows, Targets(task, Rows, Outputs(task), 5), []);
        var result = GradientCheck.Run(network, batch, lambda: 3.0, n: 20);
        output.WriteLine($"{network.Layout}: max relative error {result.MaxRelativeError:E2}");
        Assert.Equal(network.Parameters.Sum(p => p.Length), result.ParametersChecked);
        Assert.True(result.MaxRelativeError < 1e-4, $"max relative error {result.MaxRelativeError:E2}");
    }

    [Fact]
    public void Without_hidden_layers_the_sparse_layer_is_the_output_layer()
    {
        var layout = Engine.Layout([Inputs, 1], HiddenActivation.Sigmoid, BackpropTask.BinaryClassification, CostFunction.CrossEntropy).WithSparseInput(true);
        var network = Engine.Network<double>(layout, seed: 3);
        var batch = MiniBatch<double>.Of(RandomRows<double>(Rows, Inputs, 6, 8), Targets(BackpropTask.BinaryClassification, Rows, 1, 9), []);
        Assert.True(GradientCheck.Run(network, batch).MaxRelativeError < 1e-4);
    }

    [Fact]
    public void The_weight_gradient_covers_the_inputs_present_holds_only_their_rows_and_is_zero_elsewhere()
    {
        var layout = Engine.Layout([Inputs, 4, 3], HiddenActivation.Sigmoid, BackpropTask.MulticlassClassification, CostFunction.CrossEntropy).WithSparseInput(true);
        var network = Engine.Network<double>(layout, seed: 1);
        var workspace = new Workspace<double>();
        var weights = network.Layers[0].Parameters[0];
        foreach (int seed in new[] { 2, 3 }) // the second batch must clear what the first wrote
        {
            var rows = RandomRows<double>(Rows, Inputs, every: 10, seed);
            Backpropagation.Run(network, MiniBatch<double>.Of(rows, Targets(BackpropTask.MulticlassClassification, Rows, 3, seed), []), workspace,
                GradientStore<double>.Gradients);
            var present = Enumerable.Range(0, Rows).SelectMany(r => rows.IndicesOf(r).ToArray()).ToHashSet();
            Assert.Equal(present.OrderBy(k => k), weights.Touched!.Rows.ToArray().OrderBy(k => k));
            // Held: the rows reached only, not a copy of the whole block.
            Assert.Equal(present.Count * 4, weights.Gradient.Length);
            var dw = new double[weights.Length];
            weights.CopyGradientTo(dw);
            for (int k = 0; k < Inputs; k++)
                if (!present.Contains(k))
                    Assert.True(dw.AsSpan(k * 4, 4).ToArray().All(g => g == 0), $"input {k} is absent, but its gradient row is not zero");
        }
    }

    /// <summary>
    /// The equivalence: the same data given dense and sparse, plain SGD with λ &gt; 0 (weight decay on every weight
    /// every step, deferred in the sparse layer) for an epoch of many mini-batches: the same network up to float rounding.
    /// </summary>
    [Theory]
    [InlineData(0.0)]
    [InlineData(5.0)]
    public void Plain_SGD_trains_the_same_network_from_dense_and_sparse_rows(double lambda)
    {
        var sparseRows = RandomRows<float>(300, Inputs, every: 6, seed: 11);
        var random = new Random(12);
        var classes = Enumerable.Range(0, 300).Select(_ => random.Next(3)).ToArray();
        var labels = TrainingLabels.Of(classes);
        var dense = new TrainingSet<float>(Dense(sparseRows), 300, Inputs, labels, TargetEncoding.OneHot(3), null);
        var sparse = new TrainingSet<float>(sparseRows, labels, TargetEncoding.OneHot(3), null);
        var layout = Engine.Layout([Inputs, 8, 3], HiddenActivation.Sigmoid, BackpropTask.MulticlassClassification, CostFunction.CrossEntropy);
        var denseNetwork = Engine.Network<float>(layout, seed: 5);
        var sparseNetwork = Engine.Network<float>(layout.WithSparseInput(true), seed: 5);
        var settings = Engine.Settings(new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, Epochs = 2, BatchSize = 10, L2Regularization = lambda, NumberOfThreads = 1 }, learningRate: 0.5);
        new MiniBatchSgd<float>(settings).Train(denseNetwork, dense);
        new MiniBatchSgd<float>(settings).Train(sparseNetwork, sparse);

        var expected = BookOrder(denseNetwork);
        var actual = BookOrder(sparseNetwork);
        var initial = BookOrder(Engine.Network<float>(layout, seed: 5));
        double worst = 0, moved = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]) / (1e-3 + Math.Abs(expected[i])));
            moved = Math.Max(moved, Math.Abs(expected[i] - initial[i]));
        }
        output.WriteLine($"λ = {lambda}: largest relative difference {worst:E2}, largest move {moved:F3}");
        Assert.True(moved > 0.05, "training moved nothing");
        Assert.True(worst < 1e-5, $"dense and sparse weights differ by {worst:E2}");
    }

    /// <summary>Every weight and bias in the book's order, whatever the layers store.</summary>
    private static float[] BookOrder(FeedForwardNetwork<float> network)
        => network.Layers.Cast<FullyConnectedLayer<float>>().SelectMany(layer =>
        {
            var weights = new float[layer.InputSize * layer.OutputSize];
            layer.CopyWeightsTo(weights);
            return weights.Concat(layer.Biases);
        }).ToArray();

    /// <summary>
    /// The documented lazy rule: with momentum or Adam a row of the sparse layer's weights moves, and its optimizer state
    /// changes, only in steps whose batch has that input; rows of inputs in the batch move as the dense rule moves them.
    /// </summary>
    [Theory]
    [InlineData(Solver.Sgd, 0.9)]
    [InlineData(Solver.Adam, 0.0)]
    public void Momentum_and_Adam_move_only_the_rows_of_inputs_present(Solver solver, double momentum)
    {
        var layout = Engine.Layout([Inputs, 4, 3], HiddenActivation.Sigmoid, BackpropTask.MulticlassClassification, CostFunction.CrossEntropy);
        var settings = new OptimizerSettings(solver, momentum, false, 0.9, 0.999, 1e-8);
        var sparseNetwork = Engine.Network<double>(layout.WithSparseInput(true), seed: 2);
        var denseNetwork = Engine.Network<double>(layout, seed: 2);
        var (sparseRule, denseRule) = (Optimizer<double>.Create(settings, sparseNetwork), Optimizer<double>.Create(settings, denseNetwork));
        var (sparseWork, denseWork) = (new Workspace<double>(), new Workspace<double>());

        // Step 1 reaches inputs 0–19, step 2 inputs 20–39: after step 2, the dense rule has moved rows 0–19 again (their
        // velocity or moments carry on); the lazy rule has left them where step 1 put them.
        double[]? afterFirst = null;
        for (int step = 0; step < 2; step++)
        {
            var rows = RandomRows<double>(Rows, Inputs / 2, every: 3, seed: 20 + step);
            var shifted = new SparseRows<double>(Inputs);
            for (int r = 0; r < Rows; r++)
                shifted.Append(rows.ValuesOf(r), rows.IndicesOf(r).ToArray().Select(k => k + step * Inputs / 2).ToArray());
            var targets = Targets(BackpropTask.MulticlassClassification, Rows, 3, 30 + step);
            var sparseBatch = MiniBatch<double>.Of(shifted, targets, []);
            var denseBatch = MiniBatch<double>.Of(Dense(shifted), targets, [], Rows);
            foreach (var rule in new[] { sparseRule, denseRule }) rule.Prepare(0.1, 0.01);
            Backpropagation.Run(sparseNetwork, sparseBatch, sparseWork, sparseRule.Store);
            Backpropagation.Run(denseNetwork, denseBatch, denseWork, denseRule.Store);
            sparseRule.Step();
            denseRule.Step();
            if (step == 0)
            {
                // After one step from zero state both rules agree on every row: the absent ones have zero gradient under
                // the dense rule, and only the L2 term moves them there.
                afterFirst = BookOrderOf(sparseNetwork);
                var present = Enumerable.Range(0, Rows).SelectMany(r => shifted.IndicesOf(r).ToArray()).ToHashSet();
                AssertRows(afterFirst, BookOrderOf(denseNetwork), present, 1e-12);
            }
        }
        var sparse = BookOrderOf(sparseNetwork);
        var dense = BookOrderOf(denseNetwork);
        int unchanged = 0, denseMoved = 0;
        for (int k = 0; k < Inputs / 2; k++)
            for (int j = 0; j < 4; j++)
            {
                int i = j * Inputs + k;
                if (sparse[i] == afterFirst![i]) unchanged++;
                if (Math.Abs(dense[i] - afterFirst[i]) > 1e-9) denseMoved++;
            }
        output.WriteLine($"{solver}: rows of absent inputs unchanged {unchanged} of {Inputs / 2 * 4}; the dense rule moved {denseMoved}");
        Assert.Equal(Inputs / 2 * 4, unchanged);
        Assert.True(denseMoved > 0, "the dense rule should move rows with state even when their gradient is zero");
    }

    private static double[] BookOrderOf(FeedForwardNetwork<double> network)
    {
        var weights = new double[Inputs * 4];
        ((FullyConnectedLayer<double>)network.Layers[0]).CopyWeightsTo(weights);
        return weights;
    }

    private static void AssertRows(double[] actual, double[] expected, HashSet<int> inputs, double tolerance)
    {
        foreach (int k in inputs)
            for (int j = 0; j < 4; j++)
                Assert.True(Math.Abs(actual[j * Inputs + k] - expected[j * Inputs + k]) <= tolerance,
                    $"input {k}, neuron {j}: {actual[j * Inputs + k]} vs {expected[j * Inputs + k]}");
    }

    [Fact]
    public void A_stored_sparse_network_loads_as_one_and_scores_sparse_and_dense_rows_alike()
    {
        var layout = Engine.Layout([Inputs, 6, 3], HiddenActivation.Relu, BackpropTask.MulticlassClassification, CostFunction.CrossEntropy).WithSparseInput(true);
        var network = Engine.Network<float>(layout, seed: 8);
        var text = NetworkRecord.ToText(network, LabelStandardization.None);
        var loaded = NetworkRecord.FromText(text).Network;
        Assert.True(loaded.Layout.SparseInput);
        Assert.Equal(Engine.AllParameters(network), Engine.AllParameters(loaded));

        var dense = new FeedForwardNetwork<float>(layout.WithSparseInput(false));
        dense.CopyParametersFrom(network);
        var rows = RandomRows<float>(5, Inputs, every: 5, seed: 9);
        var (sparsePredictor, densePredictor) = (new Predictor(loaded, LabelStandardization.None), new Predictor(dense, LabelStandardization.None));
        var row = new float[Inputs];
        for (int r = 0; r < rows.Rows; r++)
        {
            rows.CopyRowTo(r, row);
            densePredictor.Forward(row, out _, out var expected);
            var want = expected.ToArray();
            sparsePredictor.Forward(rows.ValuesOf(r), rows.IndicesOf(r), out _, out var fromSparse);
            AssertClose(want, fromSparse.ToArray());
            sparsePredictor.Forward(row, out _, out var fromDense);
            AssertClose(want, fromDense.ToArray());
        }
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6 + 1e-5 * Math.Abs(expected[i]), $"output {i}: {expected[i]} vs {actual[i]}");
    }

    [Fact]
    public void The_deferred_decay_reaches_the_weights_of_inputs_never_present()
    {
        // Input 0 never appears: its weight changes by decay alone, (1 − ηλ/n) per step, 5 steps in the epoch.
        var shifted = RandomRows<float>(50, Inputs - 1, every: 6, seed: 3);
        var sparseRows = new SparseRows<float>(Inputs);
        for (int r = 0; r < shifted.Rows; r++)
            sparseRows.Append(shifted.ValuesOf(r), shifted.IndicesOf(r).ToArray().Select(k => k + 1).ToArray());
        var labels = TrainingLabels.Of(Enumerable.Range(0, 50).Select(i => i % 2).ToArray());
        var set = new TrainingSet<float>(sparseRows, labels, TargetEncoding.Binary, null);
        var layout = Engine.Layout([Inputs, 1], HiddenActivation.Sigmoid, BackpropTask.BinaryClassification, CostFunction.CrossEntropy).WithSparseInput(true);
        var network = Engine.Network<float>(layout, seed: 4);
        float before = network.Layers[0].Parameters[0].Values.Span[0], neighbour = network.Layers[0].Parameters[0].Values.Span[1];
        var settings = Engine.Settings(new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, Epochs = 1, BatchSize = 10, L2Regularization = 10, NumberOfThreads = 1 }, learningRate: 0.5);
        new MiniBatchSgd<float>(settings).Train(network, set);
        var weights = network.Layers[0].Parameters[0].Values.Span;
        Assert.Equal(before * Math.Pow(1 - 0.5 * 10 / 50.0, 5), weights[0], 1e-6);
        Assert.NotEqual(neighbour * Math.Pow(1 - 0.5 * 10 / 50.0, 5), weights[1], 1e-4); // present inputs learn as well
    }
}
