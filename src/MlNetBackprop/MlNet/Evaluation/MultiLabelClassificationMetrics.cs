using Microsoft.ML.Data;

namespace MlNetBackprop;

/// <summary>
/// The evaluation of a multi-label model: ML.NET's own <see cref="CalibratedBinaryClassificationMetrics"/> for each label,
/// and the usual multi-label aggregates over the decisions (scikit-learn's f1_score with average='micro' and 'macro',
/// hamming_loss, and accuracy_score, the subset accuracy). Made by <see cref="MultiOutputCatalog.EvaluateMultiLabel"/>.
/// </summary>
public sealed class MultiLabelClassificationMetrics
{
    internal MultiLabelClassificationMetrics(IReadOnlyList<string> labelNames, IReadOnlyList<CalibratedBinaryClassificationMetrics> perLabel,
        double microF1Score, double macroF1Score, double hammingLoss, double subsetAccuracy)
    {
        LabelNames = labelNames;
        PerLabel = perLabel;
        MacroAreaUnderRocCurve = perLabel.Average(m => m.AreaUnderRocCurve);
        (MicroF1Score, MacroF1Score, HammingLoss, SubsetAccuracy) = (microF1Score, macroF1Score, hammingLoss, subsetAccuracy);
    }

    /// <summary>The labels' names (the Score column's slot names, or the label's; a label's 0-based index where it has none).</summary>
    public IReadOnlyList<string> LabelNames { get; }

    /// <summary>
    /// For each label, in slot order, what <c>ml.BinaryClassification.Evaluate</c> gives for it alone (AUC, accuracy, F1,
    /// log-loss, ...), over the rows where that label is known (not NaN).
    /// </summary>
    public IReadOnlyList<CalibratedBinaryClassificationMetrics> PerLabel { get; }

    /// <summary>The mean of the labels' areas under the ROC curve (macro-averaged AUC).</summary>
    public double MacroAreaUnderRocCurve { get; }

    /// <summary>F1 of all the labels' decisions pooled: 2·TP / (2·TP + FP + FN) summed over labels.</summary>
    public double MicroF1Score { get; }

    /// <summary>The mean of the labels' F1 scores (a label without positives and without positive decisions counts 0).</summary>
    public double MacroF1Score { get; }

    /// <summary>The share of (row, label) decisions that are wrong; 0 is best.</summary>
    public double HammingLoss { get; }

    /// <summary>The share of rows whose every label is decided right (rows with an unknown label are left out).</summary>
    public double SubsetAccuracy { get; }
}
