using MlNetBackprop.Network;
using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Costs;
using MlNetBackprop.Network.Kernels;
using MlNetBackprop.Network.Optimizers;
using MlNetBackprop.Network.Training;
using Xunit;

namespace MlNetBackprop.Tests.Network;

/// <summary>The SGD loop: no allocation per mini-batch, the same bits on any number of threads.</summary>
public sealed class TrainingLoopTests
{
    private static TrainingSet<float> RandomSet(int rows, int inputs, int classes, int seed)
    {
        var random = new Random(seed);
        var x = Enumerable.Range(0, rows * inputs).Select(_ => (float)random.NextDouble()).ToArray();
        var y = Enumerable.Range(0, rows).Select(_ => random.Next(classes)).ToArray();
        return TrainingSet<float>.ForClasses(x, rows, inputs, y, classes, null);
    }

    private static FeedForwardNetwork<float> Network(int inputs, int hidden, int classes)
    {
        var network = new FeedForwardNetwork<float>(new NetworkLayout([inputs, hidden, classes], ActivationKind.Sigmoid, ActivationKind.Softmax, CostKind.LogLikelihood));
        network.InitializeWeights(new Random(1));
        return network;
    }

    [Theory]
    [InlineData(1, OptimizerKind.Sgd, 0.0)]
    [InlineData(2, OptimizerKind.Sgd, 0.0)]
    [InlineData(1, OptimizerKind.Momentum, 0.3)]
    [InlineData(2, OptimizerKind.Adam, 0.3)]
    internal void Training_allocates_nothing_per_mini_batch(int threads, OptimizerKind optimizer, double dropout)
    {
        var set = RandomSet(2000, 64, 10, 1);
        long Allocated(int epochs)
        {
            var network = Network(64, 128, 10);
            var sgd = new MiniBatchSgd<float>(new SgdSettings
            {
                Epochs = epochs, BatchSize = 10, LearningRate = 0.1, Threads = threads, Dropout = dropout,
                Optimizer = new OptimizerSettings { Kind = optimizer }, Schedule = ScheduleKind.InverseScaling,
            });
            long before = GC.GetAllocatedBytesForCurrentThread();
            sgd.Train(network, set);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Allocated(1); // JIT and first-use costs
        long two = Allocated(2), ten = Allocated(10);
        // Eight more epochs are 1,600 more mini-batches; all they may add is eight entries of history.
        Assert.True(ten - two < 4096, $"2 epochs allocated {two} bytes, 10 epochs {ten}");
    }

    [Fact]
    public void The_trained_network_is_the_same_bits_on_one_or_two_threads()
    {
        var set = RandomSet(1000, 96, 10, 2);
        Assert.True(128L * 96 * 200 >= ParallelGemm<float>.ParallelThreshold); // the first layer's products are split
        FeedForwardNetwork<float> Train(int threads)
        {
            var network = Network(96, 200, 10);
            new MiniBatchSgd<float>(new SgdSettings { Epochs = 2, BatchSize = 128, LearningRate = 0.1, Seed = 3, Threads = threads }).Train(network, set);
            return network;
        }
        var one = Train(1);
        var two = Train(2);
        var three = Train(3);
        for (int l = 0; l < one.LayerCount; l++)
        {
            Assert.Equal(one.Weights[l].ToArray(), two.Weights[l].ToArray());
            Assert.Equal(one.Weights[l].ToArray(), three.Weights[l].ToArray());
            Assert.Equal(one.Biases[l], two.Biases[l]);
        }
    }

    [Fact]
    public void The_runner_runs_every_part_and_reports_a_failure()
    {
        using var runner = new ParallelRunner(3);
        var parts = new Recorder();
        for (int i = 0; i < 100; i++) runner.Run(parts);
        Assert.Equal(new[] { 100, 100, 100 }, parts.Counts);
        var failure = Assert.Throws<AggregateException>(() => runner.Run(new Failing()));
        Assert.Contains("part 2", failure.InnerException!.Message);
        runner.Run(parts); // still usable afterwards
        Assert.Equal(101, parts.Counts[1]);
    }

    private sealed class Recorder : IParallelWork
    {
        public readonly int[] Counts = new int[3];
        public void Execute(int part, int parts) => Interlocked.Increment(ref Counts[part]);
    }

    private sealed class Failing : IParallelWork
    {
        public void Execute(int part, int parts)
        {
            if (part == 2) throw new InvalidOperationException("part 2 failed");
        }
    }
}

/// <summary>The validation split that early stopping makes when it is given no validation data.</summary>
public sealed class TrainingSetSplitTests
{
    [Fact]
    public void The_split_is_stratified_disjoint_and_seeded()
    {
        var random = new Random(1);
        int rows = 1000;
        var classes = Enumerable.Range(0, rows).Select(i => i % 10 == 0 ? 2 : i % 3 == 0 ? 1 : 0).ToArray();
        var inputs = Enumerable.Range(0, rows).Select(i => (float)i).ToArray(); // the input is the row's number
        var set = TrainingSet<float>.ForClasses(inputs, rows, 1, classes, 3, null);
        var (train, validation) = set.Split(0.25, seed: 5);
        Assert.Equal(rows, train.Rows + validation.Rows);
        Assert.Empty(train.Inputs.Intersect(validation.Inputs));
        for (int c = 0; c < 3; c++)
        {
            int total = classes.Count(k => k == c);
            Assert.Equal((int)Math.Round(total * 0.25), validation.Classes!.Count(k => k == c));
        }
        var (_, again) = set.Split(0.25, seed: 5);
        Assert.Equal(validation.Inputs, again.Inputs);
        var (_, other) = set.Split(0.25, seed: 6);
        Assert.NotEqual(validation.Inputs, other.Inputs);
    }
}

/// <summary>Plain SGD's step taken inside the backward pass equals backpropagation followed by the optimizer's step.</summary>
public sealed class FusedSgdStepTests
{
    // One step must agree to rounding (a fused multiply-add against a multiply and an add: an ulp or two); twenty steps
    // on the same batch amplify those ulps through the network, so they are held to a looser bound.
    [Theory]
    [InlineData(10, 0.0, 1, 1e-6)]
    [InlineData(7, 3.0, 1, 1e-6)]
    [InlineData(10, 0.0, 20, 1e-3)]
    [InlineData(7, 3.0, 20, 1e-3)]
    public void The_fused_step_matches_gradient_then_update(int rows, double lambda, int steps, double tolerance)
    {
        var random = new Random(3);
        var layout = new NetworkLayout([37, 300, 20, 5], ActivationKind.Tanh, ActivationKind.Softmax, CostKind.LogLikelihood);
        var fused = new FeedForwardNetwork<float>(layout);
        fused.InitializeWeights(random);
        var separate = fused.ConvertTo<float>();
        var inputs = Enumerable.Range(0, rows * 37).Select(_ => (float)random.NextDouble()).ToArray();
        var targets = new float[rows * 5];
        for (int r = 0; r < rows; r++) targets[r * 5 + r % 5] = 1;
        float eta = 0.2f, l2 = (float)(lambda / 100);
        var sgd = new SgdOptimizer<float>();
        var (ws1, ws2) = (new Workspace<float>(), new Workspace<float>());
        var (g1, g2) = (new Gradient<float>(fused), new Gradient<float>(separate));
        for (int step = 0; step < steps; step++)
        {
            fused.Backpropagate(inputs, targets, default, rows, ws1, g1, sgdStep: (eta, 1 - eta * l2));
            separate.Backpropagate(inputs, targets, default, rows, ws2, g2);
            sgd.Step(separate, g2, eta, l2);
        }
        for (int l = 0; l < layout.LayerCount; l++)
        {
            for (int i = 0; i < fused.Weights[l].Length; i++)
                Assert.True(Math.Abs(fused.Weights[l].Span[i] - separate.Weights[l].Span[i]) <= tolerance * (1 + Math.Abs(separate.Weights[l].Span[i])),
                    $"layer {l} weight {i}: {fused.Weights[l].Span[i]} vs {separate.Weights[l].Span[i]}");
            for (int i = 0; i < fused.Biases[l].Length; i++)
                Assert.True(Math.Abs(fused.Biases[l][i] - separate.Biases[l][i]) <= tolerance * (1 + Math.Abs(separate.Biases[l][i])),
                    $"layer {l} bias {i}: {fused.Biases[l][i]} vs {separate.Biases[l][i]}");
        }
    }
}
