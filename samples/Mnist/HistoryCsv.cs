using System.Globalization;
using MlNetBackprop;

namespace MnistSample;

/// <summary>Writes the training history as CSV: one row per epoch, the four monitored curves and the time.</summary>
public static class HistoryCsv
{
    /// <summary>Writes <paramref name="history"/> to <paramref name="path"/>.</summary>
    public static void Write(IReadOnlyList<EpochReport> history, string path)
    {
        static string F(double? v) => v?.ToString("R", CultureInfo.InvariantCulture) ?? "";
        var lines = new List<string> { "epoch,training_cost,training_accuracy,validation_cost,validation_accuracy,seconds" };
        lines.AddRange(history.Select(h =>
            $"{h.Epoch},{F(h.Loss)},{F(h.Accuracy)},{F(h.ValidationLoss)},{F(h.ValidationAccuracy)},{F(h.Elapsed.TotalSeconds)}"));
        File.WriteAllLines(path, lines);
    }
}
