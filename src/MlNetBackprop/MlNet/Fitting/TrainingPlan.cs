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

    private TrainingPlan(BackpropTrainer.Options options, BackpropTask task, int inputSize, DataViewSchema.Column label, string[]? classNames,
        TargetEncoding? classes, int[] sizes, ActivationKind[] activations, CostKind cost, double learningRate)
    {
        (Options, Task, InputSize, Label, ClassNames, Classes, LearningRate) = (options, task, inputSize, label, classNames, classes, learningRate);
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

    /// <summary>The class targets (one-hot or 0/1), or null for regression, whose encoding needs the data's statistics.</summary>
    public TargetEncoding? Classes { get; }

    /// <summary>The number of classes; 0 for regression.</summary>
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
        var label = schema[options.LabelColumnName];
        CheckOptions(options, task);

        string[]? classNames = null;
        TargetEncoding? classes = task switch
        {
            BackpropTask.MulticlassClassification => TargetEncoding.OneHot(CountClasses(label, options.LabelColumnName)),
            BackpropTask.BinaryClassification => TargetEncoding.Binary,
            _ => null,
        };
        double smoothing = options.LabelSmoothing ?? (task == BackpropTask.MulticlassClassification ? BackpropTrainer.AutomaticLabelSmoothing : 0);
        if (classes is not null && smoothing > 0) classes = classes.Smoothed(smoothing);
        if (task == BackpropTask.MulticlassClassification)
            classNames = LabelClasses.ClassNames(label, classes!.ClassCount);
        if (options.ClassWeights is { } weights && classes is not null && weights.Length != classes.ClassCount)
            throw new ArgumentOutOfRangeException(nameof(BackpropTrainer.Options.ClassWeights),
                $"Option ClassWeights has {weights.Length} weights but label column '{options.LabelColumnName}' has {classes.ClassCount} classes: give one weight per class, in key order.");

        var cost = options.Cost ?? OutputPairing.DefaultCost(task);
        var (output, costKind) = OutputPairing.For(task, cost, options.MulticlassOutput);
        var hidden = options.HiddenLayerActivations ?? options.HiddenLayerSizes.Select(_ => options.Activation).ToArray();
        int[] sizes = [inputSize, .. options.HiddenLayerSizes, classes?.Width ?? 1];
        ActivationKind[] activations = [.. hidden.Select(HiddenActivations.KindOf), output];
        return new TrainingPlan(options, task, inputSize, label, classNames, classes, sizes, activations, costKind,
            options.LearningRate ?? (options.Solver == Solver.Adam ? BackpropTrainer.DefaultAdamLearningRate : BackpropTrainer.DefaultLearningRate(task, cost)));
    }

    /// <summary>
    /// The options that cannot go with <paramref name="task"/>, refused with <see cref="ArgumentOutOfRangeException"/>
    /// naming them: the one place of these rules, used when the options name a task and when the data resolves one.
    /// </summary>
    public static void CheckOptions(BackpropTrainer.Options options, BackpropTask task)
    {
        if (task != BackpropTask.Regression) return;
        if (options.Cost == CostFunction.CrossEntropy)
            throw new ArgumentOutOfRangeException(nameof(BackpropTrainer.Options.Cost), options.Cost,
                "Option Cost = CrossEntropy is not defined for regression: use Quadratic (or leave Cost null).");
        if (options.ClassWeights is not null || options.ClassWeighting != ClassWeighting.None)
            throw new ArgumentOutOfRangeException(nameof(BackpropTrainer.Options.ClassWeighting), options.ClassWeighting,
                "Option ClassWeighting (or ClassWeights) applies to classification, not regression: leave it at None.");
        if (options.LabelSmoothing > 0)
            throw new ArgumentOutOfRangeException(nameof(BackpropTrainer.Options.LabelSmoothing), options.LabelSmoothing,
                "Option LabelSmoothing applies to classification, not regression: leave it at 0.");
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

    /// <summary>
    /// Throws <see cref="InvalidOperationException"/> unless <paramref name="initial"/> is a network this plan can train on:
    /// the same task, the same classes (their values, not only their number) and the same layers.
    /// </summary>
    public void CheckWarmStart(BackpropTransformer initial, bool sparse)
    {
        var had = initial.Model.Network.Layout;
        var (selected, bins) = PreparationOf(had);
        var want = LayoutFor(sparse || selected > 0, selected, bins);
        if (initial.Task != Task || !had.SameShape(want))
            throw new InvalidOperationException(
                $"Cannot continue training the given model: it is a {had} network for {initial.Task}, but these options and data make a " +
                $"{want} network for {Task}. Use the options the model was trained with.");
        if (ClassNames is not null && initial.ClassNames is { } classes && !classes.SequenceEqual(ClassNames))
            throw new InvalidOperationException(
                $"Cannot continue training the given model: it was trained on the classes [{string.Join(", ", classes)}] of its label, but label column " +
                $"'{Options.LabelColumnName}' has the classes [{string.Join(", ", ClassNames)}]. Map the label with the MapValueToKey the model was trained with.");
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> unless validation data of <paramref name="schema"/> has the training data's columns.</summary>
    public void CheckValidationSchema(DataViewSchema schema)
    {
        SchemaChecks.CheckFeatures(schema, Options.FeatureColumnName, InputSize, "of the validation data", "validationData");
        if (SchemaChecks.ResolveTask(schema, Options.LabelColumnName, Task) == BackpropTask.MulticlassClassification
            && !schema[Options.LabelColumnName].Type.Equals(Label.Type))
            throw new ArgumentOutOfRangeException("validationData",
                $"Schema mismatch for label column '{Options.LabelColumnName}' of the validation data: expected {Label.Type} (as in the training data), got {schema[Options.LabelColumnName].Type}. Map both with the same fitted MapValueToKey.");
        SchemaChecks.CheckWeight(schema, Options.ExampleWeightColumnName);
    }

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
        var (center, scale, bins) = PreparedInputs(sparse, selected, features, encodingBins);
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

    private static int CountClasses(DataViewSchema.Column label, string labelName)
    {
        ulong count = ((KeyDataViewType)label.Type).Count;
        if (count < 2 || count > MulticlassScores1024.MaxClasses)
            throw new ArgumentOutOfRangeException("trainData",
                $"Label column '{labelName}' has {count} classes; BackpropTrainer supports 2 to {MulticlassScores1024.MaxClasses}.");
        return (int)count;
    }
}
