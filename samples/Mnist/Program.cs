// Reproduces the MNIST experiments of Nielsen's "Neural Networks and Deep Learning" through an ML.NET pipeline:
// trains with a live progress display while monitoring the validation set, evaluates on the test set with ML.NET's
// metrics, saves the model with its training history (CSV) and learning curves (PNG), then reloads it and checks
// that it scores the same.
using System.Globalization;
using Microsoft.ML;
using MlNetBackprop;
using MlNetBackprop.Datasets;
using MnistSample;
using Spectre.Console;

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(Experiment.Usage);
    return 0;
}
Experiment experiment;
try
{
    experiment = Experiment.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(Experiment.Usage);
    return 2;
}

string dataDirectory = Path.Combine(AppContext.BaseDirectory, "Data");
string trainImages = Path.Combine(dataDirectory, "train-images-idx3-ubyte.gz"), trainLabels = Path.Combine(dataDirectory, "train-labels-idx1-ubyte.gz");
// Nielsen's split: the first 50,000 training images to train, the last 10,000 to validate, t10k to test.
var train = Mnist.Load(trainImages, trainLabels, 0, experiment.TrainingImages);
var validation = Mnist.Load(trainImages, trainLabels, 50_000, 10_000);
var test = Mnist.Load(Path.Combine(dataDirectory, "t10k-images-idx3-ubyte.gz"), Path.Combine(dataDirectory, "t10k-labels-idx1-ubyte.gz"));

var ml = new MLContext(seed: experiment.Seed);
// The book's settings for the chapter, then what the experiment (and the command line) changes.
var options = experiment.QuadraticCost ? BackpropTrainer.Options.NielsenChapter1() : BackpropTrainer.Options.NielsenChapter3();
options.HiddenLayerSizes = experiment.HiddenLayers;
options.MulticlassOutput = experiment.OutputLayer;
options.Epochs = experiment.Epochs;
options.BatchSize = experiment.BatchSize;
options.LearningRate = experiment.LearningRate;
options.L2Regularization = experiment.Lambda;
// Both chapters start from network2.py's initialisation, N(0, 1/n_in), as this sample always has (chapter 1's network.py
// draws N(0, 1), NielsenChapter1's choice); so its figures stay those of the README.
options.WeightInitialization = WeightInitialization.ScaledGaussian;
string layers = string.Join(", ", new[] { Mnist.Pixels }.Concat(experiment.HiddenLayers).Append(10));
AnsiConsole.MarkupLine($"[bold]MNIST, preset {experiment.Preset}[/]: [[{layers}]], sigmoid hidden neurons, {experiment.OutputLayer.ToString().ToLowerInvariant()} output, " +
    $"{(experiment.QuadraticCost ? "quadratic" : "cross-entropy")} cost, " +
    $"η = {Invariant(experiment.LearningRate)}, λ = {Invariant(experiment.Lambda)}, mini-batch {experiment.BatchSize}, {experiment.Epochs} epochs, " +
    $"{experiment.TrainingImages:N0} training images, seed {experiment.Seed}");

BackpropTransformer model = null!;
AnsiConsole.Progress()
    .AutoClear(false)
    .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn())
    .Start(context =>
    {
        var display = new TrainingDisplay(context, experiment.Epochs);
        options.BatchProgress = display;
        options.Progress = display;
        model = new BackpropTrainer(ml, options).Fit(train, validation);
    });

double secondsPerEpoch = model.History[^1].Elapsed.TotalSeconds / model.History.Count;
var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
var results = new Table().AddColumns("metric", "test set (10,000 images)");
results.AddRow("micro-accuracy", metrics.MicroAccuracy.ToString("P2", CultureInfo.InvariantCulture));
results.AddRow("macro-accuracy", metrics.MacroAccuracy.ToString("P2", CultureInfo.InvariantCulture));
results.AddRow("log-loss", metrics.LogLoss.ToString("F4", CultureInfo.InvariantCulture));
results.AddRow("best validation accuracy", $"{model.History.Max(h => h.ValidationAccuracy ?? 0).ToString("P2", CultureInfo.InvariantCulture)} (epoch {model.History.MaxBy(h => h.ValidationAccuracy ?? 0)!.Epoch})");
results.AddRow("training time", $"{model.History[^1].Elapsed.TotalSeconds:F1} s ({secondsPerEpoch:F2} s per epoch)");
AnsiConsole.Write(results);
Console.WriteLine(metrics.ConfusionMatrix.GetFormattedConfusionTable());

string output = experiment.OutputDirectory ?? Path.Combine(AppContext.BaseDirectory, "output", experiment.Preset);
Directory.CreateDirectory(output);
string modelPath = Path.Combine(output, "model.zip");
ml.Model.Save(model, train.Schema, modelPath);
HistoryCsv.Write(model.History, Path.Combine(output, "history.csv"));
LearningCurve.SavePng(model.History, $"MNIST {experiment.Preset}: [{layers}], η = {Invariant(experiment.LearningRate)}, λ = {Invariant(experiment.Lambda)}",
    Path.Combine(output, "learning-curve.png"));
AnsiConsole.MarkupLine($"Saved [blue]{Markup.Escape(modelPath)}[/], history.csv and learning-curve.png there.");

var reloaded = ml.Model.Load(modelPath, out _);
var reloadedMetrics = ml.MulticlassClassification.Evaluate(reloaded.Transform(test));
bool same = reloadedMetrics.MicroAccuracy == metrics.MicroAccuracy && reloadedMetrics.LogLoss == metrics.LogLoss;
AnsiConsole.MarkupLine($"Reloaded model: test accuracy {reloadedMetrics.MicroAccuracy.ToString("P2", CultureInfo.InvariantCulture)}, log-loss " +
    $"{reloadedMetrics.LogLoss.ToString("F4", CultureInfo.InvariantCulture)} ({(same ? "[green]identical[/]" : "[red]different[/]")}).");
Console.WriteLine($"RESULT preset={experiment.Preset} seed={experiment.Seed} test_accuracy={metrics.MicroAccuracy.ToString("F4", CultureInfo.InvariantCulture)} " +
    $"best_validation_accuracy={model.History.Max(h => h.ValidationAccuracy ?? 0).ToString("F4", CultureInfo.InvariantCulture)} " +
    $"book={experiment.BookResult ?? "-"} seconds_per_epoch={secondsPerEpoch.ToString("F2", CultureInfo.InvariantCulture)}");
return same ? 0 : 1;

static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
