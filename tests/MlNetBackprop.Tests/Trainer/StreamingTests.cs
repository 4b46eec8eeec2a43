using Microsoft.ML;
using MlNetBackprop.Datasets;
using Xunit;
using Xunit.Abstractions;

namespace MlNetBackprop.Tests.Trainer;

/// <summary>Training data larger than the memory budget is streamed from the cursor instead of loaded.</summary>
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
        var options = new BackpropTrainer.Options { HiddenLayerSizes = [30], Epochs = 6, MemoryBudgetMegabytes = 4, NumberOfThreads = 1 };

        long Allocated(int epochs, out BackpropTransformer model)
        {
            options.Epochs = epochs;
            long before = GC.GetAllocatedBytesForCurrentThread();
            model = new BackpropTrainer(ml, options).Fit(train);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Allocated(1, out _); // first use: JIT and type loading
        long one = Allocated(1, out _);
        long allocated = Allocated(6, out var model);
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

    [Fact]
    public void Data_within_the_budget_is_held_once()
    {
        // The matrix is allocated once at its final size: no doubling as rows arrive, no trimming copy at the end.
        var ml = new MLContext(seed: 1);
        var train = MnistTrain(5000); // 15.7 MB as floats
        long dataBytes = 5000L * 784 * sizeof(float);
        var options = new BackpropTrainer.Options { HiddenLayerSizes = [30], Epochs = 1, NumberOfThreads = 1 };
        new BackpropTrainer(ml, options).Fit(train); // first use: JIT and type loading
        long before = GC.GetAllocatedBytesForCurrentThread();
        new BackpropTrainer(ml, options).Fit(train);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"in memory: a 1-epoch Fit allocated {allocated / 1e6:F1} MB for {dataBytes / 1e6:F1} MB of data");
        Assert.True(allocated < dataBytes * 1.25, $"{allocated} bytes allocated for {dataBytes} bytes of data");
    }

    [Fact]
    public void Streaming_is_deterministic_and_close_to_training_in_memory()
    {
        var ml = new MLContext(seed: 1);
        var train = MnistTrain(3000);
        var test = Mnist.Load(DataFile("t10k-images-idx3-ubyte.gz"), DataFile("t10k-labels-idx1-ubyte.gz"), 0, 2000);
        BackpropTransformer Train(int budget) => new BackpropTrainer(ml, new BackpropTrainer.Options
        { HiddenLayerSizes = [30], Epochs = 5, Seed = 3, MemoryBudgetMegabytes = budget }).Fit(train);
        var streamed = Train(2);
        var again = Train(2);
        var inMemory = Train(4096);
        Assert.Equal(streamed.Model.GetWeights(0).ToArray(), again.Model.GetWeights(0).ToArray());
        double a = ml.MulticlassClassification.Evaluate(streamed.Transform(test)).MicroAccuracy;
        double b = ml.MulticlassClassification.Evaluate(inMemory.Transform(test)).MicroAccuracy;
        output.WriteLine($"test accuracy streamed {a:F4}, in memory {b:F4}");
        Assert.InRange(a, b - 0.03, b + 0.03);
    }

    [Fact]
    public void Streamed_regression_keeps_the_labels_units()
    {
        var ml = new MLContext(seed: 1);
        var rows = TestData.NonLinearRegression(50_000, seed: 5); // 50,000 × 28 bytes: 1.4 MB against a 1 MB budget
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.Transforms.NormalizeMinMax("Features")
            .Append(ml.Regression.Trainers.Backprop(new BackpropTrainer.Options { Epochs = 4, MemoryBudgetMegabytes = 1 })).Fit(data);
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
        var trainer = new BackpropTrainer(ml, new BackpropTrainer.Options { Epochs = 2, MemoryBudgetMegabytes = 1, EarlyStopping = true });
        var e = Assert.Throws<InvalidOperationException>(() => trainer.Fit(MnistTrain(1000)));
        Assert.Contains("pass validation data to Fit", e.Message);
    }
}
