using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MlNetBackprop.MlNet;
using MlNetBackprop.MlNet.Data;
using MlNetBackprop.MlNet.Persistence;
using MlNetBackprop.Network;
using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Costs;
using MlNetBackprop.Network.Optimizers;
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
/// <item><term>Is normalization required?</term><description>Yes: use NormalizeMinMax or NormalizeMeanVariance on the features</description></item>
/// <item><term>Is caching required?</term><description>No: the training data is read once into memory</description></item>
/// <item><term>Input columns</term><description>Label; Features (known-size vector of Single); optional example weight (Single)</description></item>
/// <item><term>Output columns</term><description>Multiclass: Score (vector of class probabilities, slot names = classes),
/// PredictedLabel (key with the label's values). Binary: Score (raw), Probability, PredictedLabel (Boolean).
/// Regression: Score.</description></item>
/// </list>
/// The network computes zˡ = wˡaˡ⁻¹ + bˡ and aˡ = σ(zˡ) layer by layer; training backpropagates the output error through
/// the four equations BP1–BP4 over each mini-batch and takes a gradient step with optional L2 weight decay.
/// The fitted transformer is saved with <c>MLContext.Model.Save</c> and loads back with <c>MLContext.Model.Load</c>.
/// </remarks>
public sealed partial class BackpropTrainer : IEstimator<BackpropTransformer>
{
    /// <summary>The seed used when neither the options nor an MLContext provide one.</summary>
    public const int DefaultSeed = 42;

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

    /// <summary>The schema the fitted transformer will produce for inputs of the given shape.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SchemaChecks.CheckFeatures(inputSchema, _options.FeatureColumnName);
        var task = SchemaChecks.ResolveTask(inputSchema, _options.LabelColumnName, _options.Task);
        SchemaChecks.CheckWeight(inputSchema, _options.ExampleWeightColumnName);

        // The promise comes from the very chain Fit builds, with stand-in contents: one source of truth for the schema.
        string[]? classes = null;
        DataViewSchema.Annotations? annotations = null;
        if (task == BackpropTask.MulticlassClassification)
        {
            classes = ["BackpropClassA", "BackpropClassB"];
            var label = inputSchema.First(c => c.Name == _options.LabelColumnName);
            var keyValues = label.Annotations.FirstOrDefault(c => c.Name == AnnotationNames.KeyValues);
            annotations = keyValues.Name is null ? null : LabelClasses.StandInKeyValues(keyValues.ItemType, classes.Length);
        }
        return ScoringPipeline.Create(new MLContext(), task, _options.FeatureColumnName, string.Empty, classes, annotations)
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
    /// instead of new random ones, and the history goes on from its last epoch. The layer sizes, activation, cost and task
    /// must be those of this trainer's options and data. Optimizer state (momentum, Adam's moments) starts afresh.
    /// </summary>
    public BackpropTransformer Fit(IDataView trainData, IDataView? validationData, BackpropTransformer initialModel)
        => FitCore(trainData, validationData, initialModel ?? throw new ArgumentNullException(nameof(initialModel)));

