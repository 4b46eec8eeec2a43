using MlNetBackprop.Network;
using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Costs;
using MlNetBackprop.Network.Training;
using Xunit;
using Xunit.Abstractions;

namespace MlNetBackprop.Tests.Network;

/// <summary>Full-batch L-BFGS: it descends at every iteration and ends where the gradient vanishes.</summary>
public sealed class LbfgsTests(ITestOutputHelper output)
{
    private static SgdSettings Settings(int epochs, double lambda = 0) => Engine.Settings(new BackpropTrainer.Options
    {
        Solver = Solver.Lbfgs, Epochs = epochs, EarlyStopping = false, L2Regularization = lambda, NumberOfThreads = 1, Tolerance = 1e-6,
    }, learningRate: 0.001);

    [Fact]
    public void Logistic_regression_reaches_the_point_where_the_gradient_vanishes()
    {
        // No hidden layer and an L2 term: a strictly convex cost, whose minimum L-BFGS must find.
        var set = Engine.RandomClasses(300, 5, 3, seed: 4);
        var layout = NetworkLayout.Uniform([5, 3], ActivationKind.Relu, ActivationKind.Softmax, CostKind.LogLikelihood);
        var network = Engine.Network<float>(layout, seed: 1);
        var outcome = new MiniBatchSgd<float>(Settings(200, lambda: 3)).Train(network, set);
        var losses = outcome.History.Select(h => h.Loss).ToArray();
        output.WriteLine($"{losses.Length} iterations: {string.Join(", ", losses.Take(8).Select(l => l.ToString("F5")))} … {losses[^1]:F7}");
        for (int i = 1; i < losses.Length; i++)
            Assert.True(losses[i] <= losses[i - 1] + 1e-9, $"iteration {i + 1} rose from {losses[i - 1]} to {losses[i]}");
        Assert.True(outcome.StoppedEarly, "it converges long before 200 iterations");

        // At the end the full gradient (the L2 term's included) is nil.
        var workspace = new Workspace<float>();
        var objective = new FullBatchObjective<float>(network, new InMemoryBatches<float>(set), workspace, 3.0 / set.Rows, CancellationToken.None);
        var theta = new float[objective.Length];
        var gradient = new float[objective.Length];
        objective.Read(theta);
        objective.Evaluate(theta, gradient, out _, out _);
        output.WriteLine($"largest gradient element at the end {gradient.Max(Math.Abs):E2}");
        Assert.True(gradient.Max(Math.Abs) < 1e-4, $"largest gradient element {gradient.Max(Math.Abs):E2}");
    }

    [Fact]
    public void A_hidden_layer_network_trains_and_the_same_seed_gives_the_same_bits()
    {
        var set = Engine.RandomClasses(200, 6, 2, seed: 7);
        var layout = NetworkLayout.Uniform([6, 8, 2], ActivationKind.Tanh, ActivationKind.Softmax, CostKind.LogLikelihood);
        float[] Train()
        {
            var network = Engine.Network<float>(layout, seed: 2);
            var outcome = new MiniBatchSgd<float>(Settings(30)).Train(network, set);
            Assert.True(outcome.History[^1].Loss < outcome.History[0].Loss * 0.9, "the cost fell");
            return Engine.AllParameters(network);
        }
        Assert.Equal(Train(), Train());
    }
}
