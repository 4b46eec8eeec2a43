using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetBackprop.Benchmarks;

/// <summary>
/// Trains on an on-disk dataset several times larger than the memory budget and reports the epoch time and the
/// process's peak memory. Run it once per mode, each in its own process, so that the peaks do not mix:
///   dotnet run -c Release --project tests/MlNetBackprop.Benchmarks -- streaming-demo --mode stream --budget 64
///   dotnet run -c Release --project tests/MlNetBackprop.Benchmarks -- streaming-demo --mode memory
///   dotnet run -c Release --project tests/MlNetBackprop.Benchmarks -- streaming-demo --mode read   (the reader alone)
/// Run each under a .NET heap limit (DOTNET_GCHeapHardLimit) to find the least memory each mode needs.
/// The data (100,000 rows of 784 features and a class, as CSV) is generated once into
/// the temporary directory; its label is the best of ten fixed random linear scores, so a network can learn it.
/// </summary>
internal static class StreamingDemo
{
    public static int Run(string[] args)
    {
        string mode = Argument(args, "--mode") ?? "stream";
        int budget = int.Parse(Argument(args, "--budget") ?? "64", System.Globalization.CultureInfo.InvariantCulture);
        int rows = int.Parse(Argument(args, "--rows") ?? "100000", System.Globalization.CultureInfo.InvariantCulture);
        var ml = new MLContext(seed: 1);
        // Text rather than ML.NET's binary format: the binary loader decompresses many blocks ahead on its own threads,
        // which by itself takes several times the budget; the text loader streams with small buffers.
        string path = Path.Combine(Path.GetTempPath(), $"mlnetbackprop-streaming-{rows}.csv");
        if (!File.Exists(path))
        {
            using (var writer = new StreamWriter(path + ".partial"))
                foreach (var row in Generate(rows))
                    writer.WriteLine(string.Join(",", row.Features.Select(f => f.ToString("G6", System.Globalization.CultureInfo.InvariantCulture))) + "," + row.Class);
            File.Move(path + ".partial", path);
        }
        var raw = ml.Data.LoadFromTextFile(path, [new TextLoader.Column("Features", DataKind.Single, 0, 783), new TextLoader.Column(nameof(Row.Class), DataKind.Single, 784)],
            separatorChar: ',');
        var data = ml.Transforms.Conversion.MapValueToKey("Label", nameof(Row.Class)).Fit(raw).Transform(raw);
        if (mode == "read")
            return ReadOnly(data, path, rows);
        var options = new BackpropTrainer.Options
        {
            // The settings the comparison trains (the book's network), not the trainer's defaults.
            Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false,
            HiddenLayerSizes = [100], BatchSize = 128, Epochs = 2, LearningRate = 0.5, NumberOfThreads = 1,
            MemoryBudgetMegabytes = mode == "stream" ? budget : 1 << 20,
        };
        var clock = Stopwatch.StartNew();
        var model = new BackpropTrainer(ml, options).Fit(data);
        double[] epochSeconds = model.History.Select((h, i) => (h.Elapsed - (i == 0 ? TimeSpan.Zero : model.History[i - 1].Elapsed)).TotalSeconds).ToArray();
        using var process = Process.GetCurrentProcess();
        long parameters = Enumerable.Range(0, model.Model.LayerCount).Sum(l => (long)model.Model.GetWeights(l).Length + model.Model.GetBiases(l).Length);
        Console.WriteLine($"mode {mode}: {rows:N0} rows ({new FileInfo(path).Length / 1e6:F0} MB on disk, {rows * 784L * 4 / 1e6:F0} MB as floats), " +
            $"budget {options.MemoryBudgetMegabytes} MB; epoch seconds {string.Join(", ", epochSeconds.Select(s => s.ToString("F2")))}; " +
            $"whole Fit {clock.Elapsed.TotalSeconds:F1} s; training accuracy of the last epoch {model.History[^1].Accuracy:P1}; " +
            $"peak working set {process.PeakWorkingSet64 / 1e6:F0} MB; model {parameters * 4 / 1e6:F2} MB");
        return 0;
    }

    /// <summary>
    /// The baseline: what ML.NET's reader alone needs to cursor the same file (three passes, as a streamed Fit of two
    /// epochs makes: one scan, then one per epoch). Training's memory is what it needs beyond this.
    /// </summary>
    private static int ReadOnly(IDataView data, string path, int rows)
    {
        var clock = Stopwatch.StartNew();
        double sum = 0;
        for (int pass = 0; pass < 3; pass++)
        {
            using var cursor = data.GetRowCursor(data.Schema);
            var features = cursor.GetGetter<VBuffer<float>>(data.Schema["Features"]);
            var value = default(VBuffer<float>);
            while (cursor.MoveNext())
            {
                features(ref value);
                sum += value.GetValues()[0];
            }
        }
        using var process = Process.GetCurrentProcess();
        Console.WriteLine($"mode read: {rows:N0} rows ({new FileInfo(path).Length / 1e6:F0} MB on disk) cursored 3 times in {clock.Elapsed.TotalSeconds:F1} s " +
            $"(checksum {sum:F0}); peak working set {process.PeakWorkingSet64 / 1e6:F0} MB");
        return 0;
    }

    private static string? Argument(string[] args, string name)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    private static IEnumerable<Row> Generate(int rows)
    {
        var random = new Random(7);
        var directions = Enumerable.Range(0, 10).Select(_ => Enumerable.Range(0, 784).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray()).ToArray();
        for (int i = 0; i < rows; i++)
        {
            var features = new float[784];
            for (int j = 0; j < features.Length; j++) features[j] = (float)random.NextDouble();
            int best = 0;
            float bestScore = float.MinValue;
            for (int c = 0; c < 10; c++)
            {
                float score = System.Numerics.Tensors.TensorPrimitives.Dot(features, directions[c]);
                if (score > bestScore) (best, bestScore) = (c, score);
            }
            yield return new Row { Features = features, Class = best };
        }
    }

    public sealed class Row
    {
        [VectorType(784)] public float[] Features = [];
        public float Class;
    }
}
