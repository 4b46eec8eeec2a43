using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MlNetBackprop.MlNet.Persistence;
using MlNetBackprop.Network.Export;
using MlNetBackprop.Network.Export.Proto;

namespace MlNetBackprop.MlNet.Export;

/// <summary>
/// Turns a fitted pipeline around a <see cref="BackpropTransformer"/> into an ONNX graph: the transforms it knows
/// (the label's MapValueToKey, dropped; the trainer; MapKeyToValue of PredictedLabel) and nothing else, so that a
/// model never runs computing something else than the pipeline.
/// </summary>
internal static class OnnxExport
{
    /// <summary>What the exporter knows, for the error that names a transform it does not.</summary>
    private const string Supported = "MapValueToKey (of the label; dropped), BackpropTrainer's transformer, MapKeyToValue (of PredictedLabel)";

    public static ModelProto Export(ITransformer model, IDataView inputData)
    {
        var parts = SavedNetworks.Parts(model);
        int at = parts.FindIndex(p => p is BackpropTransformer);
        if (at < 0 || parts.Skip(at + 1).Any(p => p is BackpropTransformer))
            throw new InvalidOperationException("ONNX export needs a model with exactly one network trained by BackpropTrainer.");
        var network = (BackpropTransformer)parts[at];

        // Before the trainer: only transforms the graph can leave out (the label's key mapping).
        var schema = inputData.Schema;
        foreach (var part in parts.Take(at))
        {
            if (part is not ValueToKeyMappingTransformer)
                throw Unsupported(part);
            var after = part.GetOutputSchema(schema);
            if (after[network.FeatureColumnName].Type != schema.GetColumnOrNull(network.FeatureColumnName)?.Type)
                throw new InvalidOperationException($"MapValueToKey changes the feature column '{network.FeatureColumnName}': only the label's mapping can be left out of the ONNX graph.");
            schema = after;
        }
        if (schema.GetColumnOrNull(network.FeatureColumnName) is not { Type: VectorDataViewType { ItemType: var item, Size: var size } }
            || item != NumberDataViewType.Single || size != network.Model.LayerSizes[0])
            throw new ArgumentOutOfRangeException(nameof(inputData),
                $"Schema mismatch for feature column '{network.FeatureColumnName}': expected known-size vector of Single of size {network.Model.LayerSizes[0]}.");

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

        var graph = new OnnxGraphBuilder();
        graph.Input(network.FeatureColumnName, TensorProto.Types.DataType.Float, size);
        var (z, a) = NetworkGraph.Forward(graph, network.Model.Network, network.FeatureColumnName);
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

    private static InvalidOperationException Unsupported(ITransformer part)
        => new($"ONNX export does not know the transform {part.GetType().Name}: it exports {Supported}. " +
            "Export the part of the pipeline from the trainer on, and prepare the features before scoring, or remove the transform.");
}
