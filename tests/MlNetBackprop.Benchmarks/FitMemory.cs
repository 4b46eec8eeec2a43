using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;

namespace MlNetBackprop.Benchmarks;

/// <summary>
/// What a default <c>Fit</c> on MNIST holds, as a user meets it in a fresh process: the process's peak resident memory
/// before and after the Fit, and the managed memory the fitted transformer keeps alive.
/// <c>fit-memory [epochs] [classic | Field=value;Field=value]</c> (the settings as accuracy-defaults takes them).
/// </summary>
internal static class FitMemory
{
    public static int Run(string[] args)
    {
        int epochs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        string? settings = args.Length > 2 ? args[2] : null;
        var options = settings == "classic" ? BackpropTrainer.Options.Classic()
            : settings is null ? new BackpropTrainer.Options() : Defaults.DefaultsBenchmark.OptionsFrom(settings);
        options.Epochs = epochs;
        var ml = new MLContext(seed: 1);
        var train = ReadTiming.Fill(ml.Data.Cache(MnistData.Train()));
        GC.Collect();
        long before = GC.GetTotalMemory(true);
        long peakBefore = PeakResident();
        var clock = Stopwatch.StartNew();
        var model = ml.MulticlassClassification.Trainers.Backprop(options).Fit(train);
        double fit = clock.Elapsed.TotalSeconds;
        long peakAfter = PeakResident();
        GC.Collect();
        long held = GC.GetTotalMemory(true) - before;
        GC.KeepAlive(model);
        long weights = Enumerable.Range(0, model.Model.LayerCount).Sum(l => (long)model.Model.GetWeights(l).Length + model.Model.GetBiases(l).Length) * sizeof(float);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"FITMEM settings={settings ?? "defaults"} epochs={model.History.Count} fit_s={fit:F2} peak_before_MB={peakBefore / 1e6:F1} peak_after_MB={peakAfter / 1e6:F1} " +
            $"fit_added_peak_MB={(peakAfter - peakBefore) / 1e6:F1} model_held_MB={held / 1e6:F2} weights_MB={weights / 1e6:F2}"));
        return 0;
    }

    /// <summary>The process's peak resident set (VmHWM), in bytes.</summary>
    internal static long PeakResident()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        return 0;
    }
}
