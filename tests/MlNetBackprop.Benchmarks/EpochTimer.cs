using System.Globalization;

namespace MlNetBackprop.Benchmarks;

/// <summary>
/// Times warm epochs of one <see cref="EpochBenchmarks"/> configuration in this process and prints the median, the
/// fastest and the first: quick enough to alternate two builds in fresh processes when comparing a change (the machine
/// is shared, so paired runs say more than one long one). <c>time-epochs hidden batch threads solver</c>.
/// </summary>
internal static class EpochTimer
{
    public static int Run(string[] args)
    {
        if (args.Length > 1 && args[1] == "wide")
            return Wide(args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2);
        var b = new EpochBenchmarks
        {
            Hidden = int.Parse(args[1], CultureInfo.InvariantCulture), Batch = int.Parse(args[2], CultureInfo.InvariantCulture),
            Threads = int.Parse(args[3], CultureInfo.InvariantCulture), Solver = args[4],
        };
        b.Setup();
        var times = new List<double>();
        double first = 0;
        for (int i = 0; i < 18; i++)
        {
            b.NewNetwork();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            b.Epoch();
            if (i == 0) first = clock.Elapsed.TotalMilliseconds;
            if (i >= 3) times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"MEDIAN {times[times.Count / 2]:F2} MIN {times[0]:F2} FIRST {first:F2}"));
        return 0;
    }

    /// <summary>
    /// The wide network of the performance issue: 784-1024-1024-10, ReLU, softmax, Adam, batch 128, on
    /// <paramref name="threads"/> threads; prints each epoch's time and the rate in GFLOP/s, counting per example the
    /// forward products, BP2's products for the layers above the first and BP4's for every layer (2 FLOPs a multiply-add).
    /// </summary>
    private static int Wide(int threads)
    {
        var data = MnistData.TrainingSet();
        int[] sizes = [784, 1024, 1024, 10];
        var network = new Network.FeedForwardNetwork<float>(Network.NetworkLayout.Uniform(sizes, Network.Activations.ActivationKind.Relu,
            Network.Activations.ActivationKind.Softmax, Network.Costs.CostKind.LogLikelihood));
        network.InitializeWeights(new Random(1), WeightInitialization.He);
        var options = new BackpropTrainer.Options { Epochs = 1, BatchSize = 128, NumberOfThreads = threads, Solver = MlNetBackprop.Solver.Adam };
        var settings = MlNet.Fitting.EngineSettings.From(options, learningRate: 0.001, seed: 1, firstEpoch: 1);
        double forward = 0, backward = 0;
        for (int l = 0; l < sizes.Length - 1; l++)
        {
            double products = (double)sizes[l] * sizes[l + 1];
            forward += products;
            backward += products * (l > 0 ? 2 : 1);
        }
        double flops = 2 * (forward + backward) * data.Rows;
        var times = new List<double>();
        for (int e = 0; e < 4; e++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            new Network.Training.MiniBatchSgd<float>(settings).Train(network, data);
            times.Add(clock.Elapsed.TotalSeconds);
        }
        double best = times.Skip(1).Min();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"WIDE threads={threads} epochs_s={string.Join('/', times.Select(t => t.ToString("F2", CultureInfo.InvariantCulture)))} " +
            $"GFLOP_per_epoch={flops / 1e9:F0} best_rate_GFLOPs={flops / best / 1e9:F0}"));
        return 0;
    }
}
