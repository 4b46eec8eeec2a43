namespace MlNetBackprop.MlNet.Evaluation;

/// <summary>
/// The multi-label aggregates over decisions and labels (0/1, NaN where unknown): micro and macro F1, Hamming loss and
/// subset accuracy, as scikit-learn defines them; an unknown label is left out of every count.
/// </summary>
internal static class MultiLabelCounts
{
    /// <summary>The aggregates of <paramref name="labels"/> and <paramref name="decisions"/>, both [label][row].</summary>
    public static (double MicroF1, double MacroF1, double HammingLoss, double SubsetAccuracy) Of(double[][] labels, bool[][] decisions)
    {
        int count = labels.Length, rows = count == 0 ? 0 : labels[0].Length;
        long truePositives = 0, falsePositives = 0, falseNegatives = 0, decided = 0, wrong = 0;
        double macro = 0;
        for (int j = 0; j < count; j++)
        {
            long tp = 0, fp = 0, fn = 0;
            for (int r = 0; r < rows; r++)
            {
                double y = labels[j][r];
                if (double.IsNaN(y)) continue;
                bool actual = y == 1, predicted = decisions[j][r];
                decided++;
                if (actual != predicted) wrong++;
                if (actual && predicted) tp++;
                else if (predicted) fp++;
                else if (actual) fn++;
            }
            macro += F1(tp, fp, fn);
            (truePositives, falsePositives, falseNegatives) = (truePositives + tp, falsePositives + fp, falseNegatives + fn);
        }
        long known = 0, exact = 0;
        for (int r = 0; r < rows; r++)
        {
            bool all = true, anyUnknown = false;
            for (int j = 0; j < count && all; j++)
            {
                double y = labels[j][r];
                if (double.IsNaN(y)) { anyUnknown = true; break; }
                all = (y == 1) == decisions[j][r];
            }
            if (anyUnknown) continue;
            known++;
            if (all) exact++;
        }
        return (F1(truePositives, falsePositives, falseNegatives), count == 0 ? 0 : macro / count,
            decided == 0 ? double.NaN : (double)wrong / decided, known == 0 ? double.NaN : (double)exact / known);
    }

    /// <summary>2·TP / (2·TP + FP + FN); 0 where there is nothing positive (scikit-learn's zero_division=0).</summary>
    private static double F1(long tp, long fp, long fn) => tp + fp + fn == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
}
