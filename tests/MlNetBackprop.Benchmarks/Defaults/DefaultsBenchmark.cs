using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace MlNetBackprop.Benchmarks.Defaults;

/// <summary>
/// Every trainer at its defaults on the benchmark's tables, featurized as an ML.NET user does (missing numbers replaced
/// by the mean, then NormalizeMeanVariance; OneHotEncoding for category codes and strings; FeaturizeText for text), on
/// the same five folds (row i tested in fold i mod 5) or the table's own split, beside scikit-learn's MLP at its
/// defaults on the same rows and folds (<c>sklearn_defaults.py</c>, run by Debian's python3 with python3-sklearn).
/// <code>
///   dotnet run -c Release --project tests/MlNetBackprop.Benchmarks -- defaults [table ...] [--backprop candidate,...] [--no-others | --lightgbm-only]
/// </code>
/// The candidates are option sets for BackpropTrainer (see <see cref="Candidates"/>); "defaults" is <c>new Options()</c>.
/// </summary>
internal static class DefaultsBenchmark
{
    /// <summary>The option sets the benchmark can run, by name: the defaults, Nielsen's, and what the defaults were chosen from.</summary>
    private static readonly Dictionary<string, Func<BackpropTrainer.Options>> Candidates = new()
    {
        ["defaults"] = () => new BackpropTrainer.Options(),
        ["nielsen3"] = BackpropTrainer.Options.NielsenChapter3,
        // The defaults until this benchmark chose new ones: chapter 3's SGD with a softmax output, no L2, 100 epochs.
        ["previous"] = () => new BackpropTrainer.Options
        {
            Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, Epochs = 100,
            WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, StandardizeFeatures = false,
        },
        // What the defaults were chosen from: each differs from them in one respect.
        ["no-standardizing"] = () => new BackpropTrainer.Options { StandardizeFeatures = false },
        ["no-early-stopping"] = () => new BackpropTrainer.Options { EarlyStopping = false },
        ["always-early-stopping"] = () => new BackpropTrainer.Options { EarlyStopping = true },
        ["patience-10"] = () => new BackpropTrainer.Options { IterationsWithoutImprovement = 10 },
        ["batch-32"] = () => new BackpropTrainer.Options { BatchSize = 32 },
        ["batch-200"] = () => new BackpropTrainer.Options { BatchSize = 200 },
        ["he"] = () => new BackpropTrainer.Options { WeightInitialization = WeightInitialization.He },
        ["tanh"] = () => new BackpropTrainer.Options { Activation = HiddenActivation.Tanh },
        // Full-batch L-BFGS, scikit-learn's recommended solver for small tables, with early stopping left to the data.
        ["lbfgs"] = () => new BackpropTrainer.Options { Solver = Solver.Lbfgs },
    };

    public static int Run(string[] args)
    {
        // Arguments: table names; --backprop a,b (named candidates); --candidate name:Field=value;Field=value (an option set
        // of its own, any public field of the options, arrays comma-separated); --no-others; --lightgbm-only (of the
        // other trainers, LightGBM alone: its Fit times measured without the others' runs between); --results file.jsonl.
        var valued = new HashSet<string> { "--backprop", "--candidate", "--results" };
        var names = args.Skip(1).Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && !valued.Contains(args[i])).ToList();
        foreach (var spec in Options(args, "--candidate"))
        {
            int colon = spec.IndexOf(':');
            string name = spec[..colon], settings = spec[(colon + 1)..];
            Candidates[name] = () => OptionsFrom(settings);
        }
        var backprop = (Option(args, "--backprop")?.Split(',') ?? (Options(args, "--candidate").Any() ? [] : ["defaults"]))
            .Concat(Options(args, "--candidate").Select(c => c[..c.IndexOf(':')])).ToArray();
        bool others = !args.Contains("--no-others"), lightGbmOnly = args.Contains("--lightgbm-only");
        string? resultsFile = Option(args, "--results");
        var tables = BenchmarkTables.All.Where(t => names.Count == 0 || names.Contains(t.Name)).ToList();
        _resultsFile = resultsFile;
        var results = new List<(string Table, string Metric, string Trainer, double Score, double Seconds)>();
        foreach (var (name, load) in tables)
        {
            var table = load();
            Console.WriteLine($"== {name}: {table.Rows.Count} rows, {table.Task}, {table.Metric}");
            foreach (var candidate in backprop)
                results.Add(Report(table, $"Backprop {candidate}", Evaluate(table, ml => Backprop(ml, table.Task, Candidates[candidate]()))));
            if (lightGbmOnly)
                results.Add(Report(table, "LightGbm", Evaluate(table, ml => Tree(ml, table.Task))));
            if (!others || lightGbmOnly) continue;
            foreach (var (trainer, make) in Linear(table.Task))
                results.Add(Report(table, trainer, Evaluate(table, make)));
            foreach (var (trainer, score, seconds) in ScikitLearn(table))
                results.Add(Report(table, trainer, (score, seconds)));
            results.Add(Report(table, "LightGbm", Evaluate(table, ml => Tree(ml, table.Task))));
            results.Add(Report(table, "FastTree", Evaluate(table, ml => FastTree(ml, table.Task))));
        }
        Console.WriteLine();
        Console.WriteLine("| table | metric | trainer | score | Fit time (s, mean per fold) |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var r in results)
            Console.WriteLine($"| {r.Table} | {r.Metric} | {r.Trainer} | {r.Score:F4} | {r.Seconds:F2} |");
        return 0;
    }

