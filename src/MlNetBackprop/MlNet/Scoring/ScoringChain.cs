using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetBackprop.MlNet.Data;
using MlNetBackprop.MlNet.Persistence;

namespace MlNetBackprop.MlNet.Scoring;

/// <summary>
/// Builds the chain of ML.NET's own saveable transforms that scores with a trained network. ML.NET gives no public
/// way for an outside assembly to write its own model format (its save and load contexts are internal), so the
/// trained transformer is this chain, and saving it saves the chain:
/// <list type="number">
/// <item>the feature column is copied under a fixed name the forward mapping can declare;</item>
/// <item>a custom mapping adds a constant key, and a value mapping turns it into the network's text; the value
/// mapping stores every record of the model inside the model zip, each under its own key (<see cref="SavedRecords"/>);</item>
/// <item>a custom mapping (found again by its contract name at load time) runs the forward pass;</item>
/// <item>for multiclass, the first K class scores are concatenated into <c>Score</c> with the class names as its slot
/// names (<see cref="NamedSlotsConcatenation"/>: names that survive a reload, unlike annotations a custom mapping could
/// declare); a value mapping from the best class's index to a key column whose lookup carries the label's KeyValues
/// makes <c>PredictedLabel</c>;</item>
/// <item>for multi-output regression, the first K values are concatenated into <c>Score</c>, and for multi-label the
/// first K scores, probabilities and decisions into <c>Score</c>, <c>Probability</c> and <c>PredictedLabel</c>, with
/// the label's slot names;</item>
/// <item>the working columns are dropped.</item>
/// </list>
/// The same chain serves in memory and after loading, so both give the same schema and the same bits; in memory, the
/// network's text is replaced by a marker, and the chain's mappings hold the trained network itself.
/// </summary>
internal static class ScoringChain
{
    private const string LookupKey = "Key";
    private const string LookupValue = "Value";

    /// <summary>The estimator of the scoring chain; fitting it reads no data.</summary>
    /// <param name="ml">Context for the transforms (only plumbing: nothing here logs or draws random numbers).</param>
    /// <param name="task">The resolved task (not <see cref="BackpropTask.Auto"/>).</param>
    /// <param name="featureColumnName">The input's feature column.</param>
    /// <param name="records">The model's records (the network's text first), or <see cref="SavedRecords.InMemory"/>.</param>
    /// <param name="slotNames">
    /// The slot names of Score, unique: multiclass, one per class; multi-output regression and multi-label, one per target
    /// or label.
    /// </param>
    /// <param name="labelAnnotations">Multiclass: annotations for PredictedLabel (the label's KeyValues, if it has them).</param>
    /// <param name="source">
    /// For a fitted transformer's in-memory chain: where the chain's mappings will find the trained network once it is
    /// (<paramref name="records"/> then carry a marker). Null for a chain that decodes the network from its text.
    /// </param>
    public static IEstimator<ITransformer> Create(MLContext ml, BackpropTask task, string featureColumnName, SavedRecords records,
        IReadOnlyList<string>? slotNames = null, DataViewSchema.Annotations? labelAnnotations = null, NetworkSource? source = null)
    {
        NetworkSource Source() => source ?? new NetworkSource();
        var working = new List<string> { ScoringColumns.Features, ScoringColumns.ModelKey, ScoringColumns.Model };

        IEstimator<ITransformer> chain = ml.Transforms.CopyColumns(ScoringColumns.Features, featureColumnName)
            .Append(ml.Transforms.CustomMapping(new ModelKeyFactory().GetMapping(), ModelKeyFactory.Contract))
            .Append(records.Mapping(ml));

        switch (task)
        {
            case BackpropTask.Regression:
                chain = chain.Append(ml.Transforms.CustomMapping(RegressionFactory.Mapping(Source()), RegressionFactory.Contract));
                break;
            case BackpropTask.BinaryClassification:
                chain = chain.Append(ml.Transforms.CustomMapping(BinaryFactory.Mapping(Source()), BinaryFactory.Contract));
                break;
            case BackpropTask.MulticlassClassification:
                if (slotNames is null || slotNames.Count < 2 || slotNames.Count > MulticlassScores1024.MaxClasses)
                    throw new ArgumentException("Multiclass scoring needs between 2 and MaxClasses class names.", nameof(slotNames));
                int k = slotNames.Count;
                var (scoring, slots) = MulticlassScoring(ml, k, Source());
                chain = chain.Append(scoring)
                    .Append(new NamedSlotsConcatenation(ml, DefaultColumnNames.Score, slotNames.Select((name, i) => (ScoringColumns.Score(i), name)).ToArray()))
                    .Append(PredictedLabelMapping(ml, k, labelAnnotations));
                working.AddRange(Enumerable.Range(0, slots).Select(ScoringColumns.Score));
                working.Add(ScoringColumns.PredictedIndex);
                break;
            case BackpropTask.MultiOutputRegression:
                {
                    var names = SlotNames(slotNames, task);
                    var (values, width) = MultiOutputScoring(ml, names.Count, Source());
                    chain = chain.Append(values).Append(Concatenation(ml, DefaultColumnNames.Score, ScoringColumns.Score, names));
                    working.AddRange(Enumerable.Range(0, width).Select(ScoringColumns.Score));
                    break;
                }
            case BackpropTask.MultiLabelClassification:
                {
                    var names = SlotNames(slotNames, task);
                    var (outputs, width) = MultiLabelScoring(ml, names.Count, Source());
                    chain = chain.Append(outputs)
                        .Append(Concatenation(ml, DefaultColumnNames.Score, ScoringColumns.Score, names))
                        .Append(Concatenation(ml, DefaultColumnNames.Probability, ScoringColumns.Probability, names))
                        .Append(Concatenation(ml, DefaultColumnNames.PredictedLabel, ScoringColumns.Decision, names));
                    working.AddRange(Enumerable.Range(0, width).SelectMany(i => new[] { ScoringColumns.Score(i), ScoringColumns.Probability(i), ScoringColumns.Decision(i) }));
                    break;
                }
            default:
                throw new ArgumentOutOfRangeException(nameof(task), task, "The task must be resolved before scoring.");
        }
        return chain.Append(ml.Transforms.DropColumns(working.ToArray()));
    }

