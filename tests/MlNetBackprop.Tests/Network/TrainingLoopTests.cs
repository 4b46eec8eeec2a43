using MlNetBackprop.Network;
using MlNetBackprop.Network.Layers;
using MlNetBackprop.Network.Kernels;
using MlNetBackprop.Network.Optimizers;
using MlNetBackprop.Network.Training;
using Xunit;

namespace MlNetBackprop.Tests.Network;

/// <summary>Tests that measure the whole process (allocations on every thread) and so must not share it with other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SequentialCollection
{
    public const string Name = "Alone in the process";
}

/// <summary>The SGD loop allocates nothing per mini-batch, on any thread.</summary>
[Collection(SequentialCollection.Name)]
public sealed class TrainingAllocationTests
{
    [Theory]
    [InlineData(1, Solver.Sgd, 0.0, 0.0)]
    [InlineData(2, Solver.Sgd, 0.0, 0.0)]
    [InlineData(1, Solver.Sgd, 0.9, 0.3)]
    [InlineData(2, Solver.Adam, 0.0, 0.3)]
    public void Training_allocates_nothing_per_mini_batch(int threads, Solver solver, double momentum, double dropout)
    {
        var set = Engine.RandomClasses(2000, 64, 10, 1);
        var layout = Engine.Layout([64, 128, 10], HiddenActivation.Sigmoid, BackpropTask.MulticlassClassification, CostFunction.CrossEntropy);
        long Allocated(int epochs)
        {
            var network = Engine.Network<float>(layout, seed: 1);
            var sgd = new MiniBatchSgd<float>(Engine.Settings(new BackpropTrainer.Options
            { Activation = HiddenActivation.Sigmoid, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false,
                Epochs = epochs, BatchSize = 10, NumberOfThreads = threads, DropoutRate = dropout, Solver = solver, Momentum = momentum,
                LearningRateSchedule = LearningRateSchedule.InverseScaling,
            }, learningRate: 0.1));
            long before = GC.GetTotalAllocatedBytes(precise: true);
            sgd.Train(network, set);
            return GC.GetTotalAllocatedBytes(precise: true) - before;
        }
        Allocated(1); // JIT and first-use costs
        // Eight more epochs are 1,600 more mini-batches on every thread the products use; all they may add is a few bytes.
        // The count covers every thread of the process, the test host's too, whose own work (serialising its messages)
        // now and then lands inside a run: the least of three tries is the training's.
        var tries = Enumerable.Range(0, 3).Select(_ => (Two: Allocated(2), Ten: Allocated(10))).ToArray();
        var least = tries.MinBy(t => t.Ten - t.Two);
        Assert.True(least.Ten - least.Two < 4096, $"2 epochs allocated {least.Two} bytes, 10 epochs {least.Ten}");
    }
}

public sealed class ParallelRunnerTests
{
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
        int rows = 1000;
        var classes = Enumerable.Range(0, rows).Select(i => i % 10 == 0 ? 2 : i % 3 == 0 ? 1 : 0).ToArray();
        var inputs = Enumerable.Range(0, rows).Select(i => (float)i).ToArray(); // the input is the row's number
        var set = TrainingSet<float>.ForClasses(inputs, rows, 1, classes, 3);
        var (train, validation) = set.Split(0.25, seed: 5);
        Assert.Equal(rows, train.Rows + validation.Rows);
        Assert.Empty(InputsOf(train).Intersect(InputsOf(validation)));
        for (int c = 0; c < 3; c++)
        {
            int total = classes.Count(k => k == c);
            Assert.Equal((int)Math.Round(total * 0.25), Enumerable.Range(0, validation.Rows).Count(i => validation.ClassOf(i) == c));
        }
        // Each row keeps its own label.
        for (int i = 0; i < validation.Rows; i++)
            Assert.Equal(classes[(int)InputsOf(validation)[i]], validation.ClassOf(i));
        var (_, again) = set.Split(0.25, seed: 5);
        Assert.Equal(InputsOf(validation), InputsOf(again));
        var (_, other) = set.Split(0.25, seed: 6);
        Assert.NotEqual(InputsOf(validation), InputsOf(other));
        // A split of a split still reads the original rows.
        var (_, inner) = train.Split(0.5, seed: 7);
        Assert.All(InputsOf(inner), value => Assert.Contains(value, InputsOf(train)));
    }

    private static float[] InputsOf(TrainingSet<float> set)
    {
        var inputs = new float[set.Rows];
        for (int i = 0; i < set.Rows; i++) set.CopyInputsTo(i, inputs.AsSpan(i, 1));
        return inputs;
    }
}

