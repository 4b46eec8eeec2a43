using Microsoft.ML;
using MlNetBackprop.Datasets;
using Xunit;
using Xunit.Abstractions;

namespace MlNetBackprop.Tests.Trainer;

/// <summary>Training data larger than the memory budget is streamed from the cursor instead of loaded.</summary>
[Collection(MlNetBackprop.Tests.Network.SequentialCollection.Name)] // it counts what every thread allocates
public sealed class StreamingTests(ITestOutputHelper output)
{
    private static string DataFile(string name) => Path.Combine(AppContext.BaseDirectory, "Data", name);

    private static IDataView MnistTrain(int count) => Mnist.Load(DataFile("train-images-idx3-ubyte.gz"), DataFile("train-labels-idx1-ubyte.gz"), 0, count);

    [Fact]
    public void Data_over_the_budget_is_streamed_learns_and_is_never_held_whole()
    {
        var ml = new MLContext(seed: 1);
        var messages = new List<string>();
        ml.Log += (_, e) => { lock (messages) messages.Add(e.RawMessage); };
        var train = MnistTrain(5000); // 5,000 × 784 floats: 15.7 MB
        var test = Mnist.Load(DataFile("t10k-images-idx3-ubyte.gz"), DataFile("t10k-labels-idx1-ubyte.gz"), 0, 2000);
        var options = new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, HiddenLayerSizes = [30], Epochs = 6, MemoryBudgetMegabytes = 4, NumberOfThreads = 1 };

        long Allocated(int epochs, out BackpropTransformer model)
        {
            options.Epochs = epochs;
            long before = GC.GetTotalAllocatedBytes(precise: true);
            model = new BackpropTrainer(ml, options).Fit(train);
            return GC.GetTotalAllocatedBytes(precise: true) - before;
        }
        Allocated(1, out _); // first use: JIT and type loading
        // The whole process's count includes whatever else runs meanwhile (the JIT's background work), which only adds:
        // the lesser of two runs is the training's own.
        long one = Math.Min(Allocated(1, out _), Allocated(1, out _));
        long allocated = Math.Min(Allocated(6, out _), Allocated(6, out var model));
        long perEpoch = (allocated - one) / 5;
        double accuracy = ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy;
        output.WriteLine($"streamed: test accuracy {accuracy:F4}; allocated {one / 1e6:F2} MB for a 1-epoch Fit, {allocated / 1e6:F2} MB for 6 epochs " +
            $"({perEpoch / 1e6:F3} MB per epoch); " + string.Join(" | ", messages.Where(m => m.StartsWith("Streaming")).Distinct()));

