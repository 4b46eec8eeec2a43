using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MlNetBackprop.MlNet.Data;
using MlNetBackprop.MlNet.Fitting;
using MlNetBackprop.MlNet.Persistence;
using MlNetBackprop.MlNet.Scoring;
using MlNetBackprop.Network;
using MlNetBackprop.Network.Storage;
using MlNetBackprop.Network.Targets;
using MlNetBackprop.Network.Training;

namespace MlNetBackprop;

/// <summary>
/// Trains a multilayer perceptron by backpropagation and mini-batch stochastic gradient descent, as in Michael
/// Nielsen's "Neural Networks and Deep Learning" (chapters 1–3).
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>Characteristic</term><description>Value</description></listheader>
/// <item><term>Machine learning tasks</term><description>Multiclass classification (key label), binary classification
/// (Boolean label), regression (Single or Double label)</description></item>
/// <item><term>Is normalization required?</term><description>No for dense rows held in memory, which it standardizes
/// itself (<see cref="Options.StandardizeFeatures"/>); yes, NormalizeMinMax or NormalizeMeanVariance, for sparse rows, data
/// streamed beyond the memory budget, and the Nielsen presets</description></item>
/// <item><term>Is caching required?</term><description>No: the training data is read once into memory (or streamed
/// when it exceeds <see cref="Options.MemoryBudgetMegabytes"/>)</description></item>
/// <item><term>Required NuGet in addition to Microsoft.ML</term><description>MlNetBackprop</description></item>
/// <item><term>Exportable to ONNX</term><description>Yes, with <c>mlContext.Model.ExportToOnnx</c> (this package's;
/// ML.NET's <c>ConvertToOnnx</c> cannot export it)</description></item>
/// <item><term>Input columns</term><description>Label; Features (known-size vector of Single, dense or sparse); optional example weight (Single)</description></item>
/// <item><term>Output columns</term><description>Multiclass: Score (vector of class probabilities, slot names = classes),
/// PredictedLabel (key with the label's values). Binary: Score (raw), Probability, PredictedLabel (Boolean).
/// Regression: Score.</description></item>
/// </list>
/// The network computes zˡ = wˡaˡ⁻¹ + bˡ and aˡ = σ(zˡ) layer by layer; training backpropagates the output error through
/// the four equations BP1–BP4 over each mini-batch and takes a gradient step with optional L2 weight decay.
/// The fitted transformer is saved with <c>MLContext.Model.Save</c> and loads back with <c>MLContext.Model.Load</c>.
/// <para>
/// Sparse features (FeaturizeText, ProduceNgrams, OneHotHashEncoding, one-hot encodings of wide categoricals) stay
/// sparse: when most rows come as sparse vectors whose non-zeros take less room than dense rows would, the rows are held
/// in compressed form and the first layer reads them at the cost of their non-zeros. Its forward pass and BP4 reach only
/// the weights of the inputs present in a mini-batch; plain SGD's L2 weight decay still reaches every weight every step
/// (it is deferred in one scale factor), so the network trained is the one dense rows of the same data train. Momentum
/// and Adam move only the weights of inputs present in the batch, and only those weights' velocities or moments change:
/// the lazy rule of TensorFlow's LazyAdam and PyTorch's SparseAdam. Dense rows stay dense.
/// </para>
/// </remarks>
public sealed partial class BackpropTrainer : IEstimator<BackpropTransformer>
{
    /// <summary>The seed used when neither the options nor an MLContext provide one.</summary>
    public const int DefaultSeed = 42;

    /// <summary>The default number of epochs (at most: the automatic early stopping usually ends training sooner).</summary>
    public const int DefaultEpochs = 200;

    /// <summary>The default mini-batch size.</summary>
    public const int DefaultBatchSize = 64;

    /// <summary>The default learning rate of <see cref="Solver.Adam"/>.</summary>
    public const double DefaultAdamLearningRate = 0.001;

    /// <summary>
    /// With <see cref="Options.EarlyStopping"/> null, early stopping is chosen below this many training rows (and above
    /// it when the network has more weights than there are rows).
    /// </summary>
    public const int AutomaticEarlyStoppingRows = 10_000;

    /// <summary>
    /// The bins of the piecewise-linear encoding that <c>Fit</c> tries beside the plain network when
    /// <see cref="Options.PiecewiseLinearBins"/> is null (as many as the defaults benchmark's tables took; fewer where a
    /// feature takes fewer values).
    /// </summary>
    public const int AutomaticPiecewiseLinearBins = 64;

