using Microsoft.ML;
using MlNetBackprop.Datasets;
using MnistSample;
using Xunit;
using Xunit.Abstractions;

namespace MlNetBackprop.Tests.Samples;

/// <summary>MNIST through the trainer with validation monitoring, and the sample's history, picture and command line.</summary>
public sealed class MnistSampleTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mnist-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string DataFile(string name) => Path.Combine(AppContext.BaseDirectory, "Data", name);

    private static (IDataView Train, IDataView Validation, IDataView Test) SmallMnist() => (
        Mnist.Load(DataFile("train-images-idx3-ubyte.gz"), DataFile("train-labels-idx1-ubyte.gz"), 0, 5000),
        Mnist.Load(DataFile("train-images-idx3-ubyte.gz"), DataFile("train-labels-idx1-ubyte.gz"), 50_000, 2000),
        Mnist.Load(DataFile("t10k-images-idx3-ubyte.gz"), DataFile("t10k-labels-idx1-ubyte.gz"), 0, 2000));

    [Fact]
    public void Five_thousand_images_train_to_88_percent_with_all_four_curves_monitored()
    {
        var ml = new MLContext(seed: 1);
        var (train, validation, test) = SmallMnist();
        var epochs = new List<EpochReport>();
        var batches = new List<TrainingProgress>();
        // Chapter 3's method with a softmax output, on a tenth of the images.
        var options = BackpropTrainer.Options.NielsenChapter3();
        (options.HiddenLayerSizes, options.Epochs, options.LearningRate, options.L2Regularization, options.MulticlassOutput) = ([30], 8, 0.5, 0.5, MulticlassOutput.Softmax);
        (options.Progress, options.BatchProgress) = (new Collect<EpochReport>(epochs), new Collect<TrainingProgress>(batches));
        var model = new BackpropTrainer(ml, options).Fit(train, validation);
        double accuracy = ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy;
        output.WriteLine($"test accuracy {accuracy:F4}; last epoch: {model.History[^1]}");

        Assert.True(accuracy >= 0.88, $"test accuracy {accuracy}"); // measured 90.65% (first 2,000 test images, the harder half)
        Assert.Equal(Enumerable.Range(1, 8), model.History.Select(h => h.Epoch));
        Assert.All(model.History, h =>
        {
            Assert.True(double.IsFinite(h.Loss) && double.IsFinite(h.ValidationLoss!.Value));
            Assert.InRange(h.Accuracy!.Value, 0, 1);
            Assert.InRange(h.ValidationAccuracy!.Value, 0, 1);
        });
        Assert.True(model.History[^1].ValidationAccuracy > model.History[0].ValidationAccuracy);
        Assert.Equal(model.History, epochs);
        // About a hundred reports per epoch, increasing, the last one at the epoch's end.
        var first = batches.Where(b => b.Epoch == 1).ToArray();
        Assert.InRange(first.Length, 50, 101);
        Assert.Equal(5000, first[^1].ExamplesDone);
        Assert.True(first.Zip(first.Skip(1)).All(p => p.First.ExamplesDone < p.Second.ExamplesDone));
    }

    [Fact]
    public void Validation_data_of_another_shape_is_refused_by_name()
    {
        var ml = new MLContext(seed: 1);
        var (train, _, _) = SmallMnist();
        var iris = TestData.Iris(ml);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new BackpropTrainer(ml, new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, Epochs = 1 }).Fit(train, iris));
        Assert.Contains("feature column 'Features' of the validation data", e.Message);
        Assert.Contains("size 784", e.Message);
    }

    [Fact]
    public void The_learning_curve_is_a_PNG_of_the_requested_size_and_the_history_a_CSV_row_per_epoch()
    {
        var history = Enumerable.Range(1, 5).Select(e => new EpochReport
        {
            Epoch = e, Loss = 1.0 / e, Accuracy = 0.9 + e / 100.0, ValidationLoss = 1.2 / e, ValidationAccuracy = 0.88 + e / 100.0,
            Elapsed = TimeSpan.FromSeconds(e),
        }).ToArray();
        string png = Path.Combine(_dir, "curve.png"), csv = Path.Combine(_dir, "history.csv");
        LearningCurve.SavePng(history, "test", png, 640, 400);
        HistoryCsv.Write(history, csv);

        var bytes = File.ReadAllBytes(png);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        Assert.Equal(640, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(400, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
        Assert.True(bytes.Length > 10_000, "a picture with four curves, not an empty canvas");

        var lines = File.ReadAllLines(csv);
        Assert.Equal("epoch,training_cost,training_accuracy,validation_cost,validation_accuracy,seconds", lines[0]);
        Assert.Equal(6, lines.Length);
        Assert.Equal("3,0.3333333333333333,0.93,0.39999999999999997,0.91,3", lines[3]);
    }

    [Fact]
    public void The_command_line_takes_presets_and_overrides()
    {
        var ch1 = Experiment.Parse(["--preset", "ch1"]);
        Assert.Equal([30], ch1.HiddenLayers);
        Assert.Equal((true, 3.0, 0.0, 30, 10), (ch1.QuadraticCost, ch1.LearningRate, ch1.Lambda, ch1.Epochs, ch1.BatchSize));
        var ch3 = Experiment.Parse([]);
        Assert.Equal([100], ch3.HiddenLayers);
        Assert.Equal((false, 0.5, 5.0, 30), (ch3.QuadraticCost, ch3.LearningRate, ch3.Lambda, ch3.Epochs));
        // The book's networks have sigmoid output neurons (network.py, network2.py); softmax is one option away.
        Assert.Equal(MulticlassOutput.Sigmoid, ch1.OutputLayer);
        Assert.Equal(MulticlassOutput.Sigmoid, ch3.OutputLayer);
        Assert.Equal(MulticlassOutput.Sigmoid, Experiment.Parse(["--preset", "ch3-long"]).OutputLayer);
        var softmax = Experiment.Parse(["--output-layer", "softmax"]);
        Assert.Equal(MulticlassOutput.Softmax, softmax.OutputLayer);
        Assert.Null(softmax.BookResult);
        Assert.Contains("sigmoid or softmax", Assert.Throws<ArgumentException>(() => Experiment.Parse(["--output-layer", "tanh"])).Message);
        var custom = Experiment.Parse(["--epochs", "3", "--hidden", "50,20", "--eta", "0.25", "--preset", "ch1", "--seed", "4"]);
        Assert.Equal([50, 20], custom.HiddenLayers);
        Assert.Equal((3, 0.25, 4, true), (custom.Epochs, custom.LearningRate, custom.Seed, custom.QuadraticCost));
        Assert.Null(custom.BookResult);
        Assert.Contains("positive", Assert.Throws<ArgumentException>(() => Experiment.Parse(["--epochs", "0"])).Message);
        Assert.Contains("Unknown preset", Assert.Throws<ArgumentException>(() => Experiment.Parse(["--preset", "ch9"])).Message);
        Assert.Contains("needs a value", Assert.Throws<ArgumentException>(() => Experiment.Parse(["--eta"])).Message);
    }

    private sealed class Collect<T>(List<T> list) : IProgress<T>
    {
        public void Report(T value) => list.Add(value);
    }
}