    private BackpropTransformer FitCore(IDataView trainData, IDataView? validationData, BackpropTransformer? initial)
    {
        var input = trainData ?? throw new ArgumentNullException(nameof(trainData));
        var schema = input.Schema;
        int inputSize = SchemaChecks.CheckFeatures(schema, _options.FeatureColumnName);
        var task = SchemaChecks.ResolveTask(schema, _options.LabelColumnName, _options.Task);
        SchemaChecks.CheckWeight(schema, _options.ExampleWeightColumnName);
        var labelColumn = schema[_options.LabelColumnName];

        int outputs = 1;
        string[]? classNames = null;
        if (task == BackpropTask.MulticlassClassification)
        {
            ulong count = ((KeyDataViewType)labelColumn.Type).Count;
            if (count < 2 || count > MulticlassScores.MaxClasses)
                throw new ArgumentOutOfRangeException(nameof(trainData),
                    $"Label column '{_options.LabelColumnName}' has {count} classes; BackpropTrainer supports 2 to {MulticlassScores.MaxClasses}.");
            outputs = (int)count;
            classNames = LabelClasses.ClassNames(labelColumn, outputs);
            foreach (string name in classNames)
                if (schema.GetColumnOrNull(name) is not null)
                    throw new InvalidOperationException(
                        $"The class '{name}' of label column '{_options.LabelColumnName}' has the same name as an input column. " +
                        "Score's slots are named after the classes, which briefly needs columns of those names: rename the column.");
        }
        if (_options.Cost == CostFunction.CrossEntropy && task == BackpropTask.Regression)
            throw new ArgumentOutOfRangeException(nameof(Options.Cost),
                "Cost CrossEntropy is not defined for regression: use Quadratic (or leave Cost null).");
        int classCount = task == BackpropTask.MulticlassClassification ? outputs : 2;
        if (_options.ClassWeights is { } explicitWeights && task != BackpropTask.Regression && explicitWeights.Length != classCount)
            throw new ArgumentOutOfRangeException(nameof(Options.ClassWeights),
                $"Option ClassWeights has {explicitWeights.Length} weights but label column '{_options.LabelColumnName}' has {classCount} classes: give one weight per class, in key order.");
        if ((_options.ClassWeights is not null || _options.ClassWeighting != ClassWeighting.None) && task == BackpropTask.Regression)
            throw new ArgumentOutOfRangeException(nameof(Options.ClassWeighting), "Class weights apply to classification, not regression.");

        var layout = Layout(task, inputSize, outputs);
        if (initial is not null)
            CheckWarmStart(initial, task, layout);

        var host = _env?.Register(nameof(BackpropTrainer));
        int seed = _options.Seed ?? host?.Rand.Next() ?? DefaultSeed;
        using var channel = host?.Start("Training");

        (float, float)? labelScaling = initial is null ? null : (initial.Model.OutputOffset, initial.Model.OutputScale);
        var training = Prepare(input, task, inputSize, outputs, classCount, classNames, labelScaling, channel);
        TrainingSet<float>? validationSet = null;
        if (validationData is not null)
        {
            CheckValidationSchema(validationData.Schema, inputSize, task, labelColumn);
            var validation = TrainingDataReader.Read(validationData, _options.FeatureColumnName, _options.LabelColumnName,
                _options.ExampleWeightColumnName, task, inputSize, outputs, _options.CancellationToken,
                (training.LabelMean, training.LabelStandardDeviation));
            if (validation.Set.Rows == 0)
                throw new InvalidOperationException($"The validation data has no usable rows (of {validation.RowsRead} read).");
            validationSet = validation.Set;
        }

        var random = new Random(seed);
        var network = new FeedForwardNetwork<float>(layout);
        network.InitializeWeights(random, (InitializationKind)_options.WeightInitialization);
        if (initial is not null)
            network.CopyParametersFrom(initial.Model.Network);
        var batches = training.Batches;
        if (_options.EarlyStopping && validationSet is null)
        {
            if (training.InMemory is not { } trainSet)
                throw new InvalidOperationException(
                    "Early stopping needs validation data, and training data streamed beyond MemoryBudgetMegabytes cannot be split: pass validation data to Fit.");
            if (trainSet.Rows < 2)
                throw new InvalidOperationException("Early stopping needs validation data, and the training data is too small to set some aside: pass validation data to Fit.");
            (trainSet, validationSet) = trainSet.Split(_options.ValidationFraction, random.Next());
            batches = new InMemoryBatches<float>(trainSet);
            Log(channel, $"Early stopping: set aside {validationSet.Rows} of {training.Batches.Rows} training rows for validation" +
                $"{(task == BackpropTask.Regression ? "" : ", stratified by class")}.");
        }

        var cost = _options.Cost ?? (task == BackpropTask.Regression ? CostFunction.Quadratic : CostFunction.CrossEntropy);
        double learningRate = _options.LearningRate ?? DefaultLearningRate(task, cost);
        var settings = Settings(learningRate, random.Next(), initial?.History.Count + 1 ?? 1);
        Log(channel, $"Training a {string.Join("-", layout.Sizes)} network ({layout.Hidden} hidden, {layout.Output} output, " +
            $"{layout.Cost} cost, {_options.Solver}{(_options.Momentum > 0 ? $" with momentum {_options.Momentum}" : "")}) on {batches.Rows} rows: " +
            $"{settings.Epochs} epochs, batch {settings.BatchSize}, η = {settings.LearningRate}, λ = {settings.L2Regularization}, seed {seed}" +
            $"{(validationSet is null ? "" : $", validation on {validationSet.Rows} rows")}{(initial is null ? "" : $", continuing from epoch {initial.History.Count}")}.");

        TrainingOutcome outcome;
        try
        {
            int rows = batches.Rows;
            var batchProgress = _options.BatchProgress;
            outcome = new MiniBatchSgd<float>(settings).Train(network, batches, validationSet,
                onEpoch: e =>
                {
                    Log(channel, Describe(e, settings.FirstEpoch + settings.Epochs - 1));
                    _options.Progress?.Report(Report(e));
                },
                onProgress: batchProgress is null ? null : (epoch, done, loss) => batchProgress.Report(new TrainingProgress
                {
                    Epoch = epoch, Epochs = settings.FirstEpoch + settings.Epochs - 1, ExamplesDone = done, ExamplesPerEpoch = rows, RunningLoss = loss,
                }));
        }
        catch (TrainingDivergedException e)
        {
            throw new InvalidOperationException(
                $"Training diverged in epoch {e.Epoch}: the cost or the weights became NaN or infinite. " +
                $"Lower the LearningRate (now {learningRate.ToString(CultureInfo.InvariantCulture)}) or normalize the features " +
                "(e.g. with NormalizeMinMax or NormalizeMeanVariance).", e);
        }
        finally
        {
            (training.Batches as IDisposable)?.Dispose();
        }
        if (outcome.StoppedEarly)
            Log(channel, $"Stopped after epoch {outcome.History[^1].Epoch}: the monitored cost had not improved by {_options.Tolerance} " +
                $"for {_options.IterationsWithoutImprovement} epochs{(outcome.RestoredBestWeights ? $"; restored the weights of epoch {outcome.BestEpoch}" : "")}.");

        float scale = task == BackpropTask.Regression ? training.LabelStandardDeviation : 1f;
        float offset = task == BackpropTask.Regression ? training.LabelMean : 0f;
        string text = NetworkSerializer.ToText(network, scale, offset);
        var annotations = task == BackpropTask.MulticlassClassification ? LabelClasses.KeyValuesOf(labelColumn) : null;
        var scorer = ScoringPipeline.Create(new MLContext(), task, _options.FeatureColumnName, text, classNames, annotations).Fit(input);

        var reports = (initial?.History ?? []).Concat(outcome.History.Select(Report)).ToArray();
        var summary = new TrainingSummary
        {
            EpochsRun = outcome.History.Count,
            StoppedEarly = outcome.StoppedEarly,
            BestEpoch = outcome.BestEpoch,
            BestValidationLoss = outcome.BestEpoch is int best ? outcome.History.Single(h => h.Epoch == best).ValidationLoss : null,
            RestoredBestWeights = outcome.RestoredBestWeights,
        };
        return new BackpropTransformer(task, _options.FeatureColumnName, inputSize, classNames,
            new NetworkParameters(network, scale, offset), reports, summary, scorer);
    }

