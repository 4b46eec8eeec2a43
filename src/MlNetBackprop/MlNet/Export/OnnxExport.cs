using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MlNetBackprop.MlNet.Data;
using MlNetBackprop.MlNet.Persistence;
using MlNetBackprop.MlNet.Scoring;
using MlNetBackprop.Network.Export;
using MlNetBackprop.Network.Export.Proto;

namespace MlNetBackprop.MlNet.Export;

/// <summary>
/// Turns a fitted pipeline around a <see cref="BackpropTransformer"/> into an ONNX graph: the transforms it knows
/// (see <see cref="Supported"/>) and nothing else, so that an exported model never runs computing something else than
/// the pipeline. The graph's inputs are the raw columns the features are made from, named as in the data.
/// </summary>
internal static class OnnxExport
{
    /// <summary>What the exporter knows, for the error that names a transform it does not.</summary>
    private const string Supported = "Concatenate, CopyColumns, the affine normalizers (NormalizeMinMax, NormalizeMeanVariance, NormalizeRobustScaling), " +
        "MapValueToKey (of the label; left out), BackpropTrainer's transformer, MapKeyToValue (of PredictedLabel)";

    public static ModelProto Export(ITransformer model, IDataView inputData)
    {
        var parts = SavedNetworks.Parts(model);
        int at = parts.FindIndex(p => p is BackpropTransformer);
        if (at < 0 || parts.Skip(at + 1).Any(p => p is BackpropTransformer))
            throw new InvalidOperationException("ONNX export needs a model with exactly one network trained by BackpropTrainer.");
        var network = (BackpropTransformer)parts[at];
        var graph = new OnnxGraphBuilder();
        var columns = new ColumnValues(graph, inputData.Schema);

        // Before the trainer: the feature preparation, column by column, and the label's key mapping, left out.
        var schema = inputData.Schema;
        foreach (var part in parts.Take(at))
        {
            var after = part.GetOutputSchema(schema);
            var added = Enumerable.Range(schema.Count, after.Count - schema.Count).Select(i => after[i]).ToArray();
            switch (part)
            {
                case ValueToKeyMappingTransformer:
                    foreach (var column in added) columns.LeaveOut(column.Name, "MapValueToKey");
                    break;
                case NormalizingTransformer normalizer:
                    for (int i = 0; i < added.Length; i++)
                        columns.Set(added[i].Name, Normalize(graph, normalizer, i, columns.Of(Source(part, schema, added[i]))));
                    break;
                case ColumnCopyingTransformer:
                    foreach (var column in added) columns.Set(column.Name, columns.Of(Source(part, schema, column)));
                    break;
                case ColumnConcatenatingTransformer:
                    foreach (var column in added) columns.Set(column.Name, Concatenate(graph, part, schema, column, columns));
                    break;
                default:
                    throw Unsupported(part);
            }
            schema = after;
        }
        SchemaChecks.CheckFeatures(schema, network.FeatureColumnName, network.Model.Network.Layout.InputSize, parameter: nameof(inputData));
        string features = columns.Of(network.FeatureColumnName);

        // After it: MapKeyToValue of PredictedLabel, which becomes a lookup of the class names.
        bool predictedAsValues = false;
        foreach (var part in parts.Skip(at + 1))
        {
            if (part is KeyToValueMappingTransformer && network.Task == BackpropTask.MulticlassClassification
                && part.GetOutputSchema(network.GetOutputSchema(schema)).GetColumnOrNull(DefaultColumnNames.PredictedLabel) is { Type: TextDataViewType })
                predictedAsValues = true;
            else
                throw Unsupported(part);
        }

        var (z, a) = NetworkGraph.Forward(graph, network.Model.Network, features);
        switch (network.Task)
        {
            case BackpropTask.Regression:
                NetworkGraph.Regression(graph, a, network.Model.Standardization, DefaultColumnNames.Score);
                break;
            case BackpropTask.BinaryClassification:
                NetworkGraph.Binary(graph, z, a, DefaultColumnNames.Score, DefaultColumnNames.Probability, DefaultColumnNames.PredictedLabel);
                break;
            case BackpropTask.MulticlassClassification:
                var classes = network.ClassNames!;
                string best = NetworkGraph.Multiclass(graph, a, classes.Count, DefaultColumnNames.Score);
                if (predictedAsValues)
                {
                    graph.Node("Gather", [graph.Constant("classes", classes), best], DefaultColumnNames.PredictedLabel, OnnxGraphBuilder.Int("axis", 0));
                    graph.Output(DefaultColumnNames.PredictedLabel, TensorProto.Types.DataType.String);
                }
                else
                {
                    // ML.NET's keys count from 1.
                    string key = graph.Node("Add", [best, graph.Constant("one", [1L], 1)]);
                    graph.Node("Cast", [key], DefaultColumnNames.PredictedLabel, OnnxGraphBuilder.Int("to", (long)TensorProto.Types.DataType.Uint32));
                    graph.Output(DefaultColumnNames.PredictedLabel, TensorProto.Types.DataType.Uint32);
                }
                break;
            default:
                throw new InvalidOperationException($"The model's task {network.Task} is not resolved.");
        }
        return graph.ToModel(typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? "");
    }