    /// <summary>
    /// The patience of that encoded network's early stopping, in epochs, when <see cref="Options.IterationsWithoutImprovement"/>
    /// is lower: its wider first layer learns more slowly, and its validation cost falls in steps.
    /// </summary>
    public const int AutomaticEncodingPatience = 50;

    /// <summary>The label smoothing ε of multiclass classification when <see cref="Options.LabelSmoothing"/> is null.</summary>
    public const double AutomaticLabelSmoothing = 0.1;

    /// <summary>The widest encoded input (features plus bins) that <c>Fit</c> tries on its own.</summary>
    public const int AutomaticEncodingMostInputs = 4096;

    /// <summary>
    /// The fewest validation rows on which <c>Fit</c> compares the encoded network with the plain one: both networks'
    /// validation costs are those of the epochs early stopping picked on the same rows, and on fewer rows that choice
    /// flatters the network of more parameters and epochs by more than a standard error shows.
    /// </summary>
    public const int AutomaticEncodingLeastValidationRows = 50;

    private readonly IHostEnvironment? _env;
    private readonly Options _options;

    /// <summary>Creates a trainer with default options.</summary>
    public BackpropTrainer() : this((IHostEnvironment?)null, new Options())
    {
    }

    /// <summary>Creates a trainer with the given options.</summary>
    public BackpropTrainer(Options options) : this((IHostEnvironment?)null, options)
    {
    }

    /// <summary>Creates a trainer that logs to <paramref name="mlContext"/>'s Log and takes its seed from it unless the options set one.</summary>
    public BackpropTrainer(MLContext mlContext, Options? options = null)
        : this((IHostEnvironment)(mlContext ?? throw new ArgumentNullException(nameof(mlContext))), options ?? new Options())
    {
    }

    /// <summary>The constructor behind all others; a catalog passes the task it stands for.</summary>
    internal BackpropTrainer(IHostEnvironment? env, Options options, BackpropTask? catalogTask = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _env = env;
        _options = options.Clone();
        if (catalogTask is BackpropTask task)
            _options.Task = task;
        _options.Validate();
    }

    /// <summary>
    /// The default learning rate of plain SGD for the task and cost (see <see cref="Options.LearningRate"/>): 0.05 for
    /// regression, 3.0 for quadratic-cost classification (chapter 1), 0.5 for cross-entropy classification (chapter 3).
    /// Adam's is <see cref="DefaultAdamLearningRate"/>.
    /// </summary>
    public static double DefaultLearningRate(BackpropTask task, CostFunction cost) => task switch
    {
        BackpropTask.Auto => throw new ArgumentOutOfRangeException(nameof(task), task, "The default learning rate depends on the resolved task: pass the task the label resolves to, not Auto."),
        BackpropTask.Regression or BackpropTask.MultiOutputRegression => 0.05,
        _ when cost == CostFunction.Quadratic => 3.0,
        _ => 0.5,
    };

    /// <summary>The schema the fitted transformer will produce for inputs of the given shape.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SchemaChecks.CheckFeatures(inputSchema, _options.FeatureColumnName);
        var task = SchemaChecks.ResolveTask(inputSchema, _options.LabelColumnName, _options.Task);
        SchemaChecks.CheckWeight(inputSchema, _options.ExampleWeightColumnName);
        ScoringColumns.CheckNoneUsed(inputSchema.Select(c => c.Name));

