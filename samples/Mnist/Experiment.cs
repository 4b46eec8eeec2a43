using System.Globalization;
using MlNetBackprop;

namespace MnistSample;

/// <summary>One run of the sample: the network and training settings, from a preset and command-line overrides.</summary>
public sealed record Experiment
{
    /// <summary>The preset's name.</summary>
    public string Preset { get; init; } = "ch3";

    /// <summary>Hidden layer sizes (the input 784 and the output 10 are implied).</summary>
    public int[] HiddenLayers { get; init; } = [100];

    /// <summary>Chapter 1 trains with the quadratic cost, chapter 3 with cross-entropy.</summary>
    public bool QuadraticCost { get; init; }

    /// <summary>The output layer: the book's network.py and network2.py have sigmoid output neurons; softmax is chapter 3's alternative.</summary>
    public MulticlassOutput OutputLayer { get; init; } = MulticlassOutput.Sigmoid;

    /// <summary>Passes over the 50,000 training images.</summary>
    public int Epochs { get; init; } = 30;

    /// <summary>Mini-batch size.</summary>
    public int BatchSize { get; init; } = 10;

    /// <summary>The learning rate η.</summary>
    public double LearningRate { get; init; } = 0.5;

    /// <summary>L2 regularisation λ.</summary>
    public double Lambda { get; init; }

    /// <summary>The seed of the MLContext (and so of the weights and shuffles).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>How many training images to use (Nielsen: 50,000).</summary>
    public int TrainingImages { get; init; } = 50_000;

    /// <summary>Where the model, history and picture go; null for output/&lt;preset&gt; beside the program.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>The book's figure for the preset, for the final comparison.</summary>
    public string? BookResult { get; init; }

    /// <summary>Chapter 1 (network.py): [784, 30, 10], sigmoid neurons, quadratic cost, η = 3.0, mini-batch 10, 30 epochs (book: 95.42% at best).</summary>
    public static Experiment Chapter1 => new()
    {
        Preset = "ch1", HiddenLayers = [30], QuadraticCost = true, LearningRate = 3.0, BookResult = "95.42% (best epoch)",
    };

    /// <summary>Chapter 3 (network2.py): [784, 100, 10], sigmoid neurons, cross-entropy, λ = 5.0, η = 0.5, mini-batch 10, 30 epochs (book: 97.92%).</summary>
    public static Experiment Chapter3 => new()
    {
        Preset = "ch3", HiddenLayers = [100], LearningRate = 0.5, Lambda = 5.0, BookResult = "97.92%",
    };

    /// <summary>Chapter 3's longer run: as <see cref="Chapter3"/> with η = 0.1 for 60 epochs (book: 98.04%).</summary>
    public static Experiment Chapter3Long => Chapter3 with
    {
        Preset = "ch3-long", LearningRate = 0.1, Epochs = 60, BookResult = "98.04%",
    };

    /// <summary>The usage text.</summary>
    public const string Usage = """
        usage: dotnet run --project samples/Mnist -- [--preset ch1|ch3|ch3-long] [--epochs N] [--hidden 100[,30...]] [--eta X]
                                                     [--lambda X] [--batch N] [--output-layer sigmoid|softmax] [--seed N]
                                                     [--train N] [--output DIR]
          --preset ch1   Nielsen chapter 1 (network.py): [784,30,10], sigmoid neurons, quadratic cost, eta 3.0, batch 10, 30 epochs
          --preset ch3   Nielsen chapter 3 (network2.py): [784,100,10], sigmoid neurons, cross-entropy, lambda 5.0, eta 0.5,
                         batch 10, 30 epochs (default)
          --preset ch3-long   the same with eta 0.1 for 60 epochs
          the other options override the preset's values; --output-layer softmax trains chapter 3's softmax output layer
          (log-likelihood cost) instead of the book's sigmoid output neurons; --train takes the first N of the 50,000
          training images
        """;

    /// <summary>Reads the command line; throws <see cref="ArgumentException"/> with a message for the user.</summary>
    public static Experiment Parse(IReadOnlyList<string> args)
    {
        var experiment = Chapter3;
        int presetAt = IndexOf(args, "--preset");
        if (presetAt >= 0)
        {
            experiment = Value(args, presetAt) switch
            {
                "ch1" => Chapter1,
                "ch3" => Chapter3,
                "ch3-long" => Chapter3Long,
                var other => throw new ArgumentException($"Unknown preset '{other}': use ch1, ch3 or ch3-long."),
            };
        }
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
                throw new ArgumentException($"Unexpected argument '{arg}'.");
            string value = Value(args, i++);
            experiment = arg switch
            {
                "--preset" => experiment,
                "--epochs" => experiment with { Epochs = Positive(arg, value), BookResult = null },
                "--hidden" => experiment with { HiddenLayers = value.Split(',').Select(v => Positive(arg, v)).ToArray(), BookResult = null },
                "--eta" => experiment with { LearningRate = PositiveNumber(arg, value), BookResult = null },
                "--lambda" => experiment with { Lambda = NonNegativeNumber(arg, value), BookResult = null },
                "--batch" => experiment with { BatchSize = Positive(arg, value), BookResult = null },
                "--output-layer" => experiment with
                {
                    OutputLayer = value switch
                    {
                        "sigmoid" => MulticlassOutput.Sigmoid,
                        "softmax" => MulticlassOutput.Softmax,
                        _ => throw new ArgumentException($"{arg} takes sigmoid or softmax, not '{value}'."),
                    },
                    BookResult = null,
                },
                "--seed" => experiment with { Seed = int.TryParse(value, CultureInfo.InvariantCulture, out int s) ? s : throw new ArgumentException($"{arg} takes a whole number, not '{value}'.") },
                "--train" => experiment with { TrainingImages = Math.Min(50_000, Positive(arg, value)), BookResult = null },
                "--output" => experiment with { OutputDirectory = value },
                _ => throw new ArgumentException($"Unknown option '{arg}'."),
            };
        }
        return experiment;
    }

    private static int IndexOf(IReadOnlyList<string> args, string name)
    {
        for (int i = 0; i < args.Count; i++)
            if (args[i] == name) return i;
        return -1;
    }

    private static string Value(IReadOnlyList<string> args, int at)
        => at + 1 < args.Count ? args[at + 1] : throw new ArgumentException($"{args[at]} needs a value.");

    private static int Positive(string name, string value)
        => int.TryParse(value, CultureInfo.InvariantCulture, out int v) && v > 0 ? v : throw new ArgumentException($"{name} takes a positive whole number, not '{value}'.");

    private static double PositiveNumber(string name, string value)
        => double.TryParse(value, CultureInfo.InvariantCulture, out double v) && v > 0 && double.IsFinite(v) ? v : throw new ArgumentException($"{name} takes a positive number, not '{value}'.");

    private static double NonNegativeNumber(string name, string value)
        => double.TryParse(value, CultureInfo.InvariantCulture, out double v) && v >= 0 && double.IsFinite(v) ? v : throw new ArgumentException($"{name} takes a number of at least 0, not '{value}'.");
}