    /// <summary>The training examples, in memory or streamed, with what reading them found.</summary>
    private sealed record PreparedData(IBatchSource<float> Batches, TrainingSet<float>? InMemory, float LabelMean, float LabelStandardDeviation);

    /// <summary>
    /// Reads the training data into memory, or, when it would take more than <see cref="Options.MemoryBudgetMegabytes"/>,
    /// scans it once for its statistics and streams it every epoch through a shuffle buffer of half the budget.
    /// </summary>
    private PreparedData Prepare(IDataView input, BackpropTask task, int inputSize, int outputs, int classCount, string[]? classNames,
        (float Mean, float StandardDeviation)? labelScaling, IChannel? channel)
    {
        long budget = (long)_options.MemoryBudgetMegabytes << 20;
        long bytesPerRow = 4L * (inputSize + outputs + 2);
        long? knownRows = input.GetRowCount();
        DataScan? scan = null;
        if (knownRows is null)
            scan = DataScan.Run(input, _options.FeatureColumnName, _options.LabelColumnName, _options.ExampleWeightColumnName,
                task, inputSize, outputs, _options.CancellationToken);
        long rowsEstimate = knownRows ?? scan!.Rows;
        if (rowsEstimate * bytesPerRow <= budget)
        {
            var data = TrainingDataReader.Read(input, _options.FeatureColumnName, _options.LabelColumnName,
                _options.ExampleWeightColumnName, task, inputSize, outputs, _options.CancellationToken, labelScaling, scan?.RowsRead);
            CheckTrainingData(data.RowsRead, data.Set.Rows, data.ClassCounts, task, classNames);
            LogSkipped(channel, data.RowsRead, data.SkippedBadFeatures, data.SkippedMissingLabel, data.SkippedBadWeight);
            var set = WithClassWeights(data.Set, task, classCount, data.ClassCounts);
            return new PreparedData(new InMemoryBatches<float>(set), set, data.LabelMean, data.LabelStandardDeviation);
        }

        scan ??= DataScan.Run(input, _options.FeatureColumnName, _options.LabelColumnName, _options.ExampleWeightColumnName,
            task, inputSize, outputs, _options.CancellationToken);
        if (labelScaling is var (mean, deviation))
            scan = scan with { LabelMean = mean, LabelStandardDeviation = deviation };
        CheckTrainingData(scan.RowsRead, scan.Rows, scan.ClassCounts, task, classNames);
        LogSkipped(channel, scan.RowsRead, scan.SkippedBadFeatures, scan.SkippedMissingLabel, scan.SkippedBadWeight);
        int bufferRows = (int)Math.Clamp(budget / 2 / bytesPerRow, _options.BatchSize, int.MaxValue);
        var source = new StreamingBatchSource(input, _options.FeatureColumnName, _options.LabelColumnName, _options.ExampleWeightColumnName,
            task, inputSize, outputs, scan, ClassWeightsFor(task, scan.Rows, scan.ClassCounts), bufferRows, _options.CancellationToken);
        Log(channel, $"Streaming the training data: {scan.Rows:N0} rows of {bytesPerRow * scan.Rows / (1 << 20):N0} MB exceed MemoryBudgetMegabytes = " +
            $"{_options.MemoryBudgetMegabytes}; each epoch reads them again through a shuffle buffer of {source.BufferRows:N0} rows.");
        return new PreparedData(source, null, scan.LabelMean, scan.LabelStandardDeviation);
    }

