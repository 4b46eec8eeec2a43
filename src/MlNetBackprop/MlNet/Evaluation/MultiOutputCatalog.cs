using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetBackprop.MlNet.Data;
using MlNetBackprop.MlNet.Evaluation;

namespace MlNetBackprop;

/// <summary>
/// Catalog extension methods that evaluate and cross-validate models of several outputs with ML.NET's own evaluators:
/// multi-output regression (<c>ml.Regression</c>) and multi-label classification (<c>ml.BinaryClassification</c>).
/// ML.NET's <c>Evaluate</c> and <c>CrossValidate</c> read a scalar label; these read a vector label and a vector
/// <c>Score</c>, evaluate each slot on its own with the built-in evaluator, and add the usual aggregates.
/// </summary>
public static class MultiOutputCatalog
{
    /// <summary>
    /// Evaluates multi-output regression scores: ML.NET's <see cref="RegressionMetrics"/> for each target (over the rows
    /// where it is present), and their means. Where the label and the score both have slot names they must be the same,
    /// in the same order. ML.NET's evaluator reads a Single label, so a Double target is compared in single precision.
    /// </summary>
    /// <param name="catalog">The regression catalog.</param>
    /// <param name="data">Scored data: the label (known-size vector of Single or Double) and the score (vector of Single of the same size).</param>
    /// <param name="labelColumnName">The label column.</param>
    /// <param name="scoreColumnName">The score column.</param>
    /// <example>
    /// <code>
    /// var metrics = ml.Regression.EvaluateMultiOutput(model.Transform(test));
    /// for (int j = 0; j &lt; metrics.TargetNames.Count; j++)
    ///     Console.WriteLine($"{metrics.TargetNames[j]}: R² {metrics.PerTarget[j].RSquared:0.000}");
    /// Console.WriteLine($"mean R² {metrics.MeanRSquared:0.000}");
    /// </code>
    /// </example>
    public static MultiOutputRegressionMetrics EvaluateMultiOutput(this RegressionCatalog catalog, IDataView data,
        string labelColumnName = "Label", string scoreColumnName = "Score")
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(data);
        var slots = SlotColumns.OfRegression(data, labelColumnName, scoreColumnName);
        var ml = new MLContext();
        var perTarget = new RegressionMetrics[slots.Names.Length];
        for (int j = 0; j < perTarget.Length; j++)
        {
            var present = slots.Present(j, labelColumnName);
            // ML.NET's regression evaluator reads a Single label: a Double target is compared in single precision.
            var view = new LookupDataView([
                ("Label", NumberDataViewType.Single, present.Select(r => (float)slots.Labels[j][r]).ToArray(), null),
                ("Score", NumberDataViewType.Single, present.Select(r => slots.Scores[j][r]).ToArray(), null),
            ]);
            perTarget[j] = ml.Regression.Evaluate(view);
        }
        return new MultiOutputRegressionMetrics(slots.Names, perTarget);
    }

    /// <summary>
    /// Evaluates multi-label scores: ML.NET's <see cref="CalibratedBinaryClassificationMetrics"/> for each label (over the
    /// rows where it is known), their mean AUC, micro and macro F1, Hamming loss and subset accuracy. Where the label and
    /// the score both have slot names they must be the same, in the same order. A label that is one class in every row
    /// has no AUC and is refused by name, as ML.NET's evaluator refuses it.
    /// </summary>
    /// <param name="catalog">The binary classification catalog.</param>
    /// <param name="data">
    /// Scored data: the label (known-size vector of Boolean, or of Single or Double holding 0, 1 or NaN), and the score,
    /// probability (vectors of Single) and predicted label (vector of Boolean) of the same size.
    /// </param>
    /// <param name="labelColumnName">The label column.</param>
    /// <param name="scoreColumnName">The score column.</param>
    /// <param name="probabilityColumnName">The probability column.</param>
    /// <param name="predictedLabelColumnName">The predicted label column.</param>
    /// <example>
    /// <code>
    /// var metrics = ml.BinaryClassification.EvaluateMultiLabel(model.Transform(test));
    /// Console.WriteLine($"mean AUC {metrics.MacroAreaUnderRocCurve:0.000}, micro F1 {metrics.MicroF1Score:0.000}, Hamming loss {metrics.HammingLoss:0.000}");
    /// </code>
    /// </example>
    public static MultiLabelClassificationMetrics EvaluateMultiLabel(this BinaryClassificationCatalog catalog, IDataView data,
        string labelColumnName = "Label", string scoreColumnName = "Score", string probabilityColumnName = "Probability",
        string predictedLabelColumnName = "PredictedLabel")
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(data);
        var slots = SlotColumns.OfLabels(data, labelColumnName, scoreColumnName, probabilityColumnName, predictedLabelColumnName);
        var (names, labels) = (slots.Names, slots.Labels);
        var ml = new MLContext();
        var perLabel = new CalibratedBinaryClassificationMetrics[names.Length];
        for (int j = 0; j < perLabel.Length; j++)
        {
            var known = slots.Present(j, labelColumnName);
            var view = new LookupDataView([
                ("Label", BooleanDataViewType.Instance, known.Select(r => labels[j][r] == 1).ToArray(), null),
                ("Score", NumberDataViewType.Single, known.Select(r => slots.Scores[j][r]).ToArray(), null),
                ("Probability", NumberDataViewType.Single, known.Select(r => slots.Probabilities[j][r]).ToArray(), null),
                ("PredictedLabel", BooleanDataViewType.Instance, known.Select(r => slots.Decisions[j][r]).ToArray(), null),
            ]);
            try
            {
                perLabel[j] = ml.BinaryClassification.Evaluate(view);
            }
            catch (ArgumentOutOfRangeException e) when (known.All(r => labels[j][r] == labels[j][known[0]]))
            {
                // ML.NET's evaluator (like scikit-learn's roc_auc_score) has no AUC for a label of one class.
                throw new InvalidOperationException(
                    $"Slot '{names[j]}' of label column '{labelColumnName}' is {(labels[j][known[0]] == 1 ? "true" : "false")} in every row of the data, " +
                    "so ML.NET's binary evaluator cannot compute its AUC: evaluate on more rows (or fewer folds), or leave the label out.", e);
            }
        }
        var (micro, macro, hamming, subset) = MultiLabelCounts.Of(labels, slots.Decisions);
        return new MultiLabelClassificationMetrics(names, perLabel, micro, macro, hamming, subset);
    }

    /// <summary>
    /// Cross-validates a pipeline that ends in multi-output regression, as ML.NET's <c>ml.Regression.CrossValidate</c> does
    /// for one target: <paramref name="numberOfFolds"/> folds from ML.NET's <c>CrossValidationSplit</c>, a model trained on
    /// the rest for each, scored on the fold and evaluated with <see cref="EvaluateMultiOutput"/>.
    /// </summary>
    /// <param name="catalog">The regression catalog.</param>
    /// <param name="data">The data the pipeline reads.</param>
    /// <param name="estimator">The pipeline, ending in a multi-output regression trainer.</param>
    /// <param name="numberOfFolds">The folds.</param>
    /// <param name="labelColumnName">The label column the scored data holds.</param>
    /// <param name="samplingKeyColumnName">A column whose rows must stay in one fold together (as in ML.NET), or null.</param>
    /// <param name="seed">The split's seed; null for a random split, as ML.NET's.</param>
    /// <example>
    /// <code>
    /// var folds = ml.Regression.CrossValidateMultiOutput(data, pipeline, numberOfFolds: 5);
    /// Console.WriteLine($"mean R² {folds.Average(f => f.Metrics.MeanRSquared):0.000}");
    /// </code>
    /// </example>
    public static IReadOnlyList<CrossValidationFold<MultiOutputRegressionMetrics>> CrossValidateMultiOutput(this RegressionCatalog catalog, IDataView data,
        IEstimator<ITransformer> estimator, int numberOfFolds = 5, string labelColumnName = "Label", string? samplingKeyColumnName = null, int? seed = null)
        => CrossValidate(catalog, data, estimator, numberOfFolds, samplingKeyColumnName, seed, scored => catalog.EvaluateMultiOutput(scored, labelColumnName));

    /// <summary>
    /// Cross-validates a pipeline that ends in multi-label classification: <paramref name="numberOfFolds"/> folds from
    /// ML.NET's <c>CrossValidationSplit</c>, a model trained on the rest for each, scored on the fold and evaluated with
    /// <see cref="EvaluateMultiLabel"/>.
    /// </summary>
    /// <param name="catalog">The binary classification catalog.</param>
    /// <param name="data">The data the pipeline reads.</param>
    /// <param name="estimator">The pipeline, ending in a multi-label trainer.</param>
    /// <param name="numberOfFolds">The folds.</param>
    /// <param name="labelColumnName">The label column the scored data holds.</param>
    /// <param name="samplingKeyColumnName">A column whose rows must stay in one fold together (as in ML.NET), or null.</param>
    /// <param name="seed">The split's seed; null for a random split, as ML.NET's.</param>
    /// <example>
    /// <code>
    /// var folds = ml.BinaryClassification.CrossValidateMultiLabel(data, pipeline, numberOfFolds: 5, seed: 1);
    /// Console.WriteLine($"mean AUC {folds.Average(f => f.Metrics.MacroAreaUnderRocCurve):0.000}");
    /// </code>
    /// </example>
    public static IReadOnlyList<CrossValidationFold<MultiLabelClassificationMetrics>> CrossValidateMultiLabel(this BinaryClassificationCatalog catalog, IDataView data,
        IEstimator<ITransformer> estimator, int numberOfFolds = 5, string labelColumnName = "Label", string? samplingKeyColumnName = null, int? seed = null)
        => CrossValidate(catalog, data, estimator, numberOfFolds, samplingKeyColumnName, seed, scored => catalog.EvaluateMultiLabel(scored, labelColumnName));

    private static List<CrossValidationFold<TMetrics>> CrossValidate<TMetrics>(object catalog, IDataView data, IEstimator<ITransformer> estimator,
        int numberOfFolds, string? samplingKeyColumnName, int? seed, Func<IDataView, TMetrics> evaluate)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(estimator);
        if (numberOfFolds < 2)
            throw new ArgumentOutOfRangeException(nameof(numberOfFolds), numberOfFolds, "Cross-validation needs at least 2 folds.");
        var splits = new MLContext(seed).Data.CrossValidationSplit(data, numberOfFolds, samplingKeyColumnName, seed);
        var folds = new List<CrossValidationFold<TMetrics>>(splits.Count);
        for (int fold = 0; fold < splits.Count; fold++)
        {
            var model = estimator.Fit(splits[fold].TrainSet);
            var scored = model.Transform(splits[fold].TestSet);
            folds.Add(new CrossValidationFold<TMetrics>(fold, model, scored, evaluate(scored)));
        }
        return folds;
    }
}
