using MlNetBackprop.Network;
using MlNetBackprop.Network.Optimizers;
using Xunit;

namespace MlNetBackprop.Tests.Network;

/// <summary>Each update rule against its formula, step by step, on blocks with vector tails and an L2 term on the weights only.</summary>
public sealed class OptimizerFormulaTests
{
    private const double Eta = 0.01, L2 = 0.003;

    /// <summary>
    /// 5 inputs, 7 hidden neurons, 2 outputs: blocks of 35, 7, 14 and 2 values, so that each rule runs whole vectors, a
    /// vector tail, and a block shorter than one vector.
    /// </summary>
    private static FeedForwardNetwork<double> Network()
        => Engine.Network<double>(Engine.Layout([5, 7, 2], HiddenActivation.Sigmoid, BackpropTask.MulticlassClassification,
            CostFunction.CrossEntropy, MulticlassOutput.Sigmoid), seed: 3);

    /// <summary>
    /// Runs three steps of <paramref name="optimizer"/> with random gradients against <paramref name="rule"/>, a plain
    /// per-element implementation (value, gradient with L2 where it applies, state index) → new value.
    /// </summary>
    private static void FollowsFormula(Optimizer<double> optimizer, FeedForwardNetwork<double> network, Func<int, double, double, int, double> rule)
    {
        var gradient = new Gradient<double>(network);
        var expected = network.Parameters.Select(p => p.Values.ToArray()).ToArray();
        var random = new Random(4);
        for (int t = 1; t <= 3; t++)
        {
            for (int b = 0; b < expected.Length; b++)
            {
                for (int i = 0; i < expected[b].Length; i++)
                {
                    double g = gradient.Blocks[b].Span[i] = random.NextDouble() - 0.5;
                    if (network.Parameters[b].Regularized) g += L2 * expected[b][i]; // no L2 on biases
                    expected[b][i] = rule(t, expected[b][i], g, b * 1000 + i);
                }
            }
            optimizer.Step(network, gradient, Eta, L2);
            for (int b = 0; b < expected.Length; b++)
            {
                var actual = network.Parameters[b].Values.ToArray();
                for (int i = 0; i < actual.Length; i++)
                    Assert.True(Math.Abs(expected[b][i] - actual[i]) <= 1e-12 * (1 + Math.Abs(expected[b][i])),
                        $"step {t}, block {b}, element {i}: {expected[b][i]} vs {actual[i]}");
            }
        }
    }

    private static OptimizerSettings Settings(Solver solver, double momentum = 0, bool nesterov = false)
        => new(solver, momentum, nesterov, Beta1: 0.9, Beta2: 0.999, Epsilon: 1e-8);

    [Fact]
    public void Plain_SGD_decays_the_weights_and_steps_against_the_gradient()
    {
        var network = Network();
        Assert.IsType<SgdOptimizer<double>>(Optimizer<double>.Create(Settings(Solver.Sgd), network));
        // w → (1 − ηλ/n)·w − η·∂C/∂w is w − η·(∂C/∂w + (λ/n)·w)
        FollowsFormula(Optimizer<double>.Create(Settings(Solver.Sgd), network), network, (_, w, g, _) => w - Eta * g);
    }

    [Fact]
    public void Momentum_follows_v_mu_v_minus_eta_g_then_w_plus_v()
    {
        var network = Network();
        var velocity = new Dictionary<int, double>();
        FollowsFormula(Optimizer<double>.Create(Settings(Solver.Sgd, momentum: 0.9), network), network, (_, w, g, i) =>
        {
            double v = velocity[i] = 0.9 * velocity.GetValueOrDefault(i) - Eta * g;
            return w + v;
        });
    }

    [Fact]
    public void Nesterov_looks_the_velocity_ahead()
    {
        var network = Network();
        var velocity = new Dictionary<int, double>();
        FollowsFormula(Optimizer<double>.Create(Settings(Solver.Sgd, momentum: 0.8, nesterov: true), network), network, (_, w, g, i) =>
        {
            double v = velocity[i] = 0.8 * velocity.GetValueOrDefault(i) - Eta * g;
            return w + 0.8 * v - Eta * g;
        });
    }

    [Fact]
    public void Adam_follows_its_formula_with_bias_correction()
    {
        const double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
        var network = Network();
        var (m, v) = (new Dictionary<int, double>(), new Dictionary<int, double>());
        FollowsFormula(Optimizer<double>.Create(Settings(Solver.Adam), network), network, (t, w, g, i) =>
        {
            double rate = Eta * Math.Sqrt(1 - Math.Pow(beta2, t)) / (1 - Math.Pow(beta1, t));
            double mi = m[i] = beta1 * m.GetValueOrDefault(i) + (1 - beta1) * g;
            double vi = v[i] = beta2 * v.GetValueOrDefault(i) + (1 - beta2) * g * g;
            return w - rate * mi / (Math.Sqrt(vi) + epsilon);
        });
    }
}
