using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MlNetBackprop.Network;

namespace MlNetBackprop.Benchmarks;

/// <summary>
/// The 784-100-10 network of <see cref="ScoringBenchmarks"/> exported with <c>ExportToOnnx</c> and scored by ONNX
/// Runtime (one thread), one row at a time and all 10,000 test images at once, beside the engine's own forward pass.
/// Times are per row.
/// </summary>
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 15)]
public class OnnxScoringBenchmarks
{
    private const int Rows = 10_000;
    private float[][] _rows = [];
    private float[] _all = [];
    private InferenceSession _session = null!;
    private FeedForwardNetwork<float> _network = null!;
    private readonly Workspace<float> _workspace = new();

    [GlobalSetup]
    public void Setup()
    {
        var ml = new MLContext(seed: 1);
        var test = ml.Data.Cache(MnistData.Test());
        var model = new BackpropTrainer(ml, new BackpropTrainer.Options
        {
            Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian,
            EarlyStopping = false, StandardizeFeatures = false, HiddenLayerSizes = [100], Epochs = 1, NumberOfThreads = 1,
        }).Fit(MnistData.Train(10_000));
        _network = model.Model.Network;
        using var stream = new MemoryStream();
        ml.Model.ExportToOnnx(model, test, stream);
        var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        _session = new InferenceSession(stream.ToArray(), options);
        _rows = test.GetColumn<float[]>("Features").ToArray();
        _all = _rows.SelectMany(r => r).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => _session.Dispose();

    [Benchmark(OperationsPerInvoke = Rows)]
    public float OursPerRow()
    {
        float sum = 0;
        foreach (var row in _rows)
        {
            _network.FeedForward(row, 1, _workspace);
            sum += _workspace.Activations[2].Span[0];
        }
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Rows)]
    public float OursBatched()
    {
        _workspace.EnsureFits(_network, Rows);
        _network.FeedForward(_all, Rows, _workspace);
        return _workspace.Activations[2].Span[0];
    }

    [Benchmark(OperationsPerInvoke = Rows)]
    public float OnnxRuntimePerRow()
    {
        float sum = 0;
        foreach (var row in _rows)
        {
            using var results = _session.Run([NamedOnnxValue.CreateFromTensor("Features", new DenseTensor<float>(row, [1, row.Length]))]);
            sum += results.First(r => r.Name == "Score").AsTensor<float>().GetValue(0);
        }
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Rows)]
    public float OnnxRuntimeBatched()
    {
        using var results = _session.Run([NamedOnnxValue.CreateFromTensor("Features", new DenseTensor<float>(_all, [Rows, _rows[0].Length]))]);
        return results.First(r => r.Name == "Score").AsTensor<float>().GetValue(0);
    }
}
