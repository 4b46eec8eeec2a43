using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetBackprop.Benchmarks;

/// <summary>
/// Sparse text features as users make them: FeaturizeText on the Debian package descriptions (Section from
/// Description) and on the fortune cookies (Category from Text), cached before Fit, each trainer fitted in a process of
/// its own so that peak memory is the Fit's. <c>text</c> runs every row of the table; <c>text-fit</c> is one run.
/// </summary>
internal static class TextBenchmark
{
    private static string DataFile(string name) => Path.Combine(AppContext.BaseDirectory, "Data", name);

    /// <summary>The datasets: file, label column, text column, and the class that binary tasks single out.</summary>
    private static readonly Dictionary<string, (string File, string Positive)> Sets = new()
    {
        ["debian"] = ("packages.csv.gz", "libs"),
        ["fortunes"] = ("fortunes.csv.gz", "computers"),
    };

    public sealed class Document
    {
        public string Text = "";
        public string Category = "";
        public bool Label;
    }

    /// <summary>Runs every configuration, each in a child process, and prints the table.</summary>
    public static int RunAll(string[] args)
    {
        var runs = new List<string[]>();
        foreach (var set in new[] { "debian", "fortunes" })
            foreach (var task in new[] { "binary", "multiclass" })
                foreach (var trainer in new[] { "sdca", "backprop" })
                    runs.Add(["--set", set, "--task", task, "--trainer", trainer]);
        // Epoch time against slot count: hashing the same words into 2¹⁷ and 2¹⁸ slots keeps the non-zeros. Three
        // alternated rounds, since the machine is shared and one round can be off by a third.
        for (int round = 0; round < 3; round++)
            foreach (var task in new[] { "binary", "multiclass" })
                foreach (var bits in new[] { "17", "18" })
                    runs.Add(["--set", "debian", "--task", task, "--trainer", "backprop", "--bits", bits, "--epochs", "20"]);
        string self = Environment.ProcessPath!;
        string dll = typeof(TextBenchmark).Assembly.Location;
        foreach (var run in runs)
        {
            var start = new ProcessStartInfo(self) { RedirectStandardOutput = true };
            if (!self.EndsWith(Path.GetFileNameWithoutExtension(dll), StringComparison.Ordinal)) start.ArgumentList.Add(dll);
            start.ArgumentList.Add("text-fit");
            foreach (var a in run) start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            foreach (var line in output.Split('\n').Where(l => l.StartsWith("RESULT", StringComparison.Ordinal)))
                Console.WriteLine(line.Trim());
            if (process.ExitCode != 0)
                Console.WriteLine($"FAILED {string.Join(' ', run)}: exit code {process.ExitCode}\n{output}");
        }
        return 0;
    }

