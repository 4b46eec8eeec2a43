using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetBackprop.Benchmarks.Defaults;

namespace MlNetBackprop.Benchmarks;

/// <summary>
/// One joint Backprop model (multi-output regression or multi-label classification) against one Backprop model per
/// target on the multi-target tables of <c>tables.json</c>: the same five folds as the defaults benchmark (row i tested
/// in fold i mod 5), the same featurization, Backprop at its defaults with a fixed seed. Reports mean R² (regression) or
/// mean per-label AUC (multi-label), and Fit time: the joint Fit against the sum of the per-target Fits. Then what
/// scoring one row costs with the joint model and with a one-target model of the same hidden layers.
/// <code>
///   dotnet run -c Release --project tests/MlNetBackprop.Benchmarks -- multi-output [table ...] [--seeds n] [--folds n] [--no-scoring] [--results file.jsonl]
/// </code>
/// </summary>
internal static class MultiOutputBenchmark
{
    private const int Seed = 1;

    private sealed record FoldResult(int Fold, double[] Joint, double[] Separate, double JointSeconds, double[] SeparateSeconds);

    public static int Run(string[] args)
    {
        var valued = new HashSet<string> { "--results", "--folds", "--seeds" };
        var names = args.Skip(1).Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && !valued.Contains(args[i])).ToList();
        string? resultsFile = Option(args, "--results");
        // Fewer folds (the first n of the five) for a quick look; the folds are still row i in fold i mod 5.
        int folds = Option(args, "--folds") is { } f ? int.Parse(f) : BenchmarkTable.Folds;
        // Differences between the two sides are of the size of a seed's: --seeds n repeats every fold with seeds 1..n.
        int seeds = Option(args, "--seeds") is { } n ? int.Parse(n) : 1;
        var tables = BenchmarkTables.MultiTarget.Where(t => names.Count == 0 || names.Contains(t.Name)).ToList();
        if (tables.Count == 0)
        {
            Console.Error.WriteLine($"No such table; the multi-target tables are {string.Join(", ", BenchmarkTables.MultiTarget.Select(t => t.Name))}.");
            return 1;
        }
        Console.WriteLine($"Backprop defaults, seeds 1..{seeds}, {Environment.ProcessorCount} cores; {folds} of {BenchmarkTable.Folds} folds; Fit times of the trainer alone on cached featurized rows.");
        // The first Fit of each trainer pays for JIT compilation: one unrecorded fold of a small table of each kind first.
        foreach (var warm in new[] { "tecator_meats", "pbc_signs" })
            if (BenchmarkTables.MultiTarget.FirstOrDefault(t => t.Name == warm).Load is { } loadWarm)
                RunFold(loadWarm(), 0, Seed);
        var summary = new List<(MultiTargetTable Table, List<FoldResult> Folds)>();
        foreach (var (name, load) in tables)
        {
            var table = load();
            string metric = table.MultiLabel ? "AUC" : "R²";
            Console.WriteLine($"== {name}: {table.Rows.Count} rows, {(table.MultiLabel ? "multi-label" : "multi-output")}, targets {string.Join(", ", table.Targets)}; {metric}");
            var results = new List<FoldResult>();
            for (int seed = Seed; seed < Seed + seeds; seed++)
            for (int fold = 0; fold < folds; fold++)
            {
                var r = RunFold(table, fold, seed);
                results.Add(r);
                Console.WriteLine($"   seed {seed} fold {fold} ({((fold + seed) % 2 == 1 ? "joint first" : "per-target first")}): {metric} joint {r.Joint.Average():F4} [{Slots(r.Joint)}]"
                    + $"  per-target {r.Separate.Average():F4} [{Slots(r.Separate)}]   Fit joint {r.JointSeconds:F2} s, per-target {r.SeparateSeconds.Sum():F2} s [{string.Join(", ", r.SeparateSeconds.Select(s => s.ToString("F2")))}]");
                Append(resultsFile, new
                {
                    kind = "fold", table = name, task = table.MultiLabel ? "multi-label" : "multi-output", metric, fold, seed, targets = table.Targets,
                    joint = r.Joint, separate = r.Separate, jointMean = r.Joint.Average(), separateMean = r.Separate.Average(),
                    jointSeconds = r.JointSeconds, separateSeconds = r.SeparateSeconds, separateSecondsTotal = r.SeparateSeconds.Sum(),
                });
            }
            summary.Add((table, results));
            var mean = Mean(results);
            Console.WriteLine($"   mean per target ({string.Join(", ", table.Targets)}): joint [{Slots(mean.Joint)}], per-target [{Slots(mean.Separate)}]");
            Append(resultsFile, new
            {
                kind = "table", table = name, task = table.MultiLabel ? "multi-label" : "multi-output", metric, folds, seeds, rows = table.Rows.Count, targets = table.Targets,
                joint = mean.Joint, separate = mean.Separate, jointMean = mean.Joint.Average(), separateMean = mean.Separate.Average(),
                jointSeconds = mean.JointSeconds, separateSeconds = mean.SeparateSeconds, ratio = mean.SeparateSeconds / mean.JointSeconds,
            });
        }

