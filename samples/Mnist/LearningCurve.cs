using MlNetBackprop;
using ScottPlot;

namespace MnistSample;

/// <summary>Draws the book's kind of figure: accuracy and cost per epoch, on training and validation data.</summary>
public static class LearningCurve
{
    /// <summary>Saves the learning curves of <paramref name="history"/> as a PNG picture.</summary>
    public static void SavePng(IReadOnlyList<EpochReport> history, string title, string path, int width = 1000, int height = 560)
    {
        var plot = new Plot();
        double[] epochs = history.Select(h => (double)h.Epoch).ToArray();
        void Line(Func<EpochReport, double?> value, string label, Color color, bool rightAxis, LinePattern pattern)
        {
            if (history.Any(h => value(h) is null)) return;
            var scatter = plot.Add.Scatter(epochs, history.Select(h => value(h)!.Value).ToArray(), color);
            scatter.LegendText = label;
            scatter.LinePattern = pattern;
            scatter.LineWidth = 2;
            scatter.MarkerSize = 4;
            if (rightAxis) scatter.Axes.YAxis = plot.Axes.Right;
        }
        Line(h => h.Accuracy * 100, "training accuracy during the epoch (%)", Colors.SteelBlue, false, LinePattern.Solid);
        Line(h => h.ValidationAccuracy * 100, "validation accuracy after the epoch (%)", Colors.DarkOrange, false, LinePattern.Solid);
        Line(h => h.Loss, "training cost during the epoch", Colors.SteelBlue, true, LinePattern.Dashed);
        Line(h => h.ValidationLoss, "validation cost after the epoch", Colors.DarkOrange, true, LinePattern.Dashed);
        plot.Title(title);
        plot.XLabel("epoch");
        plot.Axes.Left.Label.Text = "accuracy (%)";
        plot.Axes.Right.Label.Text = "cost";
        plot.ShowLegend(Alignment.MiddleRight);
        plot.SavePng(path, width, height);
    }
}
