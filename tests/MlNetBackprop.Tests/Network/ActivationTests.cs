using MlNetBackprop.Network.Activations;
using Xunit;

namespace MlNetBackprop.Tests.Network;

/// <summary>Each activation and its derivative against the textbook formula, on lengths that use the vector paths and their tails.</summary>
public sealed class ActivationTests
{
    /// <summary>Every activation the engine knows, by name (the enum is internal, theory arguments public).</summary>
    public static TheoryData<string> Kinds()
    {
        var data = new TheoryData<string>();
        foreach (var kind in Enum.GetNames<ActivationKind>()) data.Add(kind);
        return data;
    }

    private static double Formula(ActivationKind kind, double z) => kind switch
    {
        ActivationKind.Sigmoid => 1 / (1 + Math.Exp(-z)),
        ActivationKind.Tanh => Math.Tanh(z),
        ActivationKind.Relu => Math.Max(0, z),
        ActivationKind.Identity => z,
        ActivationKind.LeakyRelu => z > 0 ? z : 0.01 * z,
        ActivationKind.Selu => 1.0507009873554805 * (z > 0 ? z : 1.6732632423543772 * (Math.Exp(z) - 1)),
        ActivationKind.Mish => z * Math.Tanh(Math.Log(1 + Math.Exp(z))),
        ActivationKind.SmoothClip => z / Math.Sqrt(1 + z * z / 9),
        _ => double.NaN,
    };

    private static double Derivative(ActivationKind kind, double z) => kind switch
    {
        ActivationKind.Sigmoid => Formula(kind, z) * (1 - Formula(kind, z)),
        ActivationKind.Tanh => 1 - Math.Tanh(z) * Math.Tanh(z),
        ActivationKind.Relu => z > 0 ? 1 : 0,
        ActivationKind.Identity => 1,
        ActivationKind.LeakyRelu => z > 0 ? 1 : 0.01,
        ActivationKind.Selu => z > 0 ? 1.0507009873554805 : 1.0507009873554805 * 1.6732632423543772 * Math.Exp(z),
        // d/dz z·tanh(sp(z)) = tanh(sp) + z·sech²(sp)·sp′(z), sp′ = the logistic sigmoid
        ActivationKind.Mish => Math.Tanh(Math.Log(1 + Math.Exp(z))) + z * (1 - Math.Pow(Math.Tanh(Math.Log(1 + Math.Exp(z))), 2)) / (1 + Math.Exp(-z)),
        ActivationKind.SmoothClip => Math.Pow(1 + z * z / 9, -1.5),
        _ => double.NaN,
    };

    /// <summary>Values of z: both signs, zero itself, and large magnitudes.</summary>
    private static double[] Inputs(int length)
    {
        var random = new Random(length);
        var z = Enumerable.Range(0, length).Select(_ => random.NextDouble() * 8 - 4).ToArray();
        z[0] = 0;
        if (length > 2) (z[1], z[2]) = (-30, 30);
        return z;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_kind_has_its_class(string name)
    {
        var kind = Enum.Parse<ActivationKind>(name);
        Assert.Equal(kind, Activation<double>.Create(kind).Kind);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Each_activation_and_derivative_match_the_formula_elementwise(string name)
    {
        var kind = Enum.Parse<ActivationKind>(name);
        if (kind == ActivationKind.Softmax) return; // a row-wise function: see the softmax tests
        foreach (int length in new[] { 1, 7, 33, 100 })
        {
            var z = Inputs(length);
            var activation = Activation<double>.Create(kind);
            var a = new double[length];
            activation.Apply(z, a, length);
            var random = new Random(length + 1);
            var delta = z.Select(_ => random.NextDouble() * 2 - 1).ToArray();
            var expected = delta.Select((d, i) => d * Derivative(kind, z[i])).ToArray();
            activation.MultiplyByDerivative(z, a, delta, length);
            for (int i = 0; i < length; i++)
            {
                Assert.Equal(Formula(kind, z[i]), a[i], 12);
                Assert.Equal(expected[i], delta[i], 12);
            }
        }
    }

    [Fact]
    public void Sigmoid_derivative_is_the_same_bits_in_vector_lanes_and_the_tail()
    {
        var random = new Random(3);
        var a = Enumerable.Range(0, 37).Select(_ => (float)random.NextDouble()).ToArray();
        var delta = Enumerable.Range(0, 37).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var expected = delta.Select((d, i) => d * (a[i] * (1 - a[i]))).ToArray();
        Activation<float>.Create(ActivationKind.Sigmoid).MultiplyByDerivative(new float[37], a, delta, 37);
        Assert.Equal(expected, delta);
    }

    [Fact]
    public void Softmax_rows_are_probabilities_that_survive_large_inputs()
    {
        var softmax = new Softmax<double>();
        var z = new[] { 1.0, 2.0, 3.0, 1000.0, 1001.0, 999.0 };
        var a = new double[6];
        softmax.Apply(z, a, 3);
        double e = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        Assert.Equal(new[] { Math.Exp(1) / e, Math.Exp(2) / e, Math.Exp(3) / e }, a[..3], new DoubleTolerance(1e-12));
        // 1000, 1001, 999 are 1, 2, 3 shifted by 998, which softmax does not see (and e^1000 would overflow).
        Assert.Equal(new[] { Math.Exp(2) / e, Math.Exp(3) / e, Math.Exp(1) / e }, a[3..], new DoubleTolerance(1e-12));
    }

    [Fact]
    public void Softmax_derivative_is_the_Jacobians_product_row_by_row()
    {
        var softmax = new Softmax<double>();
        var z = new[] { 0.3, -1.2, 2.0, 0.5, 0.1, 0.2, -0.4, 1.1 };
        const int width = 4;
        var a = new double[z.Length];
        softmax.Apply(z, a, width);
        var g = new[] { 0.7, -0.3, 0.2, 0.9, -1.0, 0.4, 0.3, 0.05 };
        var delta = (double[])g.Clone();
        softmax.MultiplyByDerivative(z, a, delta, width);
        for (int row = 0; row < 2; row++)
            for (int j = 0; j < width; j++)
            {
                // δⱼ = Σₖ gₖ ∂aₖ/∂zⱼ with ∂aₖ/∂zⱼ = aₖ(1[k = j] − aⱼ)
                double expected = 0;
                for (int k = 0; k < width; k++)
                    expected += g[row * width + k] * a[row * width + k] * ((k == j ? 1 : 0) - a[row * width + j]);
                Assert.Equal(expected, delta[row * width + j], 14);
            }
    }

    [Fact]
    public void Every_hidden_option_maps_to_its_own_activation_and_back()
    {
        var kinds = Enum.GetValues<HiddenActivation>().Select(HiddenActivations.KindOf).ToArray();
        Assert.Equal(kinds.Length, kinds.Distinct().Count());
        foreach (var option in Enum.GetValues<HiddenActivation>())
        {
            Assert.Equal(option.ToString(), HiddenActivations.KindOf(option).ToString());
            Assert.Equal(option, HiddenActivations.OptionOf(HiddenActivations.KindOf(option)));
        }
        Assert.Null(HiddenActivations.OptionOf(ActivationKind.Softmax));
    }

    private sealed class DoubleTolerance(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(double obj) => 0;
    }
}