        Assert.Contains(messages, m => m.StartsWith("Streaming the training data: 5,000 rows"));
        Assert.True(accuracy > 0.85, $"accuracy {accuracy}");
        Assert.Equal(6, model.History.Count);
        // Each epoch of 15.7 MB goes through a 2 MB shuffle buffer: an epoch allocates a small fraction of one copy of the data.
        Assert.True(perEpoch < 1_600_000, $"{perEpoch} bytes per epoch");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Data_within_the_budget_is_held_once(bool earlyStopping)
    {
        // The matrix is allocated once at its final size: no doubling as rows arrive, no trimming copy at the end; early
        // stopping's validation split is a view of the rows, not a copy of both parts.
        var ml = new MLContext(seed: 1);
        var train = MnistTrain(5000); // 15.7 MB as floats
        long dataBytes = 5000L * 784 * sizeof(float);
        var options = new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, IterationsWithoutImprovement = 10, StandardizeFeatures = false, HiddenLayerSizes = [30], Epochs = 1, NumberOfThreads = 1, EarlyStopping = earlyStopping };
        new BackpropTrainer(ml, options).Fit(train); // first use: JIT and type loading
        long Allocated()
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            new BackpropTrainer(ml, options).Fit(train);
            return GC.GetTotalAllocatedBytes(precise: true) - before;
        }
        long allocated = Math.Min(Allocated(), Allocated()); // the lesser of two: other threads' allocations only add
        output.WriteLine($"in memory{(earlyStopping ? ", early stopping" : "")}: a 1-epoch Fit allocated {allocated / 1e6:F1} MB for {dataBytes / 1e6:F1} MB of data");
        // One copy of the data and what reading and scoring set up around it (the IDX reader, the model's text): a second
        // copy of the matrix would be twice the data.
        Assert.True(allocated < dataBytes * 1.5, $"{allocated} bytes allocated for {dataBytes} bytes of data");
    }

    [Fact]
    public void Streaming_is_deterministic_and_close_to_training_in_memory()
    {
        var ml = new MLContext(seed: 1);
        var train = MnistTrain(3000);
        var test = Mnist.Load(DataFile("t10k-images-idx3-ubyte.gz"), DataFile("t10k-labels-idx1-ubyte.gz"), 0, 2000);
        BackpropTransformer Train(int budget) => new BackpropTrainer(ml, new BackpropTrainer.Options
        { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, HiddenLayerSizes = [30], Epochs = 5, Seed = 3, MemoryBudgetMegabytes = budget }).Fit(train);
        var streamed = Train(2);
        var again = Train(2);
        var inMemory = Train(4096);
        Assert.Equal(streamed.Model.GetWeights(0).ToArray(), again.Model.GetWeights(0).ToArray());
        double a = ml.MulticlassClassification.Evaluate(streamed.Transform(test)).MicroAccuracy;
        double b = ml.MulticlassClassification.Evaluate(inMemory.Transform(test)).MicroAccuracy;
        output.WriteLine($"test accuracy streamed {a:F4}, in memory {b:F4}");
        Assert.InRange(a, b - 0.03, b + 0.03);
    }

    /// <summary>
    /// Streaming and loading must train the same network: the same targets (one-hot, 0/1, standardised labels), the same
    /// example and class weights. With one mini-batch per epoch the order of the rows only changes the order of BP3's and
    /// BP4's sums, so the weights agree to float rounding.
    /// </summary>
    [Theory]
    [InlineData("multiclass")]
    [InlineData("binary")]
    [InlineData("regression")]
    public void Streamed_training_gives_the_in_memory_weights(string task)
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(3);
        // 2,000 rows of 200 features: 1.6 MB as floats, over a 1 MB budget.
        var rows = Enumerable.Range(0, 2000).Select(i =>
        {
            var x = Enumerable.Range(0, 200).Select(_ => (float)random.NextDouble()).ToArray();
            double signal = x[0] + 2 * x[1] - x[2] + 0.5 * x[3] * x[4];
            return new WideRow
            {
                Features = x, Weight = (float)(0.5 + random.NextDouble()),
                Class = (uint)(signal < 0.8 ? 1 : signal < 1.6 ? 2 : 3), Binary = signal > 0.9, Value = (float)(1000 + 300 * signal),
            };
        }).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);
        string label = task switch { "multiclass" => nameof(WideRow.Class), "binary" => nameof(WideRow.Binary), _ => nameof(WideRow.Value) };
        float[][] Weights(int budget)
        {
            var model = new BackpropTrainer(ml, new BackpropTrainer.Options
            { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false,
                LabelColumnName = label, ExampleWeightColumnName = nameof(WideRow.Weight), HiddenLayerSizes = [8], Epochs = 3,
                BatchSize = 2000, Seed = 4, MemoryBudgetMegabytes = budget, LearningRate = 0.5,
                ClassWeighting = task == "regression" ? ClassWeighting.None : ClassWeighting.Balanced,
            }).Fit(data);
            Assert.Equal(3, model.History.Count);
            return Enumerable.Range(0, model.Model.LayerCount).SelectMany(l => new[] { model.Model.GetWeights(l).ToArray(), model.Model.GetBiases(l).ToArray() }).ToArray();
        }
        var loaded = Weights(4096);
        var streamed = Weights(1);
        double worst = 0;
        for (int b = 0; b < loaded.Length; b++)
            for (int i = 0; i < loaded[b].Length; i++)
                worst = Math.Max(worst, Math.Abs(loaded[b][i] - streamed[b][i]) / (1e-3 + Math.Abs(loaded[b][i])));
        output.WriteLine($"{task}: largest relative difference {worst:E2}");
        Assert.True(worst < 1e-4, $"{task}: streamed and loaded weights differ by {worst:E2}");
    }

    [Fact]
    public void Streamed_rows_are_standardized_as_rows_in_memory_are()
    {
        // Features far from zero: the network's standardization layer is measured in the same pass over the rows whether
        // they are then held or streamed, so the statistics are the same bits and the training the same to rounding.
        var ml = new MLContext(seed: 1);
        var random = new Random(5);
        var rows = Enumerable.Range(0, 2000).Select(i =>
        {
            var x = Enumerable.Range(0, 200).Select(k => (float)(100 * k + 10 * random.NextDouble())).ToArray();
            double signal = (x[0] + 2 * x[1] - x[2]) / 10;
            return new WideRow { Features = x, Weight = 1, Class = 1, Binary = signal > 1, Value = (float)signal };
        }).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);
        BackpropTransformer Fit(int budget) => new BackpropTrainer(ml, new BackpropTrainer.Options
        {
            LabelColumnName = nameof(WideRow.Binary), HiddenLayerSizes = [8], Epochs = 3, BatchSize = 2000, Seed = 4,
            MemoryBudgetMegabytes = budget, EarlyStopping = false,
        }).Fit(data);
        var (loaded, streamed) = (Fit(4096), Fit(1));
        Assert.Equal(loaded.Model.FeatureMeans.ToArray(), streamed.Model.FeatureMeans.ToArray());
        Assert.Equal(loaded.Model.FeatureScales.ToArray(), streamed.Model.FeatureScales.ToArray());
        Assert.InRange(loaded.Model.FeatureMeans.Span[150], 15000, 15010);
        var (a, b) = (loaded.Model.GetWeights(0).ToArray(), streamed.Model.GetWeights(0).ToArray());
        double worst = a.Zip(b).Max(p => Math.Abs(p.First - p.Second) / (1e-3 + Math.Abs(p.First)));
        output.WriteLine($"largest relative difference {worst:E2}");
        Assert.True(worst < 1e-4, $"streamed and loaded weights differ by {worst:E2}");
    }

    [Fact]
    public void Streamed_regression_keeps_the_labels_units()
    {
        var ml = new MLContext(seed: 1);
        var rows = TestData.NonLinearRegression(50_000, seed: 5); // 50,000 × 28 bytes: 1.4 MB against a 1 MB budget
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.Transforms.NormalizeMinMax("Features")
            .Append(ml.Regression.Trainers.Backprop(new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, Epochs = 4, MemoryBudgetMegabytes = 1 })).Fit(data);
        var test = ml.Data.LoadFromEnumerable(TestData.NonLinearRegression(1000, seed: 6));
        var metrics = ml.Regression.Evaluate(model.Transform(test));
        output.WriteLine($"streamed regression: R² {metrics.RSquared:F4}, offset {model.LastTransformer.Model.OutputOffset:F1}");
        Assert.True(metrics.RSquared > 0.9, $"R² {metrics.RSquared}");
        Assert.InRange(model.LastTransformer.Model.OutputOffset, rows.Average(r => r.Label) - 1, rows.Average(r => r.Label) + 1);
    }

    [Fact]
    public void Early_stopping_on_streamed_data_asks_for_validation_data()
    {
        var ml = new MLContext(seed: 1);
        var trainer = new BackpropTrainer(ml, new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, IterationsWithoutImprovement = 10, StandardizeFeatures = false, Epochs = 2, MemoryBudgetMegabytes = 1, EarlyStopping = true });
        var e = Assert.Throws<InvalidOperationException>(() => trainer.Fit(MnistTrain(1000)));
        Assert.Contains("pass validation data to Fit", e.Message);
    }

    public sealed class WideRow
    {
        [Microsoft.ML.Data.VectorType(200)] public float[] Features = [];
        public float Weight;
        [Microsoft.ML.Data.KeyType(3)] public uint Class;
        public bool Binary;
        public float Value;
    }
}
