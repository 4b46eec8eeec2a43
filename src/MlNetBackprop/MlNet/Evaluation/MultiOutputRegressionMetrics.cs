using Microsoft.ML.Data;

namespace MlNetBackprop;

/// <summary>
/// The evaluation of a multi-output regression model: ML.NET's own <see cref="RegressionMetrics"/> for each target, and
/// their means. Made by <see cref="MultiOutputCatalog.EvaluateMultiOutput"/>.
/// </summary>
public sealed class MultiOutputRegressionMetrics
{
    internal MultiOutputRegressionMetrics(IReadOnlyList<string> targetNames, IReadOnlyList<RegressionMetrics> perTarget)
    {
        TargetNames = targetNames;
        PerTarget = perTarget;
        MeanRSquared = perTarget.Average(m => m.RSquared);
        MeanMeanAbsoluteError = perTarget.Average(m => m.MeanAbsoluteError);
        MeanRootMeanSquaredError = perTarget.Average(m => m.RootMeanSquaredError);
    }

    /// <summary>The targets' names (the Score column's slot names, or the label's; a target's 0-based index where it has none).</summary>
    public IReadOnlyList<string> TargetNames { get; }

    /// <summary>
    /// For each target, in slot order, what <c>ml.Regression.Evaluate</c> gives for it alone (R², mean absolute and squared
    /// error, root mean squared error, loss), over the rows where that target is present (not NaN).
    /// </summary>
    public IReadOnlyList<RegressionMetrics> PerTarget { get; }

    /// <summary>The mean of the targets' R² (scikit-learn's r2_score with multioutput='uniform_average').</summary>
    public double MeanRSquared { get; }

    /// <summary>The mean of the targets' mean absolute errors (each in its target's units).</summary>
    public double MeanMeanAbsoluteError { get; }

    /// <summary>The mean of the targets' root mean squared errors (each in its target's units).</summary>
    public double MeanRootMeanSquaredError { get; }
}
