using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetBackprop.MlNet.Data;

namespace MlNetBackprop;

/// <summary>
/// A trained <see cref="BackpropTrainer"/> network that scores data. It saves with <c>MLContext.Model.Save</c>; the
/// saved model loads back with <c>MLContext.Model.Load</c> (as a chain of ML.NET's own transforms that scores
/// identically) in this or any other process that references MlNetBackprop.
/// </summary>
/// <remarks>
/// <para>
/// It is an <see cref="ISingleFeaturePredictionTransformer{TModel}"/> of <see cref="NetworkParameters"/>, so ML.NET's
/// permutation feature importance explains it: <c>ml.MulticlassClassification.PermutationFeatureImportance(transformer,
/// data)</c>, and the binary and regression catalogs' methods likewise, where <c>data</c> is what the transformer reads
/// (the pipeline's output before it). Those catalogs' overloads that take any <see cref="ITransformer"/> need the model to
/// implement an interface ML.NET keeps internal, so pass the <see cref="BackpropTransformer"/> itself (from a loaded
/// model too, through <c>FromModel</c>).
/// </para>
/// <para>
/// <see cref="BackpropTrainer"/> is an <see cref="IEstimator{TTransformer}"/> but not an <c>ITrainerEstimator</c>:
/// that interface requires a <c>TrainerInfo</c>, whose constructor ML.NET keeps internal.
/// </para>
/// <para>
/// Features of another size than in training are refused when the schema is checked (<see cref="GetOutputSchema"/>),
/// in ML.NET's words. A model loaded with <c>MLContext.Model.Load</c> can refuse them only row by row, while its
/// cursor runs: its chain of ML.NET's transforms declares no vector size (a reloaded custom mapping has no schema
/// definition, and ML.NET's fitted transforms, a min-max normalizer among them, do not check the size in
/// <c>GetOutputSchema</c>); <c>FromModel</c> gives back a transformer that checks it with the schema.
/// </para>
/// </remarks>
public sealed class BackpropTransformer : ISingleFeaturePredictionTransformer<NetworkParameters>
{
    private readonly ITransformer _scorer;
    // The chain a save writes, with the network's text: built at the first save, once (the network no longer changes).
    private readonly Lazy<ITransformer> _persisted;
    private readonly int _inputSize;
    private readonly string[]? _slotNames;

    internal BackpropTransformer(BackpropTask task, string featureColumnName, int inputSize, string[]? slotNames,
        NetworkParameters model, IReadOnlyList<EpochReport> history, TrainingSummary summary, ITransformer scorer, Func<ITransformer> persisted,
        Network.Training.ResumeState? resumeState)
    {
        ResumeState = resumeState;
        _persisted = new Lazy<ITransformer>(persisted);
        Task = task;
        FeatureColumnName = featureColumnName;
        _inputSize = inputSize;
        _slotNames = slotNames;
        Model = model;
        History = history;
        Summary = summary;
        _scorer = scorer;
    }

    /// <summary>The task the network was trained for.</summary>
    public BackpropTask Task { get; }

    /// <summary>The feature column the network reads.</summary>
    public string FeatureColumnName { get; }

    /// <summary>The feature column's type: a vector of Single of the size the network was trained on.</summary>
    public DataViewType FeatureColumnType => new VectorDataViewType(NumberDataViewType.Single, _inputSize);

    /// <summary>The trained network's layer sizes, weights and biases.</summary>
    public NetworkParameters Model { get; }

    /// <summary>
    /// One entry per training epoch: costs and accuracies on the training and validation data, learning rate and elapsed
    /// time. A model trained on from another (warm start) carries that model's epochs first.
    /// </summary>
    public IReadOnlyList<EpochReport> History { get; }

    /// <summary>How training ended: epochs run, early stopping, the best validation epoch and cost.</summary>
    public TrainingSummary Summary { get; }

    /// <summary>
    /// The trainer's part of <paramref name="model"/>, as a <see cref="BackpropTransformer"/>: a fitted pipeline that
    /// contains one, or a model from <c>MLContext.Model.Load</c> that was saved with one (which loads as a chain of
    /// ML.NET's own transforms). What it returns has the saved <see cref="Model"/> (bit for bit), <see cref="History"/>
    /// and <see cref="Summary"/>, scores as the model does, and serves permutation feature importance and warm starts
    /// (<see cref="BackpropTrainer.Fit(IDataView, IDataView?, BackpropTransformer)"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// The model holds no network, or more than one (take the pipeline apart first), or was saved by a version of
    /// MlNetBackprop that did not store the training record.
    /// </exception>
    /// <example>
    /// <code>
    /// var loaded = ml.Model.Load("model.zip", out var schema);
    /// var network = BackpropTransformer.FromModel(loaded);
    /// Console.WriteLine($"{network.Model.LayerSizes.Count} layers, {network.History.Count} epochs");
    /// </code>
    /// </example>
    public static BackpropTransformer FromModel(ITransformer model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var found = MlNet.Persistence.SavedNetworks.In(model);
        return found.Count switch
        {
            1 => found[0],
            0 => throw new InvalidOperationException(
                $"The model ({model.GetType().Name}) holds no network trained by BackpropTrainer: pass the model that Fit returned, or that MLContext.Model.Load loaded from a model saved with one."),
            _ => throw new InvalidOperationException(
                $"The model holds {found.Count} networks trained by BackpropTrainer; FromModel returns one: pass the part of the pipeline that holds the one you want."),
        };
    }

    /// <summary>
    /// Score's slot names: multiclass, the class names in key order; multi-output regression and multi-label, the label's
    /// slot names; null otherwise.
    /// </summary>
    internal IReadOnlyList<string>? SlotNames => _slotNames;

    /// <summary>
    /// Where training stopped, for a warm start that trains on as if it had not: kept only when the trainer's options
    /// asked for it (<see cref="BackpropTrainer.Options.KeepTrainingState"/>); null otherwise.
    /// </summary>
    internal Network.Training.ResumeState? ResumeState { get; }

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
    void ICanSaveModel.Save(ModelSaveContext ctx) => ((ICanSaveModel)_persisted.Value).Save(ctx);

    private void CheckInput(DataViewSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        SchemaChecks.CheckFeatures(schema, FeatureColumnName, _inputSize);
        MlNet.Scoring.ScoringColumns.CheckNoneUsed(schema.Where(c => !c.IsHidden).Select(c => c.Name));
    }
}