        Console.WriteLine();
        Console.WriteLine($"Means over the folds and seeds (1..{seeds}); Fit s per fold; ratio = per-target Fit / joint Fit.");
        Console.WriteLine("| table | task | rows | targets | metric | joint | per-target | difference | joint Fit s | per-target Fit s | ratio |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var (table, results) in summary)
        {
            var mean = Mean(results);
            double joint = mean.Joint.Average(), separate = mean.Separate.Average();
            Console.WriteLine($"| {table.Name} | {(table.MultiLabel ? "multi-label" : "multi-output")} | {table.Rows.Count} | {table.Targets.Length} | {(table.MultiLabel ? "mean AUC" : "mean R²")} "
                + $"| {joint:F4} | {separate:F4} | {joint - separate:+0.0000;-0.0000} | {mean.JointSeconds:F2} | {mean.SeparateSeconds:F2} | {mean.SeparateSeconds / mean.JointSeconds:F2} |");
        }

        if (!args.Contains("--no-scoring"))
            Scoring(resultsFile);
        return 0;
    }

    private static (double[] Joint, double[] Separate, double JointSeconds, double SeparateSeconds) Mean(List<FoldResult> results) =>
        (Enumerable.Range(0, results[0].Joint.Length).Select(j => results.Average(r => r.Joint[j])).ToArray(),
         Enumerable.Range(0, results[0].Separate.Length).Select(j => results.Average(r => r.Separate[j])).ToArray(),
         results.Average(r => r.JointSeconds), results.Average(r => r.SeparateSeconds.Sum()));

    private static string Slots(double[] values) => string.Join(", ", values.Select(v => v.ToString("F4")));