    private static void LogSkipped(IChannel? channel, long read, long badFeatures, long missingLabel, long badWeight)
    {
        long skipped = badFeatures + missingLabel + badWeight;
        if (skipped > 0)
            Log(channel, $"Skipped {skipped} of {read} rows: {badFeatures} with NaN or infinite features, " +
                $"{missingLabel} with a missing label, {badWeight} with a negative or non-finite weight.", warning: true);
    }

    private SgdSettings Settings(double learningRate, int seed, int firstEpoch) => new()
    {
        Epochs = _options.Epochs,
        BatchSize = _options.BatchSize,
        LearningRate = learningRate,
        L2Regularization = _options.L2Regularization,
        Optimizer = new OptimizerSettings
        {
            Kind = _options.Solver == Solver.Adam ? OptimizerKind.Adam : _options.Momentum > 0 ? OptimizerKind.Momentum : OptimizerKind.Sgd,
            Momentum = _options.Momentum,
            Nesterov = _options.NesterovMomentum,
            Beta1 = _options.Beta1,
            Beta2 = _options.Beta2,
            Epsilon = _options.Epsilon,
        },
        Schedule = (ScheduleKind)_options.LearningRateSchedule,
        PowerT = _options.PowerT,
        Dropout = _options.DropoutRate,
        EarlyStopping = _options.EarlyStopping,
        RestoreBestWeights = _options.RestoreBestWeights,
        Patience = _options.IterationsWithoutImprovement,
        Tolerance = _options.Tolerance,
        Seed = seed,
        Threads = _options.NumberOfThreads ?? Environment.ProcessorCount,
        FirstEpoch = firstEpoch,
        CancellationToken = _options.CancellationToken,
    };

    /// <summary>The training set with the class weights of the options folded into its example weights.</summary>
    private TrainingSet<float> WithClassWeights(TrainingSet<float> set, BackpropTask task, int classCount, int[] classCounts)
        => ClassWeightsFor(task, set.Rows, classCounts) is { } weights ? set.WithClassWeights(weights) : set;

    /// <summary>The weight of each class from the options, or null when classes weigh the same.</summary>
    private double[]? ClassWeightsFor(BackpropTask task, int rows, int[] classCounts)
    {
        if (task == BackpropTask.Regression) return null;
        if (_options.ClassWeighting == ClassWeighting.Balanced)
        {
            // scikit-learn's "balanced": n / (K·n_c) over the classes present.
            int present = classCounts.Count(c => c > 0);
            return classCounts.Select(c => c == 0 ? 0.0 : (double)rows / (present * c)).ToArray();
        }
        return _options.ClassWeights?.Select(w => (double)w).ToArray();
    }

    private void CheckWarmStart(BackpropTransformer initial, BackpropTask task, NetworkLayout layout)
    {
        var had = initial.Model.Network.Layout;
        if (initial.Task != task || !had.Sizes.AsSpan().SequenceEqual(layout.Sizes) || had.Hidden != layout.Hidden
            || had.Output != layout.Output || had.Cost != layout.Cost)
            throw new InvalidOperationException(
                $"Cannot continue training the given model: it is a {string.Join("-", had.Sizes)} {had.Hidden}/{had.Output}/{had.Cost} network for " +
                $"{initial.Task}, but these options and data make a {string.Join("-", layout.Sizes)} {layout.Hidden}/{layout.Output}/{layout.Cost} network for {task}. " +
                "Use the options the model was trained with.");
    }