    /// <summary>The one input column a one-to-one transform reads to make <paramref name="column"/>.</summary>
    private static string Source(ITransformer part, DataViewSchema input, DataViewSchema.Column column)
        => part.GetRowToRowMapper(input).GetDependencies([column]).Single().Name;

    /// <summary>An affine normalizer's column i: (x − offset)·scale, as ML.NET computes it (an empty offset is zeros).</summary>
    private static string Normalize(OnnxGraphBuilder graph, NormalizingTransformer normalizer, int index, string x)
    {
        var (scale, offset) = normalizer.GetNormalizerModelParameters(index) switch
        {
            NormalizingTransformer.AffineNormalizerModelParameters<System.Collections.Immutable.ImmutableArray<float>> v => (v.Scale.ToArray(), v.Offset.IsDefaultOrEmpty ? [] : v.Offset.ToArray()),
            NormalizingTransformer.AffineNormalizerModelParameters<float> s => (new[] { s.Scale }, new[] { s.Offset }),
            var other => throw new InvalidOperationException(
                $"ONNX export knows the affine normalizers (NormalizeMinMax, NormalizeMeanVariance without CDF, NormalizeRobustScaling), not {other.GetType().Name.Split('`')[0]}."),
        };
        string centred = offset.Length == 0 || offset.All(o => o == 0) ? x : graph.Node("Sub", [x, graph.Constant("offset", offset, offset.Length)]);
        return graph.Node("Mul", [centred, graph.Constant("scale", scale, scale.Length)]);
    }

    /// <summary>
    /// A concatenation, in the order of its inputs. That order is not public, so it is read off the transform itself:
    /// one row whose every input slot holds its own marker goes through it, and the output slots say where they came from.
    /// </summary>
    private static string Concatenate(OnnxGraphBuilder graph, ITransformer part, DataViewSchema input, DataViewSchema.Column column, ColumnValues columns)
    {
        var sources = part.GetRowToRowMapper(input).GetDependencies([column]).ToArray();
        var probe = new List<(string, DataViewType, Array, DataViewSchema.Annotations?)>();
        for (int s = 0; s < sources.Length; s++)
        {
            int width = sources[s].Type is VectorDataViewType { Size: var n } ? n : 1;
            var itemType = sources[s].Type is VectorDataViewType vector ? vector.ItemType : sources[s].Type;
            if (itemType != NumberDataViewType.Single || width == 0 || width >= 65536 || sources.Length > 200)
                throw new InvalidOperationException($"ONNX export concatenates known-size Single columns; '{sources[s].Name}' is {sources[s].Type}.");
            var markers = Enumerable.Range(0, width).Select(i => (float)(s * 65536 + i + 1)).ToArray();
            probe.Add(sources[s].Type is VectorDataViewType
                ? (sources[s].Name, sources[s].Type, new[] { new VBuffer<float>(width, markers) }, null)
                : (sources[s].Name, sources[s].Type, new[] { markers[0] }, null));
        }
        var output = part.Transform(new LookupDataView(probe));
        var slots = output.GetColumn<VBuffer<float>>(output.Schema[column.Name]).Single().DenseValues().ToArray();
        var order = new List<int>();
        for (int i = 0; i < slots.Length;)
        {
            int s = (int)slots[i] / 65536, width = sources[s].Type is VectorDataViewType { Size: var n } ? n : 1;
            if (i + width > slots.Length || Enumerable.Range(0, width).Any(k => slots[i + k] != s * 65536 + k + 1))
                throw new InvalidOperationException($"ONNX export could not read the order of the concatenation into '{column.Name}'.");
            order.Add(s);
            i += width;
        }
        return graph.Node("Concat", order.Select(s => columns.Of(sources[s].Name)).ToArray(), null, OnnxGraphBuilder.Int("axis", 1));
    }

    private static InvalidOperationException Unsupported(ITransformer part)
        => new($"ONNX export does not know the transform {part.GetType().Name}: it exports {Supported}. " +
            "Export the part of the pipeline from the trainer on, and prepare the features before scoring, or remove the transform.");
}