    /// <summary>
    /// One fold: the featurization fitted on the training rows, both sides' rows cached and read once before any Fit, then
    /// the joint trainer and each per-target trainer fitted on the same cached view (which goes first alternates).
    /// </summary>
    private static FoldResult RunFold(MultiTargetTable table, int fold, int seed)
    {
        var ml = new MLContext(seed: seed);
        var definition = table.Schema();
        var train = ml.Data.LoadFromEnumerable(table.Rows.Where(r => r.Fold != fold), definition);
        var test = ml.Data.LoadFromEnumerable(table.Rows.Where(r => r.Fold == fold), definition);
        var featurizer = Featurizer(ml, table).Fit(train);
        var trainReady = Materialize(ml, featurizer.Transform(train));
        var testReady = Materialize(ml, featurizer.Transform(test));

        int k = table.Targets.Length;
        double[] joint = [], separate = new double[k], separateSeconds = new double[k];
        double jointSeconds = 0;
        void Joint()
        {
            var trainer = table.MultiLabel
                ? ml.BinaryClassification.Trainers.BackpropMultiLabel(new BackpropTrainer.Options { Seed = seed })
                : ml.Regression.Trainers.BackpropMultiOutput(new BackpropTrainer.Options { Seed = seed });
            var clock = Stopwatch.StartNew();
            var model = trainer.Fit(trainReady);
            jointSeconds = clock.Elapsed.TotalSeconds;
            var scored = model.Transform(testReady);
            joint = table.MultiLabel
                ? ml.BinaryClassification.EvaluateMultiLabel(scored).PerLabel.Select(m => m.AreaUnderRocCurve).ToArray()
                : ml.Regression.EvaluateMultiOutput(scored).PerTarget.Select(m => m.RSquared).ToArray();
        }
        void PerTarget()
        {
            for (int j = 0; j < k; j++)
            {
                string target = table.Targets[j];
                var options = new BackpropTrainer.Options { LabelColumnName = target, Seed = seed };
                // The joint model leaves a missing target out of the cost; one target's model leaves out its rows.
                var rows = table.HasMissingTargets ? ml.Data.FilterRowsByMissingValues(trainReady, target) : trainReady;
                var tested = table.HasMissingTargets ? ml.Data.FilterRowsByMissingValues(testReady, target) : testReady;
                if (table.MultiLabel)
                {
                    var trainer = ml.BinaryClassification.Trainers.Backprop(options);
                    var clock = Stopwatch.StartNew();
                    var model = trainer.Fit(rows);
                    separateSeconds[j] = clock.Elapsed.TotalSeconds;
                    separate[j] = ml.BinaryClassification.EvaluateNonCalibrated(model.Transform(tested), labelColumnName: target).AreaUnderRocCurve;
                }
                else
                {
                    var trainer = ml.Regression.Trainers.Backprop(options);
                    var clock = Stopwatch.StartNew();
                    var model = trainer.Fit(rows);
                    separateSeconds[j] = clock.Elapsed.TotalSeconds;
                    separate[j] = ml.Regression.Evaluate(model.Transform(tested), labelColumnName: target).RSquared;
                }
            }
        }
        // The machine is shared and noisy: alternate which side runs first.
        if ((fold + seed) % 2 == 1) { Joint(); PerTarget(); }
        else { PerTarget(); Joint(); }
        return new FoldResult(fold, joint, separate, jointSeconds, separateSeconds);
    }

    /// <summary>The defaults benchmark's featurization, after the joint label (the targets concatenated, slots named after them).</summary>
    private static IEstimator<ITransformer> Featurizer(MLContext ml, MultiTargetTable table) =>
        DefaultsBenchmark.AppendFeatures(ml, ml.Transforms.Concatenate("Label", table.Targets),
            table.NumericColumns.Length > 0, table.CategoricalColumns.Length > 0, false);

    /// <summary>The features and targets, cached and read through once, so that no Fit pays for featurizing or filling the cache.</summary>
    private static IDataView Materialize(MLContext ml, IDataView view)
    {
        var kept = view.Schema.Where(c => !c.IsHidden && c.Name is not (nameof(MultiTargetRow.Numbers) or nameof(MultiTargetRow.Categories))
            && !c.Name.StartsWith("Numbers", StringComparison.Ordinal) && !c.Name.StartsWith("Categories", StringComparison.Ordinal)).Select(c => c.Name).ToArray();
        var cached = ml.Data.Cache(ml.Transforms.SelectColumns(kept).Fit(view).Transform(view));
        using var cursor = cached.GetRowCursor(cached.Schema);
        while (cursor.MoveNext()) { }
        return cached;
    }

    /// <summary>The joint model's Score: one value per target.</summary>
    private sealed class JointScore
    {
        public float[] Score { get; set; } = [];
    }

    /// <summary>A one-target model's Score.</summary>
    private sealed class SingleScore
    {
        public float Score { get; set; }
    }

