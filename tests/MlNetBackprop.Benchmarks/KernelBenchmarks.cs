using BenchmarkDotNet.Attributes;
using MlNetBackprop.Network.Kernels;

namespace MlNetBackprop.Benchmarks;

/// <summary>
/// The three matrix products of a layer on one thread, at the forward shape M×K×N (M examples, K inputs, N outputs):
/// forward Z = A·Wᵀ, BP2 δ·W and BP4 δᵀ·A. Each does 2·M·K·N floating-point operations: GFLOP/s = 2MKN / time.
/// </summary>
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class KernelBenchmarks
{
    private float[] _a = [], _w = [], _z = [], _delta = [], _gradient = [];

    /// <summary>Examples in the batch.</summary>
    [Params(10, 128)]
    public int M { get; set; }

    private const int K = 784, N = 100;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        float[] Fill(int count) => Enumerable.Range(0, count).Select(_ => (float)random.NextDouble()).ToArray();
        (_a, _w, _z, _delta, _gradient) = (Fill(M * K), Fill(N * K), new float[M * N], Fill(M * N), new float[N * K]);
    }

    [Benchmark]
    public void Forward() => Gemm.MultiplyByTransposed<float>(_a, _w, _z, M, K, N, 0, N);

    [Benchmark]
    public void BackwardErrors() => Gemm.Multiply<float>(_delta, N, 1, _w, _a, M, N, K, 0, K);

    [Benchmark]
    public void BackwardWeights() => Gemm.Multiply<float>(_delta, 1, N, _a, _gradient, N, M, K, 0, K);
}
