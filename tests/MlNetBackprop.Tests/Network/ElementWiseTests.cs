using System.Numerics.Tensors;
using MlNetBackprop.Network.Kernels;
using Xunit;

namespace MlNetBackprop.Tests.Network;

/// <summary>The trainer's own element-wise operations give TensorPrimitives' bits, so that models do not change with them.</summary>
public sealed class ElementWiseTests
{
    private static float[] Values(int n, int seed)
    {
        var random = new Random(seed);
        var x = Enumerable.Range(0, n).Select(i => (float)((random.NextDouble() * 2 - 1) * (i % 7 == 0 ? 120 : 9))).ToArray();
        float[] special = [0f, -0f, 88.7f, -88.7f, 1e-30f, -104f, 104f, float.Epsilon, 89f, -89f];
        for (int i = 0; i < Math.Min(n, special.Length); i++) x[i * 3 % n] = special[i];
        return x;
    }

    public static TheoryData<int> Lengths() => new(1, 3, 7, 8, 9, 10, 15, 16, 17, 31, 33, 100, 128, 1000, 12_801, 100_003);

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Sigmoid_and_exp_are_TensorPrimitives_bit_for_bit(int n)
    {
        var x = Values(n, n);
        var (expected, actual) = (new float[n], new float[n]);
        TensorPrimitives.Sigmoid(x, expected);
        ElementWise.Sigmoid<float>(x, actual);
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));
        var small = x.Select(v => v / 2).ToArray();
        TensorPrimitives.Exp(small, expected);
        ElementWise.Exp<float>(small, actual);
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Sigmoid_and_exp_in_place_read_every_input_before_overwriting_it(int n)
    {
        var x = Values(n, n + 1).Select(v => v / 2).ToArray();
        var (expected, inPlace) = (new float[n], (float[])x.Clone());
        TensorPrimitives.Exp(x, expected);
        ElementWise.Exp<float>(inPlace, inPlace);
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), inPlace.Select(BitConverter.SingleToInt32Bits));
        inPlace = (float[])x.Clone();
        TensorPrimitives.Sigmoid(x, expected);
        ElementWise.Sigmoid<float>(inPlace, inPlace);
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), inPlace.Select(BitConverter.SingleToInt32Bits));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Arithmetic_is_TensorPrimitives_bit_for_bit(int n)
    {
        var (x, y) = (Values(n, 1), Values(n, 2));
        float s = 0.37f;
        void Same(Action<float[]> ours, Action<float[]> theirs)
        {
            var (a, b) = (new float[n], new float[n]);
            ours(a);
            theirs(b);
            Assert.Equal(b.Select(BitConverter.SingleToInt32Bits), a.Select(BitConverter.SingleToInt32Bits));
        }
        Same(d => ElementWise.Multiply<float>(x, s, d), d => TensorPrimitives.Multiply(x, s, d));
        Same(d => ElementWise.Multiply<float>(x, y, d), d => TensorPrimitives.Multiply(x, y, d));
        Same(d => ElementWise.Add<float>(x, y, d), d => TensorPrimitives.Add(x, y, d));
        Same(d => ElementWise.Subtract<float>(x, y, d), d => TensorPrimitives.Subtract(x, y, d));
        Same(d => ElementWise.Subtract<float>(x, s, d), d => TensorPrimitives.Subtract(x, s, d));
        Same(d => ElementWise.Divide<float>(x, s, d), d => TensorPrimitives.Divide(x, s, d));
        Same(d => ElementWise.MultiplyAdd<float>(x, s, y, d), d => TensorPrimitives.MultiplyAdd(x, s, y, d));
    }
}
