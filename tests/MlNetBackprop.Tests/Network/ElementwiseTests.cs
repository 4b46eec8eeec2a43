using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Costs;
using Xunit;

namespace MlNetBackprop.Tests.Network;

/// <summary>The element-wise pieces with a fast path: each against its textbook formula, including the edge cases.</summary>
public sealed class ElementwiseTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(33)]
    [InlineData(100)]
    public void Sigmoid_derivative_is_a_times_one_minus_a_on_every_element(int length)
    {
        var random = new Random(length);
        var a = Enumerable.Range(0, length).Select(_ => (float)random.NextDouble()).ToArray();
        var delta = Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var expected = delta.Select((d, i) => d * (a[i] * (1 - a[i]))).ToArray();
        Activation<float>.Create(ActivationKind.Sigmoid).MultiplyByDerivative(new float[length], a, delta);
        Assert.Equal(expected, delta); // the vector lanes and the scalar tail do the same operations: exact
    }

    [Fact]
    public void Log_likelihood_matches_the_formula_and_stays_finite_where_the_softmax_underflows()
    {
        var softmax = Activation<double>.Create(ActivationKind.Softmax);
        var cost = Cost<double>.Create(CostKind.LogLikelihood, softmax);
        foreach (var z in new[] { new[] { 0.5, -1.0, 2.0 }, new[] { 1000.0, 0.0, -5.0 } })
        {
            var a = new double[3];
            softmax.Apply(z, a, 3);
            double logSum = Math.Log(z.Sum(v => Math.Exp(v - z.Max()))) + z.Max();
            var y = new[] { 0.0, 1.0, 0.0 };
            double expected = -(z[1] - logSum); // −ln a₁ computed from z
            double value = cost.Value(z, a, y);
            Assert.True(double.IsFinite(value), $"cost {value} for z = [{string.Join(", ", z)}]");
            Assert.Equal(expected, value, 1e-9);
        }
    }
}

/// <summary>Adam's single-pass update against its formula, step by step, on blocks with vector tails.</summary>
public sealed class AdamUpdateTests
{
    [Fact]
    public void Adam_follows_its_formula_with_bias_correction_and_L2()
    {
        const double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, eta = 0.01, l2 = 0.003;
        var network = new MlNetBackprop.Network.FeedForwardNetwork<double>(
            new MlNetBackprop.Network.NetworkLayout([5, 7], ActivationKind.Sigmoid, ActivationKind.Sigmoid, CostKind.CrossEntropy));
        network.InitializeWeights(new Random(3));
        var optimizer = MlNetBackprop.Network.Optimizers.Optimizer<double>.Create(
            new MlNetBackprop.Network.Optimizers.OptimizerSettings { Kind = MlNetBackprop.Network.Optimizers.OptimizerKind.Adam, Beta1 = beta1, Beta2 = beta2, Epsilon = epsilon },
            network);
        var gradient = new MlNetBackprop.Network.Gradient<double>(network);
        var w = network.Weights[0].ToArray(); // 35 weights: vector blocks and a tail
        var b = (double[])network.Biases[0].Clone();
        var (mw, vw, mb, vb) = (new double[w.Length], new double[w.Length], new double[b.Length], new double[b.Length]);
        var random = new Random(4);
        for (int t = 1; t <= 3; t++)
        {
            for (int i = 0; i < w.Length; i++) gradient.Weights[0][i] = random.NextDouble() - 0.5;
            for (int i = 0; i < b.Length; i++) gradient.Biases[0][i] = random.NextDouble() - 0.5;
            double rate = eta * Math.Sqrt(1 - Math.Pow(beta2, t)) / (1 - Math.Pow(beta1, t));
            for (int i = 0; i < w.Length; i++)
            {
                double g = gradient.Weights[0][i] + l2 * w[i];
                mw[i] = beta1 * mw[i] + (1 - beta1) * g;
                vw[i] = beta2 * vw[i] + (1 - beta2) * g * g;
                w[i] -= rate * mw[i] / (Math.Sqrt(vw[i]) + epsilon);
            }
            for (int i = 0; i < b.Length; i++)
            {
                double g = gradient.Biases[0][i]; // no L2 on biases
                mb[i] = beta1 * mb[i] + (1 - beta1) * g;
                vb[i] = beta2 * vb[i] + (1 - beta2) * g * g;
                b[i] -= rate * mb[i] / (Math.Sqrt(vb[i]) + epsilon);
            }
            optimizer.Step(network, gradient, eta, l2);
            var actual = network.Weights[0].ToArray();
            for (int i = 0; i < w.Length; i++)
                Assert.True(Math.Abs(w[i] - actual[i]) <= 1e-12 * (1 + Math.Abs(w[i])), $"step {t}, weight {i}: {w[i]} vs {actual[i]}");
            for (int i = 0; i < b.Length; i++)
                Assert.True(Math.Abs(b[i] - network.Biases[0][i]) <= 1e-12 * (1 + Math.Abs(b[i])), $"step {t}, bias {i}: {b[i]} vs {network.Biases[0][i]}");
        }
    }
}
