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
/// Turns a fitted pipeline around a <see cref="BackpropTransformer"/> into an ONNX graph: the part of the pipeline the
/// network's features depend on (<see cref="FeaturePreparation"/>), as ML.NET's own converter writes it
/// (<see cref="ConvertedPreparation"/>), then the network and its outputs. Transforms that only make the label or other
/// columns are left out; one the converter cannot write is refused by name, so that an exported model never runs
/// computing something else than the pipeline. The graph's inputs are the raw columns the features are made from,
/// named as in the data.
/// </summary>
internal static class OnnxExport
{
    /// <summary>The ONNX model of <paramref name="model"/> for data of <paramref name="inputData"/>'s schema; refuses, naming the transform, what it cannot write right.</summary>
    public static ModelProto Export(ITransformer model, IDataView inputData)
    {
        var parts = SavedNetworks.Parts(model);
        int at = parts.FindIndex(p => p is BackpropTransformer);
        if (at < 0 || parts.Skip(at + 1).Any(p => p is BackpropTransformer))
            throw new InvalidOperationException("ONNX export needs a model with exactly one network trained by BackpropTrainer.");
        var network = (BackpropTransformer)parts[at];
        int inputSize = network.Model.Network.Layout.InputSize;
        var before = parts.Take(at).ToList();
        var schema = inputData.Schema;
        foreach (var part in before) schema = part.GetOutputSchema(schema);
        SchemaChecks.CheckFeatures(schema, network.FeatureColumnName, inputSize, parameter: nameof(inputData));

        // After the network: MapKeyToValue of PredictedLabel, which becomes a lookup of the class names.
        bool predictedAsValues = false;
        foreach (var part in parts.Skip(at + 1))
        {
            if (part is KeyToValueMappingTransformer && network.Task == BackpropTask.MulticlassClassification
                && part.GetOutputSchema(network.GetOutputSchema(schema)).GetColumnOrNull(DefaultColumnNames.PredictedLabel) is { Type: TextDataViewType })
                predictedAsValues = true;
            else
                throw new InvalidOperationException($"ONNX export does not know the transform {part.GetType().Name} after the network: it exports MapKeyToValue of " +
                    "PredictedLabel there. Export the pipeline up to the network, and apply the rest to ONNX Runtime's outputs.");
        }

        // Before it: the transforms the features are made with, as ML.NET's converter writes them.
        var (preparation, rawColumns) = FeaturePreparation.Of(before, inputData.Schema, network.FeatureColumnName);
        OnnxGraphBuilder graph;
        string features;
        if (preparation.Count == 0)
        {
            graph = new OnnxGraphBuilder();
            graph.Input(features = network.FeatureColumnName, TensorProto.Types.DataType.Float, inputSize);
        }
        else
        {
            var (begun, prepared) = ConvertedPreparation.Convert(preparation, inputData, network.FeatureColumnName, rawColumns);
            graph = new OnnxGraphBuilder(begun);
            features = graph.Node("Flatten", [prepared], null, OnnxGraphBuilder.Int("axis", 1)); // the converter may keep a middle axis of 1
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
            case BackpropTask.MultiOutputRegression:
                NetworkGraph.MultiOutput(graph, a, network.Model.Standardization, network.SlotNames!.Count, DefaultColumnNames.Score);
                break;
            case BackpropTask.MultiLabelClassification:
                NetworkGraph.MultiLabel(graph, z, a, network.SlotNames!.Count, DefaultColumnNames.Score, DefaultColumnNames.Probability, DefaultColumnNames.PredictedLabel);
                break;
            case BackpropTask.MulticlassClassification:
                var classes = network.SlotNames!;
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
}
