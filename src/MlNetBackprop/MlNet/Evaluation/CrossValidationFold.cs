using Microsoft.ML;

namespace MlNetBackprop;

/// <summary>
/// One fold of a cross-validation of several outputs (<see cref="MultiOutputCatalog.CrossValidateMultiOutput"/>,
/// <see cref="MultiOutputCatalog.CrossValidateMultiLabel"/>): like ML.NET's <c>CrossValidationResult</c>, whose
/// constructor is internal.
/// </summary>
/// <typeparam name="TMetrics">The metrics: <see cref="MultiOutputRegressionMetrics"/> or <see cref="MultiLabelClassificationMetrics"/>.</typeparam>
public sealed class CrossValidationFold<TMetrics>
{
    internal CrossValidationFold(int fold, ITransformer model, IDataView scoredHoldOutSet, TMetrics metrics)
        => (Fold, Model, ScoredHoldOutSet, Metrics) = (fold, model, scoredHoldOutSet, metrics);

    /// <summary>The fold's 0-based index.</summary>
    public int Fold { get; }

    /// <summary>The model trained on the other folds.</summary>
    public ITransformer Model { get; }

    /// <summary>This fold's rows, scored by <see cref="Model"/>.</summary>
    public IDataView ScoredHoldOutSet { get; }

    /// <summary>The metrics of <see cref="Model"/> on this fold's rows.</summary>
    public TMetrics Metrics { get; }
}