    private NetworkLayout Layout(BackpropTask task, int inputSize, int outputs)
    {
        var sizes = new[] { inputSize }.Concat(_options.HiddenLayerSizes).Append(outputs).ToArray();
        var hidden = _options.Activation switch
        {
            HiddenActivation.Tanh => ActivationKind.Tanh,
            HiddenActivation.Relu => ActivationKind.Relu,
            HiddenActivation.Identity => ActivationKind.Identity,
            _ => ActivationKind.Sigmoid,
        };
        var cost = _options.Cost ?? (task == BackpropTask.Regression ? CostFunction.Quadratic : CostFunction.CrossEntropy);
        return (task, cost) switch
        {
            (BackpropTask.Regression, _) => new NetworkLayout(sizes, hidden, ActivationKind.Identity, CostKind.Quadratic),
            (BackpropTask.MulticlassClassification, CostFunction.CrossEntropy) => new NetworkLayout(sizes, hidden, ActivationKind.Softmax, CostKind.LogLikelihood),
            (_, CostFunction.CrossEntropy) => new NetworkLayout(sizes, hidden, ActivationKind.Sigmoid, CostKind.CrossEntropy),
            _ => new NetworkLayout(sizes, hidden, ActivationKind.Sigmoid, CostKind.Quadratic),
        };
    }

    private void CheckTrainingData(long rowsRead, int rows, int[] classCounts, BackpropTask task, string[]? classNames)
    {
        if (rows == 0)
            throw new InvalidOperationException(rowsRead == 0
                ? "The training data has no rows."
                : $"None of the {rowsRead} training rows can be used: each has NaN or infinite features, a missing label, or a bad weight.");
        if (task == BackpropTask.Regression) return;
        var present = classCounts.Select((count, index) => (count, index)).Where(c => c.count > 0).ToArray();
        if (present.Length < 2)
        {
            string only = task == BackpropTask.BinaryClassification
                ? (present[0].index == 1 ? "true" : "false")
                : classNames![present[0].index];
            throw new InvalidOperationException(
                $"Label column '{_options.LabelColumnName}' has only one class ('{only}') in the training data: a classifier needs examples of at least two.");
        }
    }

    private static EpochReport Report(EpochStatistics e) => new()
    {
        Epoch = e.Epoch, Loss = e.Loss, Accuracy = e.Accuracy, Elapsed = e.Elapsed, LearningRate = e.LearningRate,
        ValidationLoss = e.ValidationLoss, ValidationAccuracy = e.ValidationAccuracy,
    };

    private void CheckValidationSchema(DataViewSchema schema, int inputSize, BackpropTask task, DataViewSchema.Column trainLabel)
    {
        int size = SchemaChecks.CheckFeatures(schema, _options.FeatureColumnName);
        if (size != inputSize)
            throw new ArgumentOutOfRangeException("validationData",
                $"Schema mismatch for feature column '{_options.FeatureColumnName}' of the validation data: expected known-size vector of Single of size {inputSize} (as in the training data), got Vector<Single, {size}>");
        if (SchemaChecks.ResolveTask(schema, _options.LabelColumnName, task) == BackpropTask.MulticlassClassification
            && !schema[_options.LabelColumnName].Type.Equals(trainLabel.Type))
            throw new ArgumentOutOfRangeException("validationData",
                $"Schema mismatch for label column '{_options.LabelColumnName}' of the validation data: expected {trainLabel.Type} (as in the training data), got {schema[_options.LabelColumnName].Type}. Map both with the same fitted MapValueToKey.");
        SchemaChecks.CheckWeight(schema, _options.ExampleWeightColumnName);
    }

    private static void Log(IChannel? channel, string message, bool warning = false)
    {
        // The channel's methods take a format string; the message goes in as an argument so braces stay literal.
        if (warning) channel?.Warning(MessageSensitivity.None, "{0}", message);
        else channel?.Info(MessageSensitivity.None, "{0}", message);
    }

    private static string Describe(EpochStatistics e, int epochs)
    {
        static string Percent(double? value) => value is double v ? v.ToString("P2", CultureInfo.InvariantCulture) : "";
        static string Number(double? value) => value is double v ? v.ToString("G6", CultureInfo.InvariantCulture) : "";
        string accuracy = e.Accuracy is null ? "" : $", accuracy {Percent(e.Accuracy)}";
        string validation = e.ValidationLoss is null ? "" : $"; validation loss {Number(e.ValidationLoss)}" +
            (e.ValidationAccuracy is null ? "" : $", accuracy {Percent(e.ValidationAccuracy)}");
        return $"Epoch {e.Epoch}/{epochs}: loss {Number(e.Loss)}{accuracy}{validation}, " +
               $"{e.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)} s";
    }
}
