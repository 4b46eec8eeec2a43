using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Export.Proto;
using MlNetBackprop.Network.Targets;

namespace MlNetBackprop.Network.Export;

/// <summary>
/// A trained network as ONNX nodes: each layer's z as the layer writes it (<see cref="Layers.Layer{T}.ToOnnx"/>: a Gemm for a
/// fully connected layer, Sub and Mul for a standardization) and its activation, then what <see cref="OutputDecoding"/>
/// makes of the output layer for each task.
/// </summary>
internal static class NetworkGraph
{
    /// <summary>The forward pass from the float [N, n_in] value <paramref name="input"/>: the output layer's z and a.</summary>
    public static (string Z, string A) Forward(OnnxGraphBuilder graph, FeedForwardNetwork<float> network, string input)
    {
        string a = input, z = input;
        foreach (var layer in network.Layers)
        {
            z = layer.ToOnnx(graph, a);
            a = Activation(graph, layer.Activation.Kind, z);
        }
        return (z, a);
    }

    private static string Activation(OnnxGraphBuilder graph, ActivationKind kind, string z) => kind switch
    {
        ActivationKind.Sigmoid => graph.Node("Sigmoid", [z]),
        ActivationKind.Tanh => graph.Node("Tanh", [z]),
        ActivationKind.Relu => graph.Node("Relu", [z]),
        ActivationKind.LeakyRelu => graph.Node("LeakyRelu", [z], null, OnnxGraphBuilder.Float("alpha", float.CreateChecked(LeakyRelu<float>.Slope))),
        ActivationKind.Identity => z,
        ActivationKind.Softmax => graph.Node("Softmax", [z], null, OnnxGraphBuilder.Int("axis", 1)),
        ActivationKind.Selu => graph.Node("Selu", [z], null, OnnxGraphBuilder.Float("alpha", float.CreateChecked(Selu<float>.Alpha)),
            OnnxGraphBuilder.Float("gamma", float.CreateChecked(Selu<float>.Lambda))),
        // Mish is an operator from opset 18 on; at 13 it is its definition.
        ActivationKind.Mish => graph.Node("Mul", [z, graph.Node("Tanh", [graph.Node("Softplus", [z])])]),
        ActivationKind.SmoothClip => SmoothClip(graph, z),
    };

    /// <summary>z/√(1 + (z/3)²).</summary>
    private static string SmoothClip(OnnxGraphBuilder graph, string z)
    {
        string u = graph.Node("Div", [z, graph.Constant("three", [3f], 1)]);
        string q = graph.Node("Add", [graph.Constant("one", [1f], 1), graph.Node("Mul", [u, u])]);
        return graph.Node("Div", [z, graph.Node("Sqrt", [q])]);
    }

    /// <summary>Regression's Score [N]: the output in the label's units, a·σ + μ.</summary>
    public static void Regression(OnnxGraphBuilder graph, string a, LabelStandardization standardization, string score)
    {
        graph.Node("Reshape", [Restored(graph, a, standardization), graph.Constant("rows", [-1L], 1)], score);
        graph.Output(score, TensorProto.Types.DataType.Float);
    }

    /// <summary>Multi-output regression's Score [N, K]: each output in its target's units, aⱼ·σⱼ + μⱼ.</summary>
    public static void MultiOutput(OnnxGraphBuilder graph, string a, LabelStandardization standardization, int targets, string score)
    {
        graph.Node("Identity", [Restored(graph, a, standardization)], score);
        graph.Output(score, TensorProto.Types.DataType.Float, targets);
    }

    /// <summary>The outputs [N, K] in the targets' units (broadcasting one σ and μ per output).</summary>
    private static string Restored(OnnxGraphBuilder graph, string a, LabelStandardization standardization)
    {
        if (standardization.Count == 0) return a;
        string scaled = graph.Node("Mul", [a, graph.Constant("scale", standardization.StandardDeviations.ToArray(), standardization.Count)]);
        return graph.Node("Add", [scaled, graph.Constant("offset", standardization.Means.ToArray(), standardization.Count)]);
    }

    /// <summary>Multi-label's Score (z), Probability (σ(z)) and PredictedLabel (z &gt; 0), each [N, K]: a binary classifier's per label.</summary>
    public static void MultiLabel(OnnxGraphBuilder graph, string z, string a, int labels, string score, string probability, string predictedLabel)
    {
        graph.Node("Identity", [z], score);
        graph.Node("Identity", [a], probability);
        graph.Node("Greater", [score, graph.Constant("zero", [0f], 1)], predictedLabel);
        graph.Output(score, TensorProto.Types.DataType.Float, labels);
        graph.Output(probability, TensorProto.Types.DataType.Float, labels);
        graph.Output(predictedLabel, TensorProto.Types.DataType.Bool, labels);
    }

    /// <summary>Binary classification's Score (z), Probability (σ(z)) and PredictedLabel (z &gt; 0), each [N].</summary>
    public static void Binary(OnnxGraphBuilder graph, string z, string a, string score, string probability, string predictedLabel)
    {
        var rows = graph.Constant("rows", [-1L], 1);
        graph.Node("Reshape", [z, rows], score);
        graph.Node("Reshape", [a, rows], probability);
        graph.Node("Greater", [score, graph.Constant("zero", [0f], 1)], predictedLabel);
        graph.Output(score, TensorProto.Types.DataType.Float);
        graph.Output(probability, TensorProto.Types.DataType.Float);
        graph.Output(predictedLabel, TensorProto.Types.DataType.Bool);
    }

    /// <summary>
    /// Multiclass classification's Score [N, K], the outputs divided by their sum, and the best class: its 0-based
    /// index as int64 [N] (the first of equal scores, as scoring picks it). Returns the index's name.
    /// </summary>
    public static string Multiclass(OnnxGraphBuilder graph, string a, int classes, string score)
    {
        string sum = graph.Node("ReduceSum", [a, graph.Constant("axes", [1L], 1)], null, OnnxGraphBuilder.Int("keepdims", 1));
        graph.Node("Div", [a, sum], score);
        graph.Output(score, TensorProto.Types.DataType.Float, classes);
        return graph.Node("ArgMax", [score], null, OnnxGraphBuilder.Int("axis", 1), OnnxGraphBuilder.Int("keepdims", 0));
    }
}