    /// <summary>One Fit: featurize, cache, measure the Fit's time and the process's peak memory, evaluate on the held-out fifth.</summary>
    public static int RunOne(string[] args)
    {
        string Arg(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
        string setName = Arg("--set", "debian"), task = Arg("--task", "binary"), trainerName = Arg("--trainer", "backprop");
        int bits = int.Parse(Arg("--bits", "0"), CultureInfo.InvariantCulture);
        int? epochs = Arg("--epochs", "") is { Length: > 0 } e ? int.Parse(e, CultureInfo.InvariantCulture) : null;
        // --solver Sgd|Momentum|Adam: what a Fit of each update rule holds (Momentum: Sgd with momentum 0.9).
        string solver = Arg("--solver", "");
        var (file, positive) = Sets[setName];
        var ml = new MLContext(seed: 1);
        var documents = Read(DataFile(file), positive);
        var split = ml.Data.TrainTestSplit(ml.Data.LoadFromEnumerable(documents), testFraction: 0.2, seed: 1);

        IEstimator<ITransformer> featurize = bits > 0
            ? ml.Transforms.Text.ProduceHashedWordBags("Features", nameof(Document.Text), numberOfBits: bits, ngramLength: 2)
                .Append(ml.Transforms.NormalizeLpNorm("Features"))
            : ml.Transforms.Text.FeaturizeText("Features", nameof(Document.Text));
        if (task == "multiclass")
            featurize = featurize.Append(ml.Transforms.Conversion.MapValueToKey("Label", nameof(Document.Category)));
        var featurizer = featurize.Fit(split.TrainSet);
        var train = Cached(ml, featurizer.Transform(split.TrainSet));
        var test = Cached(ml, featurizer.Transform(split.TestSet));
        var (slots, nonZeros, rows) = Shape(train);

        IEstimator<ITransformer> trainer = (task, trainerName) switch
        {
            ("binary", "sdca") => ml.BinaryClassification.Trainers.SdcaLogisticRegression(),
            ("multiclass", "sdca") => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(),
            ("binary", _) => ml.BinaryClassification.Trainers.Backprop(Defaults(epochs, solver)),
            _ => ml.MulticlassClassification.Trainers.Backprop(Defaults(epochs, solver)),
        };
        GC.Collect();
        long managedBefore = GC.GetTotalMemory(true);
        long peakBefore = PeakBytes();
        var clock = Stopwatch.StartNew();
        if (Environment.GetEnvironmentVariable("TEXT_BENCH_LOG") is not null)
            ml.Log += (_, e) => { if (e.Source.Contains("Backprop")) Console.WriteLine($"{clock.Elapsed.TotalSeconds:F2}s {PeakBytes() >> 20}MB {e.RawMessage}"); };
        var model = trainer.Fit(train);
        double fitSeconds = clock.Elapsed.TotalSeconds;
        long peakAfter = PeakBytes();
        long held = GC.GetTotalMemory(true) - managedBefore; // what the fitted model keeps alive
        string firstLayer = model is BackpropTransformer fitted
            ? string.Create(CultureInfo.InvariantCulture, $" first_layer_mb={Enumerable.Range(0, fitted.Model.LayerCount).Max(l => fitted.Model.GetWeights(l).Length) * 4.0 / (1 << 20):F1}")
            : "";

        var scored = model.Transform(test);
        string quality;
        if (task == "binary")
        {
            var m = ml.BinaryClassification.Evaluate(scored);
            quality = $"accuracy={m.Accuracy:F4} auc={m.AreaUnderRocCurve:F4}";
        }
        else
        {
            var m = ml.MulticlassClassification.Evaluate(scored);
            quality = $"accuracy={m.MicroAccuracy:F4} logloss={m.LogLoss:F4}";
        }
        string epochTime = "";
        if (model is BackpropTransformer backprop && backprop.History.Count > 1)
        {
            var times = backprop.History.Select(h => h.Elapsed.TotalSeconds).ToArray();
            // The steady epoch: the median of the second half's epochs (the first ones still run code the JIT has not
            // finished optimising).
            var perEpoch = times.Skip(1).Zip(times, (b, a) => b - a).Skip(times.Length / 2).Order().ToArray();
            epochTime = $" epochs={backprop.History.Count} epoch_s={perEpoch[perEpoch.Length / 2]:F3} first_epoch_s={times[0]:F3}";
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT set={setName} task={task} trainer={trainerName} bits={bits} rows={rows} slots={slots} nnz_per_row={(double)nonZeros / rows:F1} " +
            $"fit_s={fitSeconds:F2} peak_before_mb={peakBefore >> 20} peak_after_mb={peakAfter >> 20} peak_ratio={(double)peakAfter / peakBefore:F2} " +
            $"held_mb={held / (double)(1 << 20):F1}{firstLayer} solver={(solver.Length > 0 ? solver : "default")} {quality}{epochTime}"));
        GC.KeepAlive(model);
        return 0;
    }

    /// <summary>The trainer's defaults, with the epochs fixed when the run measures epoch time.</summary>
    private static BackpropTrainer.Options Defaults(int? epochs, string solver = "")
    {
        var options = epochs is int n ? new BackpropTrainer.Options { Epochs = n } : new BackpropTrainer.Options();
        if (solver == "Momentum") (options.Solver, options.Momentum) = (Solver.Sgd, 0.9);
        else if (solver.Length > 0) options.Solver = Enum.Parse<Solver>(solver);
        if (Environment.GetEnvironmentVariable("TEXT_BENCH_THREADS") is { } threads) options.NumberOfThreads = int.Parse(threads, CultureInfo.InvariantCulture);
        return options;
    }

    /// <summary>The process's peak working set so far, as the kernel counts it (VmHWM).</summary>
    private static long PeakBytes()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.PeakWorkingSet64;
    }

    private static IDataView Cached(MLContext ml, IDataView data)
    {
        var cached = ml.Data.Cache(data);
        using var cursor = cached.GetRowCursor(cached.Schema);
        while (cursor.MoveNext()) { } // fill the cache before the Fit is timed
        return cached;
    }

    private static (int Slots, long NonZeros, int Rows) Shape(IDataView data)
    {
        var column = data.Schema["Features"];
        using var cursor = data.GetRowCursor([column]);
        var get = cursor.GetGetter<VBuffer<float>>(column);
        var value = default(VBuffer<float>);
        long nonZeros = 0;
        int rows = 0;
        while (cursor.MoveNext())
        {
            get(ref value);
            nonZeros += value.GetValues().Length;
            rows++;
        }
        return (((VectorDataViewType)column.Type).Size, nonZeros, rows);
    }

    /// <summary>The documents of a gzipped CSV whose last column is the text and whose label is the second column (Debian) or first (fortunes).</summary>
    private static List<Document> Read(string path, string positive)
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress), Encoding.UTF8);
        var header = ParseLine(reader.ReadLine()!);
        int category = Array.IndexOf(header, header.Contains("Section") ? "Section" : "Category");
        int text = header.Length - 1;
        var documents = new List<Document>();
        while (reader.ReadLine() is { } line)
        {
            var fields = ParseLine(line);
            documents.Add(new Document { Text = fields[text], Category = fields[category], Label = fields[category] == positive });
        }
        return documents;
    }

    /// <summary>One CSV line's fields (quoted fields may hold commas and doubled quotes).</summary>
    private static string[] ParseLine(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return fields.ToArray();
    }
}
