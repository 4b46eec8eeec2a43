using MlNetBackprop.Network.Kernels;
using Xunit;

namespace MlNetBackprop.Tests.Network;

/// <summary>The matrix kernels against naive triple loops, on sizes that exercise every tail.</summary>
public sealed class GemmTests
{
    public static TheoryData<int, int, int> Sizes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (var (m, k, n) in new[] { (1, 1, 1), (1, 7, 3), (7, 1, 33), (2, 33, 4), (5, 8, 16), (7, 33, 17), (10, 784, 30), (13, 100, 10), (4, 17, 40), (9, 13, 127), (6, 5, 200) })
            data.Add(m, k, n);
        return data;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void MultiplyByTransposed_matches_naive(int m, int k, int n)
    {
        var (a, b) = (Random(m * k, 1), Random(n * k, 2));
        var c = new float[m * n];
        ForwardProduct.MultiplyByTransposed<float>(a, b, c, m, k, n, 0, n);
        // Every width this machine runs, the 128-bit one (ARM64's) and the scalar fallback among them.
        foreach (var width in new[] { VectorWidth.Scalar, VectorWidth.Bits128, VectorWidth.Bits256 })
        {
            var atWidth = new float[m * n];
            ForwardProduct.MultiplyByTransposed<float>(a, b, atWidth, m, k, n, 0, n, widest: width);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double expected = 0;
                    for (int p = 0; p < k; p++) expected += a[i * k + p] * (double)b[j * k + p];
                    Assert.True(Math.Abs(expected - atWidth[i * n + j]) <= 1e-4 * (1 + Math.Abs(expected)),
                        $"{width} ({i},{j}): {expected} vs {atWidth[i * n + j]}");
                }
        }

        // The bias added as blocks are stored is the same single addition a separate pass would make.
        var bias = Random(n, 11);
        var withBias = new float[m * n];
        ForwardProduct.MultiplyByTransposed<float>(a, b, withBias, m, k, n, 0, n, bias);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                Assert.Equal(c[i * n + j] + bias[j], withBias[i * n + j]);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Multiply_matches_naive_plain_and_transposed(int m, int k, int n)
    {
        var a = Random(m * k, 3);
        var b = Random(k * n, 4);
        var plain = new float[m * n];
        var transposed = new float[m * n];
        var aT = new float[k * m]; // the same matrix stored transposed (k×m)
        for (int i = 0; i < m; i++)
            for (int p = 0; p < k; p++) aT[p * m + i] = a[i * k + p];
        BackwardProduct.Multiply<float>(a, k, 1, b, plain, m, k, n, 0, n);
        BackwardProduct.Multiply<float>(aT, 1, m, b, transposed, m, k, n, 0, n);
        for (int i = 0; i < m; i++)
            for (int q = 0; q < n; q++)
            {
                double expected = 0;
                for (int p = 0; p < k; p++) expected += a[i * k + p] * (double)b[p * n + q];
                Assert.True(Math.Abs(expected - plain[i * n + q]) <= 1e-4 * (1 + Math.Abs(expected)), $"({i},{q}): {expected} vs {plain[i * n + q]}");
                Assert.Equal(plain[i * n + q], transposed[i * n + q]);
            }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Splitting_columns_never_changes_a_bit(int m, int k, int n)
    {
        // What lets work be shared between threads without the result depending on how many there are.
        var a = Random(m * k, 5);
        var bt = Random(n * k, 6);
        var b = Random(k * n, 7);
        var whole1 = new float[m * n];
        var whole2 = new float[m * n];
        ForwardProduct.MultiplyByTransposed<float>(a, bt, whole1, m, k, n, 0, n);
        BackwardProduct.Multiply<float>(a, k, 1, b, whole2, m, k, n, 0, n);
        foreach (int parts in new[] { 2, 3, 5 })
        {
            var split1 = new float[m * n];
            var split2 = new float[m * n];
            for (int p = 0; p < parts; p++)
            {
                int start = n * p / parts, end = n * (p + 1) / parts;
                ForwardProduct.MultiplyByTransposed<float>(a, bt, split1, m, k, n, start, end);
                BackwardProduct.Multiply<float>(a, k, 1, b, split2, m, k, n, start, end);
            }
            Assert.Equal(whole1, split1);
            Assert.Equal(whole2, split2);
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Every_vector_width_gives_the_same_bits(int m, int k, int n)
    {
        // Multiply runs 512-bit vectors where the hardware has them, 256-bit, 128-bit (ARM64) or scalar code elsewhere
        // and for the columns left over: a model must not depend on which of them computed an element.
        var a = Random(m * k, 8);
        var b = Random(k * n, 9);
        var start = Random(m * n, 10);
        float[] Product(VectorWidth width, bool update)
        {
            var c = (float[])start.Clone();
            BackwardProduct.Multiply<float>(a, k, 1, b, c, m, k, n, 0, n, update ? (-0.5f, 0.99f) : null, width);
            return c;
        }
        foreach (bool update in new[] { false, true })
        {
            var scalar = Product(VectorWidth.Scalar, update);
            Assert.Equal(scalar, Product(VectorWidth.Bits128, update));
            Assert.Equal(scalar, Product(VectorWidth.Bits256, update));
            Assert.Equal(scalar, Product(VectorWidth.Bits512, update));
        }
    }

    [Fact]
    public void Aligned_storage_starts_on_a_cache_line()
    {
        foreach (int length in new[] { 0, 1, 7, 100, 78_400 })
        {
            var memory = AlignedStorage.Allocate<float>(length);
            Assert.Equal(length, memory.Length);
            Assert.All(memory.ToArray(), v => Assert.Equal(0f, v));
            unsafe
            {
                fixed (float* start = memory.Span)
                    Assert.True(length == 0 || (nint)start % AlignedStorage.Alignment == 0, $"length {length}: address {(nint)start:x}");
            }
        }
    }

    [Fact]
    public void Wrong_dimensions_are_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => ForwardProduct.MultiplyByTransposed<float>(new float[6], new float[6], new float[3], 2, 3, 2, 0, 2));
        Assert.Contains("dimensions", ex.Message);
    }

    private static float[] Random(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }
}
