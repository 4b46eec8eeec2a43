using Microsoft.ML;

namespace MlNetBackprop.Benchmarks;

/// <summary>
/// The accuracy side of the epoch comparison: the settings pytorch_baseline.py trains (784-H-10, sigmoid hidden layer,
/// softmax with cross-entropy, SGD with η = 0.1 or Adam with 0.001, three epochs on the 50,000 training images), trained
/// through the public trainer and scored on the 10,000 test images with ML.NET's metrics:
///   dotnet run -c Release --project tests/MlNetBackprop.Benchmarks -- accuracy
/// </summary>
internal static class AccuracyCheck
{
    public static int Run()
    {
        var ml = new MLContext(seed: 1);
        var train = MnistData.Train();
        var test = MnistData.Test();
        Console.WriteLine("framework | network | batch | solver | threads | test accuracy after 3 epochs");
        foreach (var (hidden, batch, solver) in new[] { (30, 10, Solver.Sgd), (100, 10, Solver.Sgd), (100, 128, Solver.Sgd), (100, 128, Solver.Adam) })
        {
            var model = new BackpropTrainer(ml, new BackpropTrainer.Options
            {
                // The settings the comparison trains (the book's network), not the trainer's defaults.
                Activation = HiddenActivation.Sigmoid, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false,
                LabelSmoothing = 0, HiddenLayerSizes = [hidden], BatchSize = batch, Epochs = 3, Solver = solver, Seed = 1,
                LearningRate = solver == Solver.Adam ? 0.001 : 0.1,
            }).Fit(train);
            double accuracy = ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy;
            Console.WriteLine($"mlnetbackprop | 784-{hidden}-10 | {batch} | {solver.ToString().ToLowerInvariant()} | any | {accuracy:F4}");
        }
        return 0;
    }

    /// <summary>
    /// The trainer at its defaults (not the presets) on the 60,000 training images as a user passes them, scored on the
    /// 10,000 test images: <c>accuracy-defaults [classic | Field=value;Field=value]</c> (classic:
    /// <see cref="BackpropTrainer.Options.Classic"/>; otherwise the defaults with the named fields changed, as the
    /// defaults benchmark's --candidate).
    /// </summary>
    public static int Defaults(string? settings)
    {
        var ml = new MLContext(seed: 1);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var options = settings == "classic" ? BackpropTrainer.Options.Classic()
            : settings is null ? new BackpropTrainer.Options() : MlNetBackprop.Benchmarks.Defaults.DefaultsBenchmark.OptionsFrom(settings);
        var model = ml.MulticlassClassification.Trainers.Backprop(options).Fit(MnistData.Train(60_000));
        double accuracy = ml.MulticlassClassification.Evaluate(model.Transform(MnistData.Test())).MicroAccuracy;
        Console.WriteLine($"MNIST at the {settings ?? "defaults"}: {model.History.Count} epochs in {clock.Elapsed.TotalSeconds:F1} s, test accuracy {accuracy:F4}");
        return 0;
    }
}
