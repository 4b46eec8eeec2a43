using System.Diagnostics;
using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetBackprop.Benchmarks;

/// <summary>
/// Scoring as users serve a model: the README's pipeline (MapValueToKey of the label, the trainer at its defaults,
/// MapKeyToValue of PredictedLabel) on 784 MNIST pixels, for multiclass (the digit), binary (digit ≥ 5) and regression
/// (the digit's value), in memory and after <c>Model.Save</c> and <c>Model.Load</c>:
/// <list type="bullet">
/// <item><c>PredictionEngine.Predict</c> reading <c>Score</c> and <c>PredictedLabel</c> (the text class for multiclass);</item>
/// <item><c>Transform</c> and a cursor over the same columns;</item>
/// <item>the bare forward pass of the same network, one row at a time;</item>
/// <item>loaded engines from an <c>ObjectPool</c> (as ASP.NET Core's PredictionEnginePool does) on 8 threads: throughput and p99.</item>
/// </list>
/// Medians of 5 rounds of 2,000 rows after a second of warm-up rounds, one process (with <c>cold</c>, after a single
/// warm-up round, as a server's first seconds are):
///   dotnet run -c Release --project tests/MlNetBackprop.Benchmarks -- serving [parts] [cold]
/// </summary>
internal static class ServingBenchmark
{
    private const int Rounds = 5, RowsPerRound = 2_000;

    /// <summary>Whether the paths are timed after a single warm-up round instead of a second of them.</summary>
    private static bool s_cold;

    /// <param name="parts">Also time the bare pass without the standardization layer, and FeedForward without the predictor around it.</param>
    /// <param name="cold">Time each path after a single warm-up round, before the JIT has installed its optimised code.</param>
    public static int Run(bool parts, bool cold = false)
    {
        s_cold = cold;
        var ml = new MLContext(seed: 1);
        // The labels each task reads, made beside the pixels as a user's data would hold them (the digit as text, whether
        // it is 5 or more, its value): outside the saved pipeline, which starts from them.
        var labels = ml.Transforms.CustomMapping<DigitKey, Labels>((i, o) =>
            (o.DigitText, o.IsHigh, o.Value) = ((i.Label - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), i.Label - 1 >= 5, i.Label - 1), null);
        var train = ml.Data.Cache(labels.Fit(MnistData.Train(10_000)).Transform(MnistData.Train(10_000)));
        var test = ml.Data.Cache(labels.Fit(train).Transform(ml.Data.TakeRows(MnistData.Test(), RowsPerRound)));
        Console.WriteLine("task | path | µs per row (median of 5 × 2,000 rows) | ratio to the bare forward pass");
        Console.WriteLine("---|---|---|---");
        foreach (var task in new[] { "multiclass", "binary", "regression" })
        {
            var model = Fit(ml, task, train);
            string path = Path.Combine(Path.GetTempPath(), $"serving-{Guid.NewGuid():N}.zip");
            ml.Model.Save(model, train.Schema, path);
            var loaded = ml.Model.Load(path, out _);
            File.Delete(path);
            var rows = ml.Data.CreateEnumerable<Digit>(test, reuseRowObject: false).ToArray();
            var trained = BackpropTransformer.FromModel(model);
            var network = new Network.Predictor(trained.Model.Network, trained.Model.Standardization);

            double bare = Median(() =>
            {
                float sum = 0;
                foreach (var row in rows)
                {
                    network.Forward(row.Features, out _, out var a);
                    sum += a[0];
                }
                return sum;
            });
            Report(task, "bare forward pass", bare, bare);
            if (parts)
            {
                var plain = new Network.Predictor(new Network.FeedForwardNetwork<float>(Network.NetworkLayout.FullyConnected([784, 100, trained.Model.LayerSizes[^1]],
                    [Network.Activations.ActivationKind.Relu, trained.Model.Network.Layout.Output], Network.Costs.CostKind.Quadratic)), trained.Model.Standardization);
                Report(task, "bare forward pass, no standardization layer", Median(() => { float sum = 0; foreach (var row in rows) { plain.Forward(row.Features, out _, out var a); sum += a[0]; } return sum; }), bare);
                var workspace = new Network.Workspace<float>();
                var net = trained.Model.Network;
                Report(task, "FeedForward alone", Median(() => { float sum = 0; foreach (var row in rows) { net.FeedForward(row.Features, 1, workspace); sum += workspace.Output(1)[0]; } return sum; }), bare);
                if (task == "multiclass")
                {
                    var scoreOnly = ml.Model.CreatePredictionEngine<Digit, ScoreOnly>(loaded);
                    Report(task, "PredictionEngine.Predict, loaded, Score only", Median(() => { float s = 0; foreach (var r in rows) s += scoreOnly.Predict(r).Score[0]; return s; }), bare);
                    var alone = ml.Model.CreatePredictionEngine<Digit, ScoreOnly>(trained);
                    Report(task, "PredictionEngine.Predict, the network's transformer alone, Score only", Median(() => { float s = 0; foreach (var r in rows) s += alone.Predict(r).Score[0]; return s; }), bare);
                }
            }
            foreach (var (name, scored) in new[] { ("in memory", model), ("loaded", loaded) })
            {
                Report(task, $"PredictionEngine.Predict, {name}", Predict(ml, task, scored, rows), bare);
                Report(task, $"Transform + cursor, {name}", Median(() => Cursor(scored.Transform(test), task)), bare);
            }
            switch (task)
            {
                case "multiclass": Pooled<ClassPrediction>(ml, task, loaded, rows, p => p.Score[0] + p.PredictedLabel.Length); break;
                case "binary": Pooled<BinaryPrediction>(ml, task, loaded, rows, p => p.Score); break;
                default: Pooled<RegressionPrediction>(ml, task, loaded, rows, p => p.Score); break;
            }
        }
        return 0;
    }

