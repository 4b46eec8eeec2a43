using BenchmarkDotNet.Attributes;
using MlNetBackprop.MlNet.Fitting;
using MlNetBackprop.Network;
using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Costs;
using MlNetBackprop.Network.Training;

namespace MlNetBackprop.Benchmarks;

/// <summary>
/// One training epoch over MNIST's 50,000 training images (the settings of the PyTorch comparison). GFLOP/s follow from
/// the time: an epoch of 784-100-10 does three matrix products per layer, 6·(784·100 + 100·10)·50,000 ≈ 23.8 GFLOP
/// (the input layer's δ is not computed, so it is a little less). The memory diagnoser's "Allocated" is the whole
/// Train call's set-up; that it does not grow with the number of mini-batches (batch 10 vs 128) shows that a
/// mini-batch allocates nothing.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 15, invocationCount: 1)]
public class EpochBenchmarks
{
    private TrainingSet<float> _data = null!;
    private FeedForwardNetwork<float> _network = null!;

    /// <summary>Hidden layer size (784-H-10).</summary>
    [Params(30, 100)]
    public int Hidden { get; set; }

    /// <summary>Mini-batch size.</summary>
    [Params(10, 128)]
    public int Batch { get; set; }

    /// <summary>Threads for the matrix products.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Plain SGD (Nielsen) or Adam.</summary>
    [Params("Sgd", "Adam")]
    public string Solver { get; set; } = "Sgd";

    [GlobalSetup]
    public void Setup() => _data = MnistData.TrainingSet();

    [IterationSetup]
    public void NewNetwork()
    {
        _network = new FeedForwardNetwork<float>(NetworkLayout.Uniform([784, Hidden, 10], ActivationKind.Sigmoid, ActivationKind.Softmax, CostKind.LogLikelihood));
        _network.InitializeWeights(new Random(1));
    }

    [Benchmark]
    public double Epoch()
    {
        // The trainer's own translation of its options, so that everything not set here has the trainer's defaults.
        var options = new BackpropTrainer.Options
        {
            Epochs = 1, BatchSize = Batch, NumberOfThreads = Threads, Solver = Enum.Parse<MlNetBackprop.Solver>(Solver),
        };
        var settings = EngineSettings.From(options, learningRate: Solver == "Adam" ? 0.001 : 0.1, seed: 1, firstEpoch: 1);
        return new MiniBatchSgd<float>(settings).Train(_network, _data).History[0].Loss;
    }
}
