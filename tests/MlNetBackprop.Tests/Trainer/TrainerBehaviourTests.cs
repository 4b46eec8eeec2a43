using Microsoft.ML;
using Xunit;

namespace MlNetBackprop.Tests.Trainer;

/// <summary>Determinism, the catalog methods, logging, example weights and the exposed network.</summary>
public sealed class TrainerBehaviourTests
{
    private static float[][] AllWeights(BackpropTransformer model)
        => Enumerable.Range(0, model.Model.LayerCount)
            .SelectMany(l => new[] { model.Model.GetWeights(l).ToArray(), model.Model.GetBiases(l).ToArray() }).ToArray();

    [Fact]
    public void The_same_seed_gives_the_same_model_bit_for_bit()
    {
        BackpropTransformer Train(int? seed, int contextSeed)
        {
            var ml = new MLContext(seed: contextSeed);
            return new BackpropTrainer(ml, new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, Seed = seed, HiddenLayerSizes = [16, 8], Epochs = 5 }).Fit(TestData.Iris(ml));
        }
        Assert.Equal(AllWeights(Train(5, 1)), AllWeights(Train(5, 2)));       // an explicit seed wins over the context
        Assert.Equal(AllWeights(Train(null, 3)), AllWeights(Train(null, 3))); // the context's seed, twice
        Assert.NotEqual(AllWeights(Train(5, 1)), AllWeights(Train(6, 1)));
        Assert.NotEqual(AllWeights(Train(null, 3)), AllWeights(Train(null, 4)));
    }

    /// <summary>Every update rule, with and without dropout: the model is the same bits whatever the number of threads.</summary>
    [Theory]
    [InlineData(Solver.Sgd, 0.0, 0.0)]
    [InlineData(Solver.Sgd, 0.9, 0.0)]
    [InlineData(Solver.Adam, 0.0, 0.2)]
    public void The_number_of_threads_does_not_change_a_bit_of_the_model(Solver solver, double momentum, double dropout)
    {
        var ml = new MLContext(seed: 1);
        var digits = TestData.DigitsPreparation(ml);
        var raw = TestData.Digits(ml, "optdigits.tra");
        var data = digits.Fit(raw).Transform(raw);
        // Batches of 128 through 256 hidden units: products large enough to be split between threads.
        Assert.True(128L * 64 * 256 >= MlNetBackprop.Network.Kernels.ParallelGemm<float>.ParallelThreshold);
        float[][] Train(int threads) => AllWeights(new BackpropTrainer(ml, new BackpropTrainer.Options
        { Activation = HiddenActivation.Sigmoid, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false,
            HiddenLayerSizes = [256, 32], BatchSize = 128, Epochs = 2, Seed = 9, NumberOfThreads = threads, Solver = solver, Momentum = momentum,
            LearningRate = solver == Solver.Adam ? 0.001 : 0.1, DropoutRate = dropout,
        }).Fit(data));
        var one = Train(1);
        Assert.Equal(one, Train(2));
        Assert.Equal(one, Train(3));
    }

    [Fact]
    public void Without_a_context_the_default_seed_is_used()
    {
        var ml = new MLContext(seed: 1);
        var a = new BackpropTrainer(new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, Epochs = 2 }).Fit(TestData.Iris(ml));
        var b = new BackpropTrainer(new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, Epochs = 2, Seed = BackpropTrainer.DefaultSeed }).Fit(TestData.Iris(ml));
        Assert.Equal(AllWeights(a), AllWeights(b));
    }

    [Fact]
    public void Catalog_trainers_log_to_the_context_and_fix_the_task()
    {
        var ml = new MLContext(seed: 1);
        var messages = new List<string>();
        ml.Log += (_, e) => { lock (messages) messages.Add(e.RawMessage); };
        var model = ml.MulticlassClassification.Trainers.Backprop(hiddenLayerSizes: [8], epochs: 3).Fit(TestData.Iris(ml));
        Assert.Equal(BackpropTask.MulticlassClassification, model.Task);
        // Three epochs for each network trained (the plain one, and the encoded one beside it when validation chooses the encoding).
        int networks = messages.Count(m => m.StartsWith("Training a "));
        Assert.InRange(networks, 1, 2);
        Assert.Equal(3 * networks, messages.Count(m => m.StartsWith("Epoch ") && m.Contains("loss") && m.Contains(" s")));

        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.BinaryClassification.Trainers.Backprop(new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, Epochs = 100, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, Task = BackpropTask.Regression }));
        Assert.Contains("contradicts", e.Message);
    }

    [Fact]
    public void CrossValidate_runs_with_the_trainer()
    {
        var ml = new MLContext(seed: 1);
        var results = ml.MulticlassClassification.CrossValidate(TestData.Iris(ml),
            ml.MulticlassClassification.Trainers.Backprop(hiddenLayerSizes: [8]), numberOfFolds: 3); // the defaults: Adam, and early stopping on rows this few
        Assert.Equal(3, results.Count);
        Assert.All(results, r => Assert.True(r.Metrics.MicroAccuracy > 0.6, $"fold accuracy {r.Metrics.MicroAccuracy}"));
    }

    [Fact]
    public void The_transformer_exposes_the_network_layout_and_history()
    {
        var ml = new MLContext(seed: 1);
        var model = new BackpropTrainer(ml, new BackpropTrainer.Options { Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, HiddenLayerSizes = [7, 5], Epochs = 4, Activation = HiddenActivation.Tanh }).Fit(TestData.Iris(ml));
        Assert.Equal(new[] { 4, 7, 5, 3 }, model.Model.LayerSizes);
        Assert.Equal(HiddenActivation.Tanh, model.Model.Activation);
        Assert.Equal(7 * 4, model.Model.GetWeights(0).Length);
        Assert.Equal(3 * 5, model.Model.GetWeights(2).Length);
        Assert.Equal(3, model.Model.GetBiases(2).Length);
        Assert.Equal(4, model.History.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Model.GetWeights(3));
    }

    [Fact]
    public void An_example_weight_of_two_equals_a_duplicated_row_in_the_cost()
    {
        // One pass with batch = all rows: the weighted mean cost of the first epoch must equal that of the duplicated data.
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 6).Select(i => new WeightedRow { Features = [i / 6f, (i % 2)], Label = i % 2 == 0, Weight = i == 0 ? 2 : 1 }).ToList();
        var duplicated = rows.Select(r => new WeightedRow { Features = r.Features, Label = r.Label, Weight = 1 }).Append(
            new WeightedRow { Features = rows[0].Features, Label = rows[0].Label, Weight = 1 }).ToList();
        var options = new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, HiddenLayerSizes = [3], Epochs = 1, BatchSize = 100, Seed = 3, ExampleWeightColumnName = "Weight" };
        var weighted = new BackpropTrainer(ml, options).Fit(ml.Data.LoadFromEnumerable(rows));
        var copied = new BackpropTrainer(ml, options).Fit(ml.Data.LoadFromEnumerable(duplicated));
        Assert.Equal(copied.History[0].Loss, weighted.History[0].Loss, 5);
        // And the gradient step they took is the same: the weights agree to float rounding.
        var a = AllWeights(weighted).SelectMany(x => x).ToArray();
        var b = AllWeights(copied).SelectMany(x => x).ToArray();
        for (int i = 0; i < a.Length; i++) Assert.Equal(b[i], a[i], 4);
    }

    public sealed class WeightedRow
    {
        [Microsoft.ML.Data.VectorType(2)] public float[] Features = [];
        public bool Label;
        public float Weight;
    }
}