/// <summary>Plain SGD's step taken inside the backward pass equals backpropagation followed by the book's update.</summary>
public sealed class FusedSgdStepTests
{
    // The two differ by rounding only (one fused multiply-add against a multiply and an add: an ulp or two per step). At a
    // learning rate where descent on the batch is stable the differences do not grow: twenty steps agree as one does.
    // (With η large enough for the cost to oscillate, any rounding difference doubles each step, however right both are.)
    [Theory]
    [InlineData(10, 0.0, 1)]
    [InlineData(7, 3.0, 1)]
    [InlineData(10, 0.0, 20)]
    [InlineData(7, 3.0, 20)]
    public void The_fused_step_matches_gradient_then_update(int rows, double lambda, int steps)
    {
        const double tolerance = 1e-6;
        var random = new Random(3);
        var layout = Engine.Layout([37, 300, 20, 5], HiddenActivation.Tanh, BackpropTask.MulticlassClassification, CostFunction.CrossEntropy);
        var fused = Engine.Network<float>(layout, seed: 3);
        var separate = fused.ConvertTo<float>();
        var inputs = Enumerable.Range(0, rows * 37).Select(_ => (float)random.NextDouble()).ToArray();
        var targets = new float[rows * 5];
        for (int r = 0; r < rows; r++) targets[r * 5 + r % 5] = 1;
        float eta = 0.05f, l2 = (float)(lambda / 100);
        var sgd = Optimizer<float>.Create(new OptimizerSettings(Solver.Sgd, 0, false, 0.9, 0.999, 1e-8), fused);
        sgd.Prepare(eta, l2);
        var (ws1, ws2) = (new Workspace<float>(), new Workspace<float>());
        var batch = MiniBatch<float>.Of(inputs, targets, [], rows);
        double previousCost = double.PositiveInfinity;
        for (int s = 0; s < steps; s++)
        {
            double cost = Backpropagation.Run(fused, batch, ws1, sgd.Store);
            sgd.Step();
            // The reference: the gradient written out, then w → (1 − ηλ/n)·w − η·∂C/∂w and b → b − η·∂C/∂b.
            Backpropagation.Run(separate, batch, ws2, GradientStore<float>.Gradients);
            foreach (var parameter in separate.Parameters)
            {
                var values = parameter.Values.Span;
                var gradient = parameter.Gradient.Span;
                for (int i = 0; i < values.Length; i++)
                    values[i] = (parameter.Decays ? 1 - eta * l2 : 1) * values[i] - eta * gradient[i];
            }
            Assert.True(cost < previousCost, $"step {s + 1}: the cost rose from {previousCost} to {cost}, so the comparison is not in a stable regime");
            previousCost = cost;
        }
        var (a, b) = (Engine.AllParameters(fused), Engine.AllParameters(separate));
        for (int i = 0; i < a.Length; i++)
            Assert.True(Math.Abs(a[i] - b[i]) <= tolerance * (1 + Math.Abs(b[i])), $"parameter {i}: {a[i]} vs {b[i]}");
    }
}

/// <summary>Batches large enough to be gathered in parts on the training loop's threads give the one-thread model.</summary>
public sealed class ParallelGatherTests
{
    [Theory]
    [InlineData(Solver.Sgd)]
    [InlineData(Solver.Adam)]
    public void A_batch_gathered_on_several_threads_trains_the_one_thread_model_bit_for_bit(Solver solver)
    {
        // 128 rows of 784 inputs: 100,352 values a batch, past the size from which the gather is split.
        var set = Engine.RandomClasses(700, 784, 10, 4);
        var layout = Engine.Layout([784, 32, 10], HiddenActivation.Relu, BackpropTask.MulticlassClassification, CostFunction.CrossEntropy);
        float[] Train(int threads)
        {
            var network = Engine.Network<float>(layout, seed: 5);
            new MiniBatchSgd<float>(Engine.Settings(new BackpropTrainer.Options
            { Activation = HiddenActivation.Sigmoid, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false,
                Epochs = 2, BatchSize = 128, NumberOfThreads = threads, Solver = solver,
            }, learningRate: solver == Solver.Adam ? 0.001 : 0.1)).Train(network, set);
            return Engine.AllParameters(network);
        }
        var one = Train(1);
        Assert.Equal(one, Train(2));
        Assert.Equal(one, Train(3));
    }
}
