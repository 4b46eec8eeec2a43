using System.Numerics;
using MlNetBackprop.MlNet.Fitting;
using MlNetBackprop.Network;
using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Targets;
using MlNetBackprop.Network.Training;

namespace MlNetBackprop.Tests.Network;

/// <summary>Networks and settings for the engine's tests, built the way the trainer builds them.</summary>
internal static class Engine
{
    /// <summary>The engine's settings for these options (the trainer's defaults for everything not set).</summary>
    public static SgdSettings Settings(BackpropTrainer.Options options, double learningRate, int seed = 1)
        => EngineSettings.From(options, learningRate, seed, firstEpoch: 1);

    /// <summary>The layout the trainer makes for hidden layers of <paramref name="hidden"/> and the output of a task and cost.</summary>
    public static NetworkLayout Layout(int[] sizes, HiddenActivation hidden, BackpropTask task, CostFunction cost,
        MulticlassOutput multiclassOutput = MulticlassOutput.Softmax)
    {
        var (output, costKind) = OutputPairing.For(task, cost, multiclassOutput);
        return NetworkLayout.Uniform(sizes, HiddenActivations.KindOf(hidden), output, costKind);
    }

    /// <summary>A network of <paramref name="layout"/> initialised from <paramref name="seed"/> (chapter 3's initialisation).</summary>
    public static FeedForwardNetwork<T> Network<T>(NetworkLayout layout, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var network = new FeedForwardNetwork<T>(layout);
        network.InitializeWeights(new Random(seed));
        return network;
    }

    /// <summary>A random training set of <paramref name="classes"/> classes.</summary>
    public static TrainingSet<float> RandomClasses(int rows, int inputs, int classes, int seed)
    {
        var random = new Random(seed);
        var x = Enumerable.Range(0, rows * inputs).Select(_ => (float)random.NextDouble()).ToArray();
        var y = Enumerable.Range(0, rows).Select(_ => random.Next(classes)).ToArray();
        return TrainingSet<float>.ForClasses(x, rows, inputs, y, classes);
    }

    /// <summary>Every weight and bias of a network, in storage order.</summary>
    public static T[] AllParameters<T>(FeedForwardNetwork<T> network) where T : unmanaged, IFloatingPointIeee754<T>
        => network.Parameters.SelectMany(p => p.Values.ToArray()).ToArray();

    /// <summary>Every output pairing the trainer can build: (task, cost, multiclass output).</summary>
    public static IEnumerable<(BackpropTask Task, CostFunction Cost, MulticlassOutput Output)> Pairings()
    {
        foreach (var cost in Enum.GetValues<CostFunction>())
        {
            foreach (var output in Enum.GetValues<MulticlassOutput>())
                yield return (BackpropTask.MulticlassClassification, cost, output);
            yield return (BackpropTask.BinaryClassification, cost, MulticlassOutput.Softmax);
        }
        yield return (BackpropTask.Regression, CostFunction.Quadratic, MulticlassOutput.Softmax);
    }
}
