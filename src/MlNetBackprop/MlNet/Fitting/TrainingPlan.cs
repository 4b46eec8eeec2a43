using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetBackprop.MlNet.Data;
using MlNetBackprop.MlNet.Scoring;
using MlNetBackprop.Network;
using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Costs;
using MlNetBackprop.Network.Inputs;
using MlNetBackprop.Network.Layers;
using MlNetBackprop.Network.Optimizers;
using MlNetBackprop.Network.Targets;
using MlNetBackprop.Network.Training;

namespace MlNetBackprop.MlNet.Fitting;

/// <summary>
/// What a <c>Fit</c> will train, decided once from the options and the data's schema: the task, the columns, the
/// classes, the network's layers, the learning rate and the engine's settings. Every option default that depends on the
/// data is resolved here, and every check of the options against the task is made here (<see cref="CheckOptions"/>),
/// before anything is read.
/// </summary>
internal sealed partial class TrainingPlan
{
    private readonly int[] _sizes;
    private readonly ActivationKind[] _activations;
    private readonly CostKind _cost;
    // Multi-label's targets: several 0/1 values, not classes.
    private readonly TargetEncoding? _labels;

    private TrainingPlan(BackpropTrainer.Options options, BackpropTask task, int inputSize, DataViewSchema.Column label, string[]? classNames,
        string[]? outputNames, TargetEncoding? classes, TargetEncoding? labels, int[] sizes, ActivationKind[] activations, CostKind cost, double learningRate)
    {
        _labels = labels;
        (Options, Task, InputSize, Label, ClassNames, OutputNames, Classes, LearningRate) = (options, task, inputSize, label, classNames, outputNames, classes, learningRate);
        (_sizes, _activations, _cost) = (sizes, activations, cost);
        Columns = new TrainingColumns(options.FeatureColumnName, options.LabelColumnName, options.ExampleWeightColumnName);
        Layout = LayoutFor(sparse: false);
    }

    /// <summary>The trainer's options (validated).</summary>
    public BackpropTrainer.Options Options { get; }

    /// <summary>The task the label's type resolves to.</summary>
    public BackpropTask Task { get; }

    /// <summary>The columns training reads.</summary>
    public TrainingColumns Columns { get; }

    /// <summary>The feature vector's size.</summary>
    public int InputSize { get; }

    /// <summary>The training data's label column.</summary>
    public DataViewSchema.Column Label { get; }

    /// <summary>Multiclass: the names of Score's slots, one per class, unique.</summary>
    public string[]? ClassNames { get; }

    /// <summary>The values a row's label holds as training keeps it: the vector label's slots, or 1 (a class, a value).</summary>
    public int LabelWidth => OutputNames?.Length ?? 1;

    /// <summary>Multi-output regression and multi-label: the names of the label's slots (Score's slot names), unique.</summary>
    public string[]? OutputNames { get; }

    /// <summary>The names of Score's slots: the classes (multiclass), the targets or the labels; null for one output.</summary>
    public string[]? SlotNames => ClassNames ?? OutputNames;

    /// <summary>
    /// The class targets (one-hot or 0/1), or null for multi-label and regression: regression's encoding needs the
    /// data's statistics (see <see cref="EncodingFor"/>).
    /// </summary>
    public TargetEncoding? Classes { get; }

    /// <summary>The targets training encodes, given regression's <paramref name="standardization"/> of the data.</summary>
    public TargetEncoding EncodingFor(LabelStandardization standardization) => Classes ?? _labels ?? TargetEncoding.Standardized(standardization);

    /// <summary>The number of classes; 0 for regression and multi-label (whose labels are not classes of one label).</summary>
    public int ClassCount => Classes?.ClassCount ?? 0;

    /// <summary>The network to train on dense rows.</summary>
    public NetworkLayout Layout { get; }

    /// <summary>η: the option's, or the default for the task and cost.</summary>
    public double LearningRate { get; }

