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
    private Memory<float> _a, _w, _z, _delta, _gradient;

    /// <summary>Examples in the batch.</summary>
    [Params(10, 128)]
    public int M { get; set; }

    private const int K = 784, N = 100;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        // Cache-line-aligned buffers, as the engine's workspace and weights are (see AlignedStorage).
        Memory<float> Fill(int count)
        {
            var buffer = AlignedStorage.Allocate<float>(count);
            foreach (ref float v in buffer.Span) v = (float)random.NextDouble();
            return buffer;
        }
        (_a, _w, _z, _delta, _gradient) = (Fill(M * K), Fill(N * K), Fill(M * N), Fill(M * N), Fill(N * K));
    }

    [Benchmark]
    public void Forward() => ForwardProduct.MultiplyByTransposed<float>(_a.Span, _w.Span, _z.Span, M, K, N, 0, N);

    [Benchmark]
    public void BackwardErrors() => BackwardProduct.Multiply<float>(_delta.Span, N, 1, _w.Span, _a.Span, M, N, K, 0, K);

    [Benchmark]
    public void BackwardWeights() => BackwardProduct.Multiply<float>(_delta.Span, 1, N, _a.Span, _gradient.Span, N, M, K, 0, K);
}