    private static ITransformer Fit(MLContext ml, string task, IDataView train)
    {
        var options = new BackpropTrainer.Options { Epochs = 2, NumberOfThreads = 1 };
        IEstimator<ITransformer> pipeline = task switch
        {
            "multiclass" => ml.Transforms.Conversion.MapValueToKey("Label", nameof(Labels.DigitText))
                .Append(ml.MulticlassClassification.Trainers.Backprop(options))
                .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel")),
            "binary" => ml.BinaryClassification.Trainers.Backprop(new BackpropTrainer.Options { Epochs = 2, NumberOfThreads = 1, LabelColumnName = nameof(Labels.IsHigh) }),
            _ => ml.Regression.Trainers.Backprop(new BackpropTrainer.Options { Epochs = 2, NumberOfThreads = 1, LabelColumnName = nameof(Labels.Value) }),
        };
        return pipeline.Fit(train);
    }

    private static double Predict(MLContext ml, string task, ITransformer model, Digit[] rows)
    {
        switch (task)
        {
            case "multiclass":
                var classes = ml.Model.CreatePredictionEngine<Digit, ClassPrediction>(model);
                return Median(() => { float s = 0; foreach (var r in rows) { var p = classes.Predict(r); s += p.Score[0] + p.PredictedLabel.Length; } return s; });
            case "binary":
                var binary = ml.Model.CreatePredictionEngine<Digit, BinaryPrediction>(model);
                return Median(() => { float s = 0; foreach (var r in rows) { var p = binary.Predict(r); s += p.Score + (p.PredictedLabel ? 1 : 0); } return s; });
            default:
                var regression = ml.Model.CreatePredictionEngine<Digit, RegressionPrediction>(model);
                return Median(() => { float s = 0; foreach (var r in rows) s += regression.Predict(r).Score; return s; });
        }
    }

    private static float Cursor(IDataView scored, string task)
    {
        var score = scored.Schema["Score"];
        var label = task == "regression" ? score : scored.Schema["PredictedLabel"];
        using var cursor = scored.GetRowCursor(task == "regression" ? [score] : [score, label]);
        float sum = 0;
        if (task == "multiclass")
        {
            var getScore = cursor.GetGetter<VBuffer<float>>(score);
            var getLabel = cursor.GetGetter<ReadOnlyMemory<char>>(label);
            VBuffer<float> s = default;
            ReadOnlyMemory<char> l = default;
            while (cursor.MoveNext()) { getScore(ref s); getLabel(ref l); sum += s.GetValues()[0] + l.Length; }
        }
        else
        {
            var getScore = cursor.GetGetter<float>(score);
            var getLabel = task == "binary" ? cursor.GetGetter<bool>(label) : null;
            float s = 0;
            bool l = false;
            while (cursor.MoveNext()) { getScore(ref s); getLabel?.Invoke(ref l); sum += s + (l ? 1 : 0); }
        }
        return sum;
    }