    /// <summary>
    /// The plan for <paramref name="schema"/>; throws <see cref="ArgumentOutOfRangeException"/> (in ML.NET's words) for a
    /// schema that does not fit, or naming an option that does not fit the data.
    /// </summary>
    public static TrainingPlan Create(BackpropTrainer.Options options, DataViewSchema schema)
    {
        int inputSize = SchemaChecks.CheckFeatures(schema, options.FeatureColumnName);
        var task = SchemaChecks.ResolveTask(schema, options.LabelColumnName, options.Task);
        SchemaChecks.CheckWeight(schema, options.ExampleWeightColumnName);
        ScoringColumns.CheckNoneUsed(schema.Where(c => !c.IsHidden).Select(c => c.Name), "trainData");
        var label = schema[options.LabelColumnName];
        CheckOptions(options, task);

        string[]? classNames = null, outputNames = null;
        TargetEncoding? classes = task switch
        {
            BackpropTask.MulticlassClassification => TargetEncoding.OneHot(CountClasses(label, options.LabelColumnName)),
            BackpropTask.BinaryClassification => TargetEncoding.Binary,
            _ => null,
        };
        int outputs = classes?.Width ?? 1;
        TargetEncoding? labels = null;
        if (OutputPairing.HasSeveralOutputs(task))
        {
            outputs = CountOutputs(label, options.LabelColumnName, task);
            outputNames = LabelSlots.Names(label, outputs);
            if (task == BackpropTask.MultiLabelClassification) labels = TargetEncoding.MultiHot(outputs);
        }
        double smoothing = options.LabelSmoothing ?? (task == BackpropTask.MulticlassClassification ? BackpropTrainer.AutomaticLabelSmoothing : 0);
        if (classes is not null && smoothing > 0) classes = classes.Smoothed(smoothing);
        if (labels is not null && smoothing > 0) labels = labels.Smoothed(smoothing);
        if (task == BackpropTask.MulticlassClassification)
            classNames = LabelClasses.ClassNames(label, classes!.ClassCount);
        if (options.ClassWeights is { } weights && classes is not null && weights.Length != classes.ClassCount)
            throw new ArgumentOutOfRangeException(nameof(BackpropTrainer.Options.ClassWeights),
                $"Option ClassWeights has {weights.Length} weights but label column '{options.LabelColumnName}' has {classes.ClassCount} classes: give one weight per class, in key order.");

        var cost = options.Cost ?? OutputPairing.DefaultCost(task);
        var (output, costKind) = OutputPairing.For(task, cost, options.MulticlassOutput);
        var hidden = options.HiddenLayerActivations ?? options.HiddenLayerSizes.Select(_ => options.Activation).ToArray();
        int[] sizes = [inputSize, .. options.HiddenLayerSizes, outputs];
        ActivationKind[] activations = [.. hidden.Select(HiddenActivations.KindOf), output];
        return new TrainingPlan(options, task, inputSize, label, classNames, outputNames, classes, labels, sizes, activations, costKind,
            options.LearningRate ?? (options.Solver == Solver.Adam ? BackpropTrainer.DefaultAdamLearningRate : BackpropTrainer.DefaultLearningRate(task, cost)));
    }

    /// <summary>
    /// Sparse rows whose used columns are at most this many are made dense by a column selection in front of the network,
    /// so that they are standardized and encoded like dense rows (the narrowest width held sparse).
    /// </summary>
    public const int MostSelectedColumns = TrainingDataReader.NarrowestSparseRows;

    /// <summary>
    /// The network to train: for rows held sparse, its first layer reads them (<paramref name="selected"/> = 0), or a
    /// selection of <paramref name="selected"/> used columns makes them dense; behind that, for dense rows, the layers
    /// the options ask for (standardization, a piecewise-linear encoding of <paramref name="bins"/> bins in all, feature
    /// scales). Before the data is read, the bins are a stand-in.
    /// </summary>
    public NetworkLayout LayoutFor(bool sparse, int selected = 0, int? bins = null)
    {
        bool prepared = !sparse || selected > 0;
        int width = selected > 0 ? selected : InputSize;
        var preparation = prepared
            ? new InputPreparation(Selected: sparse ? selected : 0, Standardized: Options.StandardizeFeatures,
                Clipped: Options.StandardizeFeatures && Options.RobustStandardization,
                Bins: bins ?? (Options.PiecewiseLinearBins ?? 0) * int.Min(width, 16), Scaled: Options.LearnFeatureScales)
            : InputPreparation.None;
        return NetworkLayout.FullyConnected(_sizes, _activations, _cost, sparseInput: !prepared, preparation);
    }

    /// <summary>Whether the network standardizes the features it reads (dense rows, or sparse ones made dense by a selection).</summary>
    public bool Standardizes(bool sparse, int selected = 0) => Options.StandardizeFeatures && (!sparse || selected > 0);

    /// <summary>
    /// The statistics of <paramref name="width"/> features that a network standardizing or encoding them needs, gathered
    /// while the rows are read; null when it needs none.
    /// </summary>
    public FeatureStatistics? FeatureStatisticsFor(int width)
        => Options.StandardizeFeatures || Options.PiecewiseLinearBins > 0
            ? new FeatureStatistics(width, quantiles: Options.RobustStandardization || Options.PiecewiseLinearBins > 0 || MayEncode(width))
            : null;

    /// <summary>Whether training examples carry weights: an example weight column, or class weights.</summary>
    public bool HasExampleWeights => Columns.Weight is not null || Options.ClassWeights is not null || Options.ClassWeighting != ClassWeighting.None;

    /// <summary>The weight of each class from the options (Balanced from the classes' row counts), or null when classes weigh the same.</summary>
    public double[]? ClassWeights(IReadOnlyList<int> classCounts)
        => Options.ClassWeighting == ClassWeighting.Balanced ? ExampleWeighting.Balanced(classCounts) : Options.ClassWeights?.Select(w => (double)w).ToArray();

