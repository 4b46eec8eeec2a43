using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetBackprop.MlNet.Data;

namespace MlNetBackprop;

/// <summary>
/// A trained <see cref="BackpropTrainer"/> network that scores data. It saves with <c>MLContext.Model.Save</c>; the
/// saved model loads back with <c>MLContext.Model.Load</c> (as a chain of ML.NET's own transforms that scores
/// identically) in this or any other process that references MlNetBackprop.
/// </summary>
public sealed class BackpropTransformer : ITransformer
{
    private readonly ITransformer _scorer;
    private readonly Func<ITransformer> _persisted;
    private readonly int _inputSize;
    private readonly string[]? _classNames;

    internal BackpropTransformer(BackpropTask task, string featureColumnName, int inputSize, string[]? classNames,
        NetworkParameters model, IReadOnlyList<EpochReport> history, TrainingSummary summary, ITransformer scorer, Func<ITransformer> persisted)
    {
        _persisted = persisted;
        Task = task;
        FeatureColumnName = featureColumnName;
        _inputSize = inputSize;
        _classNames = classNames;
        Model = model;
        History = history;
        Summary = summary;
        _scorer = scorer;
    }

    /// <summary>The task the network was trained for.</summary>
    public BackpropTask Task { get; }

    /// <summary>The feature column the network reads.</summary>
    public string FeatureColumnName { get; }

    /// <summary>The trained network's layer sizes, weights and biases.</summary>
    public NetworkParameters Model { get; }

    /// <summary>
    /// One entry per training epoch: costs and accuracies on the training and validation data, learning rate and elapsed
    /// time. A model trained on from another (warm start) carries that model's epochs first.
    /// </summary>
    public IReadOnlyList<EpochReport> History { get; }

    /// <summary>How training ended: epochs run, early stopping, the best validation epoch and cost.</summary>
    public TrainingSummary Summary { get; }

    /// <summary>Always true: scoring maps each row on its own.</summary>
    public bool IsRowToRowMapper => true;

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        CheckInput(inputSchema);
        return _scorer.GetOutputSchema(inputSchema);
    }

    /// <inheritdoc/>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input.Schema);
        return _scorer.Transform(input);
    }

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        CheckInput(inputSchema);
        return _scorer.GetRowToRowMapper(inputSchema);
    }

    /// <summary>
    /// Saves the scoring chain, with the network written into it as text, into <paramref name="ctx"/>; called by
    /// <c>MLContext.Model.Save</c>.
    /// </summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => ((ICanSaveModel)_persisted()).Save(ctx);

    private void CheckInput(DataViewSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        int size = SchemaChecks.CheckFeatures(schema, FeatureColumnName);
        if (size != _inputSize)
            throw new ArgumentOutOfRangeException(nameof(schema),
                $"Schema mismatch for feature column '{FeatureColumnName}': expected known-size vector of Single of size {_inputSize} (as in training), got Vector<Single, {size}>");
        if (_classNames is null) return;
        foreach (string name in _classNames)
            if (schema.GetColumnOrNull(name) is not null)
                throw new InvalidOperationException(
                    $"The input has a column named '{name}', like one of the classes; scoring would drop it. Rename the column.");
    }
}