    /// <summary>
    /// What scoring one row costs: tecator_meats' joint model (3 targets) and a water-only model, both with one hidden layer
    /// of 100 and no piecewise-linear encoding, fitted on every row behind the same featurization; a PredictionEngine each,
    /// a second of warm-up, then 5 rounds of 2,000 Predict calls on the table's rows (alternating which goes first), median.
    /// </summary>
    private static void Scoring(string? resultsFile)
    {
        const string name = "tecator_meats";
        const int Rounds = 5, Calls = 2000;
        var table = BenchmarkTables.MultiTarget.First(t => t.Name == name).Load();
        var ml = new MLContext(seed: Seed);
        var definition = table.Schema();
        var data = ml.Data.LoadFromEnumerable(table.Rows, definition);
        var featurizer = Featurizer(ml, table).Fit(data);
        var ready = Materialize(ml, featurizer.Transform(data));
        BackpropTrainer.Options Options(string label) => new() { LabelColumnName = label, Seed = Seed, HiddenLayerSizes = [100], PiecewiseLinearBins = 0 };
        ITransformer joint = featurizer.Append(ml.Regression.Trainers.BackpropMultiOutput(Options("Label")).Fit(ready));
        ITransformer single = featurizer.Append(ml.Regression.Trainers.Backprop(Options(table.Targets[0])).Fit(ready));
        var jointEngine = ml.Model.CreatePredictionEngine<MultiTargetRow, JointScore>(joint, inputSchemaDefinition: definition);
        var singleEngine = ml.Model.CreatePredictionEngine<MultiTargetRow, SingleScore>(single, inputSchemaDefinition: definition);
        var rows = table.Rows;
        float sink = 0;
        double Round(Action<MultiTargetRow> predict)
        {
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < Calls; i++) predict(rows[i % rows.Count]);
            return clock.Elapsed.TotalMilliseconds * 1000 / Calls;
        }
        void Joint(MultiTargetRow row) => sink += jointEngine.Predict(row).Score[0];
        void Single(MultiTargetRow row) => sink += singleEngine.Predict(row).Score;
        foreach (var predict in new Action<MultiTargetRow>[] { Joint, Single })
            for (var warm = Stopwatch.StartNew(); warm.Elapsed.TotalSeconds < 1;) Round(predict);
        var jointTimes = new List<double>();
        var singleTimes = new List<double>();
        for (int round = 0; round < Rounds; round++)
        {
            if (round % 2 == 0) { jointTimes.Add(Round(Joint)); singleTimes.Add(Round(Single)); }
            else { singleTimes.Add(Round(Single)); jointTimes.Add(Round(Joint)); }
        }
        double Median(List<double> v) => v.Order().ElementAt(v.Count / 2);
        double jointMedian = Median(jointTimes), singleMedian = Median(singleTimes);
        Console.WriteLine();
        Console.WriteLine($"Scoring {name} (featurization + network, hidden [100], PredictionEngine.Predict, median of {Rounds} rounds of {Calls} rows after 1 s warm-up each):");
        Console.WriteLine($"   joint ({table.Targets.Length} targets): {jointMedian:F2} µs/row   rounds [{string.Join(", ", jointTimes.Select(t => t.ToString("F2")))}]");
        Console.WriteLine($"   one target ({table.Targets[0]}):  {singleMedian:F2} µs/row   rounds [{string.Join(", ", singleTimes.Select(t => t.ToString("F2")))}]");
        Console.WriteLine($"   joint / one target = {jointMedian / singleMedian:F2}; {table.Targets.Length} one-target engines would take {table.Targets.Length * singleMedian:F2} µs/row ({table.Targets.Length * singleMedian / jointMedian:F2}x the joint)  (checksum {sink:F0})");
        Append(resultsFile, new
        {
            kind = "scoring", table = name, targets = table.Targets.Length, jointMicroseconds = jointMedian, singleMicroseconds = singleMedian,
            ratio = jointMedian / singleMedian, jointRounds = jointTimes, singleRounds = singleTimes,
        });
    }

    private static void Append(string? file, object line)
    {
        if (file is not null) File.AppendAllText(file, JsonSerializer.Serialize(line) + "\n");
    }

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