    /// <summary>The columns a layout's selection keeps and the bins of its encoding (0 where it has none).</summary>
    private static (int Selected, int Bins) PreparationOf(NetworkLayout layout)
        => (layout.Layers.FirstOrDefault(l => l.Kind == LayerKind.ColumnSelection).Outputs,
            layout.Layers.FirstOrDefault(l => l.Kind == LayerKind.PiecewiseLinear) is { Kind: LayerKind.PiecewiseLinear } e ? e.Outputs - e.Inputs : 0);

    /// <summary>
    /// The network <c>Fit</c> starts from: for rows of the given form (sparse ones made dense by a selection of
    /// <paramref name="selected"/> columns, when given), initialised from <paramref name="random"/> as the options say,
    /// its standardization and encoding from <paramref name="features"/>; or, when training continues a model, that model's
    /// numbers (its selection, standardization and encoding included, whichever form of input it read).
    /// </summary>
    public FeedForwardNetwork<float> CreateNetwork(Random random, NetworkParameters? initial, bool sparse, int[]? selected, FeatureStatistics? features)
        => CreateNetwork(random, initial, sparse, selected, features, Options.PiecewiseLinearBins ?? 0, int.MaxValue)!;

    /// <summary>
    /// The public CreateNetwork with an encoding of
    /// <paramref name="encodingBins"/> bins (0 for none); null, before anything is drawn from <paramref name="random"/>, when
    /// the encoded input would be wider than <paramref name="mostInputs"/>.
    /// </summary>
    private FeedForwardNetwork<float>? CreateNetwork(Random random, NetworkParameters? initial, bool sparse, int[]? selected, FeatureStatistics? features,
        int encodingBins, int mostInputs)
    {
        if (initial is not null)
        {
            var (kept, encoded) = PreparationOf(initial.Network.Layout);
            var continued = new FeedForwardNetwork<float>(LayoutFor(sparse || kept > 0, kept, encoded));
            continued.InitializeWeights(random, Options.WeightInitialization);
            continued.CopyParametersFrom(initial.Network);
            return WithGroups(continued);
        }
        int width = selected?.Length ?? InputSize;
        var (center, scale, bins) = PreparedInputs(sparse, selected, features, encodingBins, mostInputs - int.Min(width, mostInputs));
        if (width + (bins.Features?.Length ?? 0) > mostInputs) return null;
        var network = new FeedForwardNetwork<float>(LayoutFor(sparse, selected?.Length ?? 0, bins.Features?.Length ?? 0));
        network.InitializeWeights(random, Options.WeightInitialization);
        foreach (var layer in network.Layers)
        {
            if (layer is ColumnSelectionLayer<float> selection) selection.Set(selected);
            if (layer is StandardizationLayer<float> standardization) standardization.Set(center, scale);
            if (layer is PiecewiseLinearLayer<float> encoding) encoding.Set(bins.Features, bins.Low, bins.High);
        }
        return WithGroups(network);
    }

    /// <summary><paramref name="network"/> with each parameter group's learning rate set from the options.</summary>
    private FeedForwardNetwork<float> WithGroups(FeedForwardNetwork<float> network)
    {
        // Each parameter group's learning rate.
        foreach (var parameter in network.Parameters)
            parameter.LearningRateFactor = parameter.Role switch
            {
                ParameterRole.Biases => Options.BiasLearningRateFactor,
                ParameterRole.Scales => Options.FeatureScalesLearningRateFactor,
                ParameterRole.Weights => 1,
            };
        return network;
    }

    /// <summary>
    /// The engine's settings: the options as they are, with the seed drawn for this run and, when the options leave early
    /// stopping to the data, its choice for <paramref name="trainingRows"/> rows (see <see cref="EarlyStoppingFor"/>).
    /// </summary>
    public SgdSettings Settings(int seed, int firstEpoch, int? trainingRows = null, bool choosesEncoding = false)
        => EngineSettings.From(Options, LearningRate, seed, firstEpoch, trainingRows is int rows ? (rows, Weights, choosesEncoding) : null);

    /// <summary>
    /// Whether training on <paramref name="trainingRows"/> rows stops early on validation data: as the options say, or,
    /// when they leave it open, below <see cref="BackpropTrainer.AutomaticEarlyStoppingRows"/> rows or when the network
    /// has more weights than there are rows (text, wide one-hot columns, images), where a network also overfits long
    /// before its last epoch while its training cost keeps falling, or when <paramref name="choosesEncoding"/> (the
    /// choice of the encoding is made on the validation split; see <see cref="ChoosesEncoding"/>). The rule behind
    /// <see cref="Settings"/>.
    /// </summary>
    public bool EarlyStoppingFor(int trainingRows, bool choosesEncoding)
        => EngineSettings.EarlyStoppingFor(Options, (trainingRows, Weights, choosesEncoding));

    /// <summary>The number of weights of the network (biases aside).</summary>
    private long Weights => Enumerable.Range(0, _sizes.Length - 1).Sum(l => (long)_sizes[l] * _sizes[l + 1]);
}