    private static string? _resultsFile;

    private static (string, string, string, double, double) Report(BenchmarkTable table, string trainer, (double Score, double Seconds) result)
    {
        Console.WriteLine($"   {trainer,-28} {table.Metric} {result.Score:F4}   Fit {result.Seconds:F2} s");
        if (_resultsFile is not null)
            File.AppendAllText(_resultsFile, JsonSerializer.Serialize(new { table = table.Name, task = table.Task.ToString(), trainer, score = result.Score, seconds = result.Seconds }) + "\n");
        return (table.Name, table.Metric, trainer, result.Score, result.Seconds);
    }

    /// <summary>Every value given for <paramref name="name"/>.</summary>
    private static IEnumerable<string> Options(string[] args, string name)
    {
        for (int i = 0; i + 1 < args.Length; i++)
            if (args[i] == name) yield return args[i + 1];
    }

    /// <summary>Options from "Field=value;Field=value" (public fields of the options; enums by name, arrays comma-separated).</summary>
    internal static BackpropTrainer.Options OptionsFrom(string settings)
    {
        var options = new BackpropTrainer.Options();
        foreach (var pair in settings.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var (field, text) = (pair[..pair.IndexOf('=')], pair[(pair.IndexOf('=') + 1)..]);
            var info = typeof(BackpropTrainer.Options).GetField(field) ?? throw new ArgumentException($"No option {field}.");
            var type = Nullable.GetUnderlyingType(info.FieldType) ?? info.FieldType;
            object? Parse(Type t, string v) => t.IsEnum ? Enum.Parse(t, v) : Convert.ChangeType(v, t, CultureInfo.InvariantCulture);
            object? value = text == "null" ? null
                : type.IsArray ? ToArray(type.GetElementType()!, text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(v => Parse(type.GetElementType()!, v)).ToArray())
                : Parse(type, text);
            info.SetValue(options, value);
        }
        return options;

        static Array ToArray(Type element, object?[] values)
        {
            var array = Array.CreateInstance(element, values.Length);
            for (int i = 0; i < values.Length; i++) array.SetValue(values[i], i);
            return array;
        }
    }

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>The mean score and mean Fit time over the folds (or the one split) of a trainer, featurization included.</summary>
    private static (double Score, double Seconds) Evaluate(BenchmarkTable table, Func<MLContext, IEstimator<ITransformer>> trainer)
    {
        var scores = new List<double>();
        var seconds = new List<double>();
        foreach (int fold in table.TestFolds)
        {
            var ml = new MLContext(seed: 1);
            var definition = SchemaDefinition.Create(typeof(TableRow));
            definition[nameof(TableRow.Numbers)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Math.Max(1, table.Rows[0].Numbers.Length));
            definition[nameof(TableRow.Categories)].ColumnType = new VectorDataViewType(TextDataViewType.Instance, table.Rows[0].Categories.Length);
            var train = ml.Data.LoadFromEnumerable(table.Rows.Where(r => r.Fold != fold), definition);
            var test = ml.Data.LoadFromEnumerable(table.Rows.Where(r => r.Fold == fold), definition);
            var pipeline = Featurize(ml, table).Append(trainer(ml));
            var clock = Stopwatch.StartNew();
            var model = pipeline.Fit(train);
            seconds.Add(clock.Elapsed.TotalSeconds);
            var scored = model.Transform(test);
            scores.Add(table.Task switch
            {
                TableTask.Binary => ml.BinaryClassification.EvaluateNonCalibrated(scored).AreaUnderRocCurve,
                TableTask.Multiclass => ml.MulticlassClassification.Evaluate(scored).MicroAccuracy,
                _ => ml.Regression.Evaluate(scored).RSquared,
            });
        }
        return (scores.Average(), seconds.Average());
    }

    /// <summary>What an ML.NET user writes before a trainer: the label made a key, a flag or a number; features replaced, scaled, one-hot encoded and concatenated.</summary>
    private static IEstimator<ITransformer> Featurize(MLContext ml, BenchmarkTable table)
    {
        IEstimator<ITransformer> label = table.Task switch
        {
            TableTask.Multiclass => ml.Transforms.Conversion.MapValueToKey("Label", nameof(TableRow.LabelText)),
            TableTask.Binary => ml.Transforms.CopyColumns("Label", nameof(TableRow.LabelFlag)),
            _ => ml.Transforms.CopyColumns("Label", nameof(TableRow.LabelValue)),
        };
        return AppendFeatures(ml, label.AppendCacheCheckpoint(ml), table.NumericColumns.Length > 0, table.CategoricalColumns.Length > 0, table.HasText);
    }