    /// <summary>
    /// The forward mapping with the smallest score row that holds <paramref name="classes"/> classes: ML.NET builds a
    /// column and a getter for every slot, so 3 classes should not pay for 1,024.
    /// </summary>
    private static (IEstimator<ITransformer> Mapping, int Slots) MulticlassScoring(MLContext ml, int classes, NetworkSource source) => classes switch
    {
        <= MulticlassScores16.MaxClasses => (ml.Transforms.CustomMapping(MulticlassFactoryBase<MulticlassScores16>.Mapping(source), Multiclass16Factory.Contract), MulticlassScores16.MaxClasses),
        <= MulticlassScores64.MaxClasses => (ml.Transforms.CustomMapping(MulticlassFactoryBase<MulticlassScores64>.Mapping(source), Multiclass64Factory.Contract), MulticlassScores64.MaxClasses),
        <= MulticlassScores256.MaxClasses => (ml.Transforms.CustomMapping(MulticlassFactoryBase<MulticlassScores256>.Mapping(source), Multiclass256Factory.Contract), MulticlassScores256.MaxClasses),
        _ => (ml.Transforms.CustomMapping(MulticlassFactoryBase<MulticlassScores1024>.Mapping(source), Multiclass1024Factory.Contract), MulticlassScores1024.MaxClasses),
    };

    /// <summary>
    /// The most targets (multi-output) or labels (multi-label) one network is trained for: the largest scoring row holds a
    /// column for each.
    /// </summary>
    public static int MostOutputs(BackpropTask task) => task == BackpropTask.MultiLabelClassification ? MultiLabelOutputs256.MaxLabels : MultiOutputValues1024.MaxOutputs;

    private static IReadOnlyList<string> SlotNames(IReadOnlyList<string>? names, BackpropTask task)
        => names is { Count: > 0 } && names.Count <= MostOutputs(task) ? names
            : throw new ArgumentException($"Scoring several outputs needs between 1 and {MostOutputs(task)} slot names.", nameof(names));

