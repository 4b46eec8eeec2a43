using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Costs;
using Xunit;

namespace MlNetBackprop.Tests.Network;

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
