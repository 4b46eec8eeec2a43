using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using MlNetBackprop.MlNet.Data;

namespace MlNetBackprop.Benchmarks;

/// <summary>
/// How long the trainer takes to read its rows before the first epoch: 50,000 MNIST images from a cached IDataView
/// (dense rows) and the Debian descriptions' FeaturizeText vectors (sparse rows), each read several times, median.
/// </summary>
internal static class ReadTiming
{
    public static int Run()
    {
        var ml = new MLContext(seed: 1);
        Measure("MNIST, 50,000 × 784 dense", Fill(ml.Data.Cache(MnistData.Train())), "Features", 784, "Label", BackpropTask.MulticlassClassification, 10);
        return 0;
    }

    internal static IDataView Fill(IDataView cached)
    {
        using var cursor = cached.GetRowCursor(cached.Schema);
        while (cursor.MoveNext()) { }
        return cached;
    }

    internal static void Measure(string what, IDataView data, string features, int inputSize, string label, BackpropTask task, int classes)
    {
        var columns = new TrainingColumns(features, label, null);
        var times = new List<double>();
        bool sparse = false;
        for (int run = 0; run < 7; run++)
        {
            var clock = Stopwatch.StartNew();
            sparse = TrainingDataReader.FormOf(data, features, inputSize);
            var rows = TrainingDataReader.Read(data, columns, task, inputSize, task == BackpropTask.MulticlassClassification ? classes : 0, CancellationToken.None, sparse).Rows!;
            times.Add(clock.Elapsed.TotalSeconds);
            GC.KeepAlive(rows);
        }
        double first = times[0];
        times.Sort();
        // What first touching fresh memory costs here, apart from any reading: as many bytes as the rows take, written
        // once. The machine's kernel clears every new page on first touch.
        long bytes = (long)inputSize * sizeof(float) * (data.GetRowCount() ?? 0);
        var touch = Stopwatch.StartNew();
        var fresh = GC.AllocateUninitializedArray<byte>((int)long.Min(bytes, Array.MaxLength));
        for (int i = 0; i < fresh.Length; i += 4096) fresh[i] = 1;
        double touched = touch.Elapsed.TotalSeconds;
        GC.KeepAlive(fresh);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"READ {what} ({(sparse ? "held sparse" : "held dense")}): first (fresh process) {first:F3} s, median of 7 {times[times.Count / 2]:F3} s, " +
            $"fastest {times[0]:F3} s; first touch of {bytes >> 20} MB of fresh memory alone {touched:F3} s"));
    }
}