    /// <summary>The first <paramref name="names"/>-many working columns of <paramref name="column"/> as one vector, its slots named.</summary>
    private static NamedSlotsConcatenation Concatenation(MLContext ml, string output, Func<int, string> column, IReadOnlyList<string> names)
        => new(ml, output, names.Select((name, i) => (column(i), name)).ToArray());

    /// <summary>The multi-output forward mapping with the smallest row that holds <paramref name="targets"/> targets.</summary>
    private static (IEstimator<ITransformer> Mapping, int Slots) MultiOutputScoring(MLContext ml, int targets, NetworkSource source) => targets switch
    {
        <= MultiOutputValues16.MaxOutputs => (ml.Transforms.CustomMapping(MultiOutputFactoryBase<MultiOutputValues16>.Mapping(source), MultiOutput16Factory.Contract), MultiOutputValues16.MaxOutputs),
        <= MultiOutputValues64.MaxOutputs => (ml.Transforms.CustomMapping(MultiOutputFactoryBase<MultiOutputValues64>.Mapping(source), MultiOutput64Factory.Contract), MultiOutputValues64.MaxOutputs),
        <= MultiOutputValues256.MaxOutputs => (ml.Transforms.CustomMapping(MultiOutputFactoryBase<MultiOutputValues256>.Mapping(source), MultiOutput256Factory.Contract), MultiOutputValues256.MaxOutputs),
        _ => (ml.Transforms.CustomMapping(MultiOutputFactoryBase<MultiOutputValues1024>.Mapping(source), MultiOutput1024Factory.Contract), MultiOutputValues1024.MaxOutputs),
    };

    /// <summary>The multi-label forward mapping with the smallest row that holds <paramref name="labels"/> labels.</summary>
    private static (IEstimator<ITransformer> Mapping, int Slots) MultiLabelScoring(MLContext ml, int labels, NetworkSource source) => labels switch
    {
        <= MultiLabelOutputs16.MaxLabels => (ml.Transforms.CustomMapping(MultiLabelFactoryBase<MultiLabelOutputs16>.Mapping(source), MultiLabel16Factory.Contract), MultiLabelOutputs16.MaxLabels),
        <= MultiLabelOutputs64.MaxLabels => (ml.Transforms.CustomMapping(MultiLabelFactoryBase<MultiLabelOutputs64>.Mapping(source), MultiLabel64Factory.Contract), MultiLabelOutputs64.MaxLabels),
        _ => (ml.Transforms.CustomMapping(MultiLabelFactoryBase<MultiLabelOutputs256>.Mapping(source), MultiLabel256Factory.Contract), MultiLabelOutputs256.MaxLabels),
    };

    /// <summary>
    /// An empty view with only the feature column, for fitting the chain a save writes: fitting reads no rows, and no
    /// transform of the chain keeps anything of the input but the feature column's type.
    /// </summary>
    public static IDataView SchemaOnly(string featureColumnName, int inputSize)
        => new LookupDataView([(featureColumnName, new VectorDataViewType(NumberDataViewType.Single, inputSize), Array.Empty<VBuffer<float>>(), null)]);

    /// <summary>Maps the 1-based class index to a key of <paramref name="classCount"/> values carrying the label's annotations.</summary>
    private static IEstimator<ITransformer> PredictedLabelMapping(MLContext ml, int classCount, DataViewSchema.Annotations? labelAnnotations)
    {
        var indices = new uint[classCount];
        for (int i = 0; i < classCount; i++) indices[i] = (uint)(i + 1);
        var lookup = new LookupDataView([
            (LookupKey, NumberDataViewType.UInt32, indices, null),
            (LookupValue, new KeyDataViewType(typeof(uint), classCount), (uint[])indices.Clone(), labelAnnotations),
        ]);
        return ml.Transforms.Conversion.MapValue(DefaultColumnNames.PredictedLabel, lookup,
            lookup.Schema[LookupKey], lookup.Schema[LookupValue], ScoringColumns.PredictedIndex);
    }
}