        // The promise comes from the very chain Fit builds, with stand-in contents: one source of truth for the schema.
        // (No direct route exists: SchemaShape.Column's constructor is internal, so a schema shape can only come from an
        // ML.NET estimator's GetOutputSchema.)
        string[]? classes = null;
        DataViewSchema.Annotations? annotations = null;
        if (OutputPairing.HasSeveralOutputs(task))
            classes = ["BackpropSlotA", "BackpropSlotB"]; // a vector's size is not in a schema shape: any will do
        if (task == BackpropTask.MulticlassClassification)
        {
            classes = ["BackpropClassA", "BackpropClassB"];
            var label = inputSchema.First(c => c.Name == _options.LabelColumnName);
            var keyValues = label.Annotations.FirstOrDefault(c => c.Name == AnnotationNames.KeyValues);
            annotations = keyValues.Name is null ? null : LabelClasses.StandInKeyValues(keyValues.ItemType, classes.Length);
        }
        return MlNet.Scoring.ScoringChain.Create(new MLContext(), task, _options.FeatureColumnName, SavedRecords.InMemory, classes, annotations)
            .GetOutputSchema(inputSchema);
    }

    /// <summary>Trains the network on <paramref name="input"/> and returns the transformer that scores with it.</summary>
    public BackpropTransformer Fit(IDataView input) => Fit(input, null);

    /// <summary>
    /// Trains the network on <paramref name="trainData"/> and, after every epoch, measures the cost and accuracy on
    /// <paramref name="validationData"/> (Nielsen's monitor_evaluation_cost and monitor_evaluation_accuracy), keeping
    /// them in <see cref="BackpropTransformer.History"/> beside the training cost and accuracy. The validation data
    /// must have the training data's columns; it influences training only through early stopping.
    /// </summary>
    public BackpropTransformer Fit(IDataView trainData, IDataView? validationData) => FitCore(trainData, validationData, null);

    /// <summary>
    /// Continues training <paramref name="initialModel"/> (scikit-learn's warm_start): the network starts from its weights
    /// (and its feature standardization) instead of new random ones, and the history goes on from its last epoch. The
    /// layers, activations, cost, task and classes must be those of this trainer's options and data. The update rule's
    /// state (momentum's velocities, Adam's moments) goes on where the model was trained with
    /// <see cref="Options.KeepTrainingState"/> and the same rule, so that training continues bit for bit; otherwise it
    /// starts afresh.
    /// </summary>
    public BackpropTransformer Fit(IDataView trainData, IDataView? validationData, BackpropTransformer initialModel)
        => FitCore(trainData, validationData, initialModel ?? throw new ArgumentNullException(nameof(initialModel)));

    private BackpropTransformer FitCore(IDataView trainData, IDataView? validationData, BackpropTransformer? initial)
    {
        ArgumentNullException.ThrowIfNull(trainData);
        var plan = TrainingPlan.Create(_options, trainData.Schema);
        bool sparse = TrainingData.HeldSparse(plan, trainData);
        if (initial is not null)
            plan.CheckWarmStart(initial, sparse);

        var host = _env?.Register(nameof(BackpropTrainer));
        int seed = _options.Seed ?? host?.Rand.Next() ?? DefaultSeed;
        using var channel = host?.Start("Training");
        // While the rows are read on this thread, a second one has the JIT compile the training code, then builds the
        // scoring chain (which is given the network once it is trained): both are a cold Fit's, neither needs the rows,
        // and both are done before training begins, so that they do not take a core from it.
        var source = new NetworkSource();
        var prepared = Task.Run(() =>
        {
            CodeWarmup.Run<float>(plan.LayoutFor(sparse), plan.Settings(0, 1), plan.HasExampleWeights, trainData.GetRowCount(),
                _options.CancellationToken);
            return ScoringChain(plan, trainData, source);
        });
        try
        {
            return Train(plan, trainData, validationData, initial, seed, sparse, source, prepared, channel);
        }
        catch
        {
            // Training failed: let the preparation finish before the caller goes on, its own errors aside.
            try { prepared.Wait(); } catch (AggregateException) { }
            throw;
        }
    }

    private static BackpropTransformer Train(TrainingPlan plan, IDataView trainData, IDataView? validationData, BackpropTransformer? initial, int seed,
        bool sparse, NetworkSource source, Task<ITransformer> prepared, IChannel? channel)
    {
        using var data = TrainingData.Read(plan, trainData, validationData, initial?.Model.Standardization, sparse,
            initial is null && !sparse ? plan.FeatureStatisticsFor(plan.InputSize) : null, channel);
        // Sparse rows of few used columns (one-hot categories) are made dense in front of the network.
        var selected = initial is null && data.SparseInputs ? data.SelectColumns(TrainingPlan.MostSelectedColumns, plan.FeatureStatisticsFor) : null;

        var random = new Random(seed);
        var network = plan.CreateNetwork(random, initial?.Model, data.SparseInputs, selected, data.Features);
        int rows = data.Batches.Rows;
        // Choosing the encoding needs a validation split: early stopping, when left to the data, is then on at any size.
        bool choosing = plan.ChoosesEncoding(initial is not null, selected, data.Features);
        data.SplitForEarlyStopping(plan, random, channel, choosing);
        var settings = plan.Settings(random.Next(), initial?.History.Count + 1 ?? 1, rows, choosing);
        TrainingLog.Start(channel, plan, settings, data.Batches.Rows, data.Validation?.Rows, seed, initial?.History.Count, plan.Standardizes(sparse, selected?.Length ?? 0));
        var scorer = prepared.GetAwaiter().GetResult();
        var outcome = TrainingRun.Run(plan, network, data, settings, channel, Resumable(initial?.ResumeState, settings, network));
        // With the encoding left to validation, a second network with it trains on the same split and replaces the plain
        // one only when its validation cost is lower by more than one standard error (ModelSelection).
        if (initial is null && data.Validation is { Rows: >= AutomaticEncodingLeastValidationRows } && plan.CreateEncodedCandidate(random, selected, data.Features) is { } encoded)
        {
            var encodedSettings = plan.EncodedCandidateSettings(random.Next(), rows, choosing);
            TrainingLog.Start(channel, plan, encodedSettings, data.Batches.Rows, data.Validation.Rows, seed, null, true, encoded.Layout);
            var encodedOutcome = TrainingRun.Run(plan, encoded, data, encodedSettings, channel, null);
            var (keepEncoded, plainCost, encodedCost) = ModelSelection.Compare(network, encoded, data.Validation);
            TrainingLog.Chose(channel, network.Layout, plainCost, encoded.Layout, encodedCost, keepEncoded);
            if (keepEncoded) (network, outcome) = (encoded, encodedOutcome);
        }
        source.Fix(new Predictor(network, data.Standardization));
        return Transformer(plan, network, data.Standardization, scorer, initial, outcome);
    }

    /// <summary>
    /// The loop state a warm start resumes from: the saved one when its update rule's state fits these options' rule
    /// (the same solver, momentum or not), otherwise none, and the rule starts afresh.
    /// </summary>
    private static ResumeState? Resumable(ResumeState? saved, SgdSettings settings, FeedForwardNetwork<float> network)
        => saved is not null && saved.Optimizer.Blocks.Length == settings.Optimizer.StateBlocks(network.Parameters.Count) ? saved : null;

    /// <summary>The in-memory scoring chain: the trained network, through <paramref name="source"/>, and no text of it.</summary>
    private static ITransformer ScoringChain(TrainingPlan plan, IDataView input, NetworkSource source)
        => MlNet.Scoring.ScoringChain.Create(new MLContext(), plan.Task, plan.Options.FeatureColumnName, SavedRecords.InMemory, plan.SlotNames,
            LabelAnnotations(plan), source).Fit(input);

    private static DataViewSchema.Annotations? LabelAnnotations(TrainingPlan plan)
        => plan.Task == BackpropTask.MulticlassClassification ? LabelClasses.KeyValuesOf(plan.Label) : null;

    /// <summary>
    /// The fitted transformer: the trained network, its in-memory scoring chain and how training went, and, when the
    /// options keep it, the update rule's state. The chain a save writes carries the records, made only then.
    /// </summary>
    private static BackpropTransformer Transformer(TrainingPlan plan, FeedForwardNetwork<float> network, LabelStandardization standardization,
        ITransformer scorer, BackpropTransformer? initial, TrainingOutcome outcome)
    {
        var (task, features, slotNames, inputSize, annotations) = (plan.Task, plan.Options.FeatureColumnName, plan.SlotNames, plan.InputSize, LabelAnnotations(plan));
        var reports = (initial?.History ?? []).Concat(outcome.History.Select(EpochReport.From)).ToArray();
        var summary = new TrainingSummary
        {
            EpochsRun = outcome.History.Count,
            StoppedEarly = outcome.StoppedEarly,
            BestEpoch = outcome.BestEpoch,
            BestValidationLoss = outcome.BestEpoch is int best ? outcome.History.Single(h => h.Epoch == best).ValidationLoss : null,
            RestoredBestWeights = outcome.RestoredBestWeights,
        };
        var resume = plan.Options.KeepTrainingState ? outcome.Resume : null;
        // The saved chain carries the network, the training record that FromModel gives back after loading, and the resume
        // state when it was kept: each a record of its own, written from the live objects at the first save.
        var record = new TrainingRecord(task, features, inputSize, slotNames, reports, summary);
        ITransformer Persisted() => MlNet.Scoring.ScoringChain.Create(new MLContext(), task, features,
                new SavedRecords(NetworkRecord.ToText(network, standardization), record.ToText(), resume is null ? null : ResumeRecord.ToText(resume)),
                slotNames, annotations)
            .Fit(MlNet.Scoring.ScoringChain.SchemaOnly(features, inputSize));
        return new BackpropTransformer(plan.Task, plan.Options.FeatureColumnName, plan.InputSize, plan.SlotNames,
            new NetworkParameters(network, standardization), reports, summary, scorer, Persisted, resume);
    }
}
