using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetBackprop.Network;

namespace MlNetBackprop.Benchmarks;

/// <summary>
/// Scoring a trained 784-100-10 network: PredictionEngine per row, Transform + cursor over the 10,000 test images, in
/// memory and after save and load, against the engine's bare forward pass over the same rows.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 15)]
public class ScoringBenchmarks
{
    private MLContext _ml = null!;
    private IDataView _test = null!;
    private ITransformer _inMemory = null!, _loaded = null!;
    private PredictionEngine<Digit, Scores> _engine = null!, _loadedEngine = null!;
    private Digit[] _rows = [];
    private FeedForwardNetwork<float> _network = null!;
    private readonly Workspace<float> _workspace = new();

    [GlobalSetup]
    public void Setup()
    {
        _ml = new MLContext(seed: 1);
        _test = _ml.Data.Cache(MnistData.Test());
        var model = new BackpropTrainer(_ml, new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, HiddenLayerSizes = [100], Epochs = 1, NumberOfThreads = 1 })
            .Fit(MnistData.Train(10_000));
        _inMemory = model;
        _network = model.Model.Network;
        string path = Path.Combine(Path.GetTempPath(), $"bench-{Guid.NewGuid():N}.zip");
        _ml.Model.Save(model, _test.Schema, path);
        _loaded = _ml.Model.Load(path, out _);
        File.Delete(path);
        _rows = _ml.Data.CreateEnumerable<Digit>(_test, reuseRowObject: false).ToArray();
        _engine = _ml.Model.CreatePredictionEngine<Digit, Scores>(_inMemory);
        _loadedEngine = _ml.Model.CreatePredictionEngine<Digit, Scores>(_loaded);
    }

    [Benchmark(OperationsPerInvoke = 10_000)]
    public float BareForwardPerRow()
    {
        float sum = 0;
        foreach (var row in _rows)
        {
            _network.FeedForward(row.Features, 1, _workspace);
            sum += _workspace.Activations[2].Span[0];
        }
        return sum;
    }

    [Benchmark(OperationsPerInvoke = 10_000)]
    public float TransformInMemory() => Cursor(_inMemory);

    [Benchmark(OperationsPerInvoke = 10_000)]
    public float TransformLoaded() => Cursor(_loaded);

    [Benchmark(OperationsPerInvoke = 10_000)]
    public float PredictionEngineInMemory() => Predict(_engine);

    [Benchmark(OperationsPerInvoke = 10_000)]
    public float PredictionEngineLoaded() => Predict(_loadedEngine);

    private float Cursor(ITransformer model)
    {
        var scored = model.Transform(_test);
        var score = scored.Schema["Score"];
        using var cursor = scored.GetRowCursor([score]);
        var get = cursor.GetGetter<VBuffer<float>>(score);
        VBuffer<float> value = default;
        float sum = 0;
        while (cursor.MoveNext())
        {
            get(ref value);
            sum += value.GetValues()[0];
        }
        return sum;
    }

    private float Predict(PredictionEngine<Digit, Scores> engine)
    {
        float sum = 0;
        foreach (var row in _rows)
            sum += engine.Predict(row).Score[0];
        return sum;
    }

    public sealed class Digit
    {
        [VectorType(784)] public float[] Features = [];
        [KeyType(10)] public uint Label;
    }

    public sealed class Scores
    {
        public float[] Score = [];
    }
}
