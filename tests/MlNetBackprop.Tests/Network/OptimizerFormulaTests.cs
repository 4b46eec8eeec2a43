using MlNetBackprop.Network;
using MlNetBackprop.Network.Layers;
using MlNetBackprop.Network.Optimizers;
using MlNetBackprop.Network.Training;
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
    /// per-element implementation (step, value, gradient with L2 where it applies, state index, the block's learning rate)
    /// → new value. Each block's group settings (learning-rate factor, decay) are the network's.
    /// </summary>
    private static void FollowsFormula(Optimizer<double> optimizer, FeedForwardNetwork<double> network, Func<int, double, double, int, double, double> rule)
    {
        var expected = network.Parameters.Select(p => p.Values.ToArray()).ToArray();
        var random = new Random(4);
        for (int t = 1; t <= 3; t++)
        {
            for (int b = 0; b < expected.Length; b++)
            {
                var parameter = network.Parameters[b];
                for (int i = 0; i < expected[b].Length; i++)
                {
                    double g = parameter.Gradient.Span[i] = random.NextDouble() - 0.5;
                    if (parameter.Decays) g += L2 * expected[b][i]; // no L2 on biases
                    expected[b][i] = rule(t, expected[b][i], g, b * 1000 + i, Eta * parameter.LearningRateFactor);
                }
            }
            optimizer.Prepare(Eta, L2);
            optimizer.Step();
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
    public void Plain_SGD_decays_the_weights_and_steps_against_the_gradient_while_backpropagation_forms_it()
    {
        // The step lands in the weights as BP3 and BP4 are computed; it must equal backpropagation into the gradients
        // followed by w → (1 − ηλ/n)·w − η·∂C/∂w, i.e. w − η·(∂C/∂w + (λ/n)·w), with each block's learning rate.
        var stepped = Network();
        stepped.Parameters[1].LearningRateFactor = 0.1; // the first biases in a group of their own
        var reference = Network();
        var random = new Random(6);
        var inputs = Enumerable.Range(0, 4 * 5).Select(_ => random.NextDouble()).ToArray();
        var targets = Enumerable.Range(0, 4 * 2).Select(i => (double)(i % 2)).ToArray();
        var batch = MiniBatch<double>.Of(inputs, targets, [], 4);
        var before = reference.Parameters.Select(p => p.Values.ToArray()).ToArray();
        Backpropagation.Run(reference, batch, new Workspace<double>(), GradientStore<double>.Gradients);

        var optimizer = Optimizer<double>.Create(Settings(Solver.Sgd), stepped);
        Assert.IsType<SgdOptimizer<double>>(optimizer);
        optimizer.Prepare(Eta, L2);
        Backpropagation.Run(stepped, batch, new Workspace<double>(), optimizer.Store);
        optimizer.Step();
        for (int b = 0; b < before.Length; b++)
        {
            var (parameter, gradient) = (stepped.Parameters[b], reference.Parameters[b].Gradient.ToArray());
            double rate = Eta * parameter.LearningRateFactor;
            for (int i = 0; i < before[b].Length; i++)
            {
                double expected = before[b][i] - rate * (gradient[i] + (parameter.Decays ? L2 * before[b][i] : 0));
                Assert.True(Math.Abs(expected - parameter.Values.Span[i]) <= 1e-12, $"block {b}, element {i}: {expected} vs {parameter.Values.Span[i]}");
            }
        }
    }

    [Fact]
    public void A_block_takes_its_groups_learning_rate_and_decay()
    {
        // Biases at a tenth of η, and weights of the first layer without weight decay.
        const double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
        var network = Network();
        network.Parameters[1].LearningRateFactor = 0.1;
        network.Parameters[0].Decays = false;
        var (m, v) = (new Dictionary<int, double>(), new Dictionary<int, double>());
        FollowsFormula(Optimizer<double>.Create(Settings(Solver.Adam), network), network, (t, w, g, i, eta) =>
        {
            double rate = eta * Math.Sqrt(1 - Math.Pow(beta2, t)) / (1 - Math.Pow(beta1, t));
            double mi = m[i] = beta1 * m.GetValueOrDefault(i) + (1 - beta1) * g;
            double vi = v[i] = beta2 * v.GetValueOrDefault(i) + (1 - beta2) * g * g;
            return w - rate * mi / (Math.Sqrt(vi) + epsilon);
        });
    }

    [Fact]
    public void Momentum_follows_v_mu_v_minus_eta_g_then_w_plus_v()
    {
        var network = Network();
        var velocity = new Dictionary<int, double>();
        FollowsFormula(Optimizer<double>.Create(Settings(Solver.Sgd, momentum: 0.9), network), network, (_, w, g, i, _) =>
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
        FollowsFormula(Optimizer<double>.Create(Settings(Solver.Sgd, momentum: 0.8, nesterov: true), network), network, (_, w, g, i, _) =>
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
        FollowsFormula(Optimizer<double>.Create(Settings(Solver.Adam), network), network, (t, w, g, i, _) =>
        {
            double rate = Eta * Math.Sqrt(1 - Math.Pow(beta2, t)) / (1 - Math.Pow(beta1, t));
            double mi = m[i] = beta1 * m.GetValueOrDefault(i) + (1 - beta1) * g;
            double vi = v[i] = beta2 * v.GetValueOrDefault(i) + (1 - beta2) * g * g;
            return w - rate * mi / (Math.Sqrt(vi) + epsilon);
        });
    }
}
