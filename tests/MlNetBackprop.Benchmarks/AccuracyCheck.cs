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
                HiddenLayerSizes = [hidden], BatchSize = batch, Epochs = 3, Solver = solver, Seed = 1,
                LearningRate = solver == Solver.Adam ? 0.001 : 0.1,
            }).Fit(train);
            double accuracy = ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy;
            Console.WriteLine($"mlnetbackprop | 784-{hidden}-10 | {batch} | {solver.ToString().ToLowerInvariant()} | any | {accuracy:F4}");
        }
        return 0;
    }
}