    /// <summary>
    /// The features after <paramref name="pipeline"/>: Numbers' missing values replaced by the mean and scaled, Categories
    /// one-hot encoded, Text featurized, concatenated as "Features" (the multi-output benchmark featurizes the same way).
    /// </summary>
    internal static IEstimator<ITransformer> AppendFeatures(MLContext ml, IEstimator<ITransformer> pipeline, bool numbers, bool categories, bool text)
    {
        var parts = new List<string>();
        if (numbers)
        {
            pipeline = pipeline
                .Append(ml.Transforms.ReplaceMissingValues("NumbersFilled", nameof(TableRow.Numbers), MissingValueReplacingEstimator.ReplacementMode.Mean))
                .Append(ml.Transforms.NormalizeMeanVariance("NumbersScaled", "NumbersFilled"));
            parts.Add("NumbersScaled");
        }
        if (categories)
        {
            pipeline = pipeline.Append(ml.Transforms.Categorical.OneHotEncoding("CategoriesOneHot", nameof(TableRow.Categories)));
            parts.Add("CategoriesOneHot");
        }
        if (text)
        {
            pipeline = pipeline.Append(ml.Transforms.Text.FeaturizeText("TextFeatures", nameof(TableRow.Text)));
            parts.Add("TextFeatures");
        }
        return pipeline.Append(ml.Transforms.Concatenate("Features", [.. parts])).AppendCacheCheckpoint(ml);
    }

    private static IEstimator<ITransformer> Backprop(MLContext ml, TableTask task, BackpropTrainer.Options options) => task switch
    {
        TableTask.Binary => ml.BinaryClassification.Trainers.Backprop(options),
        TableTask.Multiclass => ml.MulticlassClassification.Trainers.Backprop(options),
        _ => ml.Regression.Trainers.Backprop(options),
    };

    /// <summary>ML.NET's linear trainers for the task, at their defaults; the table reports each, and the note the better.</summary>
    private static IEnumerable<(string Name, Func<MLContext, IEstimator<ITransformer>> Make)> Linear(TableTask task) => task switch
    {
        TableTask.Binary =>
        [
            ("LbfgsLogisticRegression", ml => ml.BinaryClassification.Trainers.LbfgsLogisticRegression()),
            ("SdcaLogisticRegression", ml => ml.BinaryClassification.Trainers.SdcaLogisticRegression()),
        ],
        TableTask.Multiclass =>
        [
            ("LbfgsMaximumEntropy", ml => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy()),
            ("SdcaMaximumEntropy", ml => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy()),
        ],
        _ =>
        [
            ("Sdca (regression)", ml => ml.Regression.Trainers.Sdca()),
            ("OnlineGradientDescent", ml => ml.Regression.Trainers.OnlineGradientDescent()),
        ],
    };

    private static IEstimator<ITransformer> FastTree(MLContext ml, TableTask task) => task switch
    {
        TableTask.Binary => ml.BinaryClassification.Trainers.FastTree(),
        TableTask.Multiclass => ml.MulticlassClassification.Trainers.OneVersusAll(ml.BinaryClassification.Trainers.FastTree()),
        _ => ml.Regression.Trainers.FastTree(),
    };

    private static IEstimator<ITransformer> Tree(MLContext ml, TableTask task) => task switch
    {
        TableTask.Binary => ml.BinaryClassification.Trainers.LightGbm(),
        TableTask.Multiclass => ml.MulticlassClassification.Trainers.LightGbm(),
        _ => ml.Regression.Trainers.LightGbm(),
    };

    /// <summary>
    /// scikit-learn's MLPClassifier or MLPRegressor at its defaults on the same rows and folds, and, for comparison, its
    /// LogisticRegression or Ridge; nothing when Debian's python3 with scikit-learn is not installed.
    /// </summary>
    private static IEnumerable<(string Trainer, double Score, double Seconds)> ScikitLearn(BenchmarkTable table)
    {
        const string python = "/usr/bin/python3";
        string script = Path.Combine(AppContext.BaseDirectory, "Defaults", "sklearn_defaults.py");
        if (!File.Exists(python))
        {
            Console.WriteLine("   (scikit-learn skipped: apt-get install python3-sklearn)");
            return [];
        }
        string data = Path.GetTempFileName();
        try
        {
            table.WriteForScript(data);
            var start = new ProcessStartInfo(python, [script, data, table.Task.ToString().ToLowerInvariant(), table.OwnSplit ? "split" : "folds"])
            {
                RedirectStandardOutput = true,
            };
            using var process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                Console.WriteLine($"   (scikit-learn failed with exit code {process.ExitCode})");
                return [];
            }
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => JsonDocument.Parse(line).RootElement)
                .Select(e => ("scikit-learn " + e.GetProperty("trainer").GetString(), e.GetProperty("score").GetDouble(), e.GetProperty("seconds").GetDouble()))
                .ToList();
        }
        finally
        {
            File.Delete(data);
        }
    }
}