    /// <summary>Loaded engines from a pool on 8 threads, 2,000 rows each per round: rows a second and the 99th percentile of one Predict.</summary>
    private static void Pooled<TOut>(MLContext ml, string task, ITransformer loaded, Digit[] rows, Func<TOut, float> read) where TOut : class, new()
    {
        var pool = new DefaultObjectPool<PredictionEngine<Digit, TOut>>(new EnginePolicy<TOut>(ml, loaded), 8);
        var throughputs = new List<double>();
        var latencies = new List<double>();
        for (int round = -3; round < Rounds; round++) // three warm-up rounds
        {
            var perThread = new double[8][];
            var clock = Stopwatch.StartNew();
            Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, t =>
            {
                var times = perThread[t] = new double[rows.Length];
                for (int i = 0; i < rows.Length; i++)
                {
                    long start = Stopwatch.GetTimestamp();
                    var engine = pool.Get();
                    try { _ = read(engine.Predict(rows[i])); }
                    finally { pool.Return(engine); }
                    times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                }
            });
            if (round < 0) continue;
            throughputs.Add(8.0 * rows.Length / clock.Elapsed.TotalSeconds);
            latencies.AddRange(perThread.SelectMany(t => t));
        }
        latencies.Sort();
        Console.WriteLine($"{task} | pooled loaded engines, 8 threads | {throughputs.Order().ElementAt(Rounds / 2):N0} rows/s; p99 {latencies[(int)(latencies.Count * 0.99)]:F1} µs | –");
    }

    private sealed class EnginePolicy<TOut>(MLContext ml, ITransformer model) : PooledObjectPolicy<PredictionEngine<Digit, TOut>> where TOut : class, new()
    {
        public override PredictionEngine<Digit, TOut> Create() => ml.Model.CreatePredictionEngine<Digit, TOut>(model);

        public override bool Return(PredictionEngine<Digit, TOut> engine) => true;
    }

    private static double Median(Func<float> round)
    {
        // Warm, as a server is: rounds for a second first, so that the JIT's tiered compilation has installed its
        // optimised code (a round of 2,000 rows takes about 15 ms, less than the JIT's promotion delay).
        // Cold: one round, as the first requests a server answers meet the code.
        if (s_cold) round();
        else for (var warm = Stopwatch.StartNew(); warm.Elapsed.TotalSeconds < 1;) round();
        var times = new double[Rounds];
        for (int i = 0; i < Rounds; i++)
        {
            long start = Stopwatch.GetTimestamp();
            GC.KeepAlive(round());
            times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds / RowsPerRound;
        }
        Array.Sort(times);
        return times[Rounds / 2];
    }

    private static void Report(string task, string path, double microseconds, double bare)
        => Console.WriteLine($"{task} | {path} | {microseconds:F2} | {microseconds / bare:F2}");

    /// <summary>A row as the user's input class holds it: the pixels, and the label the pipeline's first step reads.</summary>
    public sealed class Digit
    {
        [VectorType(784)] public float[] Features = [];
        public string DigitText = "";
    }

    public sealed class DigitKey { [KeyType(10)] public uint Label { get; set; } }

    public sealed class Labels
    {
        public string DigitText = "";
        public bool IsHigh;
        public float Value;
    }

    public sealed class ClassPrediction
    {
        public float[] Score = [];
        public string PredictedLabel = "";
    }

    public sealed class ScoreOnly
    {
        public float[] Score = [];
    }

    public sealed class BinaryPrediction
    {
        public float Score { get; set; }
        public bool PredictedLabel { get; set; }
    }

    public sealed class RegressionPrediction
    {
        public float Score { get; set; }
    }
}
