using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;

namespace MlNetBackprop.Benchmarks;

/// <summary>
/// A user's Fit as they meet it: a fresh process, MNIST's 50,000 training images cached as an IDataView, then one
/// timed <c>Fit</c> of 784-100-10 (sigmoid, softmax/cross-entropy, SGD) for a few epochs. Prints the Fit's time, the
/// first epoch's and the steady epochs' (from the history), so that the JIT's share shows: run it once per process.
/// <c>cold-fit [batch] [epochs] [threads]</c>.
/// </summary>
internal static class ColdFit
{
    public static int Run(string[] args)
    {
        int batch = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 128;
        int epochs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
        int? threads = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : null;
        var ml = new MLContext(seed: 1);
        var train = ReadTiming.Fill(ml.Data.Cache(MnistData.Train()));
        var trainer = ml.MulticlassClassification.Trainers.Backprop(new BackpropTrainer.Options
        {
            // The settings the comparison trains (the book's network), not the trainer's defaults.
            Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false,
            LabelSmoothing = 0, HiddenLayerSizes = [100], BatchSize = batch, Epochs = epochs, LearningRate = 0.1, NumberOfThreads = threads, Seed = 1,
        });
        var clock = Stopwatch.StartNew();
        if (Environment.GetEnvironmentVariable("COLD_FIT_LOG") is not null)
            ml.Log += (_, e) => { if (e.Source.Contains("Backprop")) Console.WriteLine($"{clock.Elapsed.TotalSeconds:F3}s {e.RawMessage}"); };
        var model = trainer.Fit(train);
        double fit = clock.Elapsed.TotalSeconds;
        var ends = model.History.Select(h => h.Elapsed.TotalSeconds).ToArray();
        var epochTimes = ends.Select((end, i) => i == 0 ? end : end - ends[i - 1]).ToArray();
        double steady = epochTimes.Skip(1).DefaultIfEmpty(double.NaN).Min();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"COLD batch={batch} epochs={epochs} threads={threads?.ToString(CultureInfo.InvariantCulture) ?? "default"} fit_s={fit:F3} " +
            $"before_training_s={fit - ends[^1]:F3} first_epoch_s={epochTimes[0]:F3} fastest_later_epoch_s={steady:F3} " +
            $"epochs_s={string.Join('/', epochTimes.Select(t => t.ToString("F3", CultureInfo.InvariantCulture)))}"));
        return 0;
    }
}
