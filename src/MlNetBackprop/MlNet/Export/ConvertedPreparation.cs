using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetBackprop.MlNet.Data;
using MlNetBackprop.Network.Export;
using MlNetBackprop.Network.Export.Proto;

namespace MlNetBackprop.MlNet.Export;

/// <summary>
/// The feature preparation as ML.NET's own ONNX converter (Microsoft.ML.OnnxConverter's <c>ConvertToOnnx</c>) writes it,
/// made ready to carry the network: only the nodes the feature column needs, intermediate values declared by type only
/// (the converter declares some shapes that ONNX Runtime's shape inference contradicts), a symbolic batch dimension, and the default
/// domain raised from the converter's opset to <see cref="OnnxGraphBuilder.Opset"/>, which the network's nodes are
/// written for.
/// </summary>
internal static class ConvertedPreparation
{
    /// <summary>
    /// The converter's graph of <paramref name="preparation"/> (fitted transforms, in order) down to the feature column,
    /// and the name of the value that holds it.
    /// </summary>
    /// <param name="preparation">The transforms the features depend on, in pipeline order.</param>
    /// <param name="inputData">Data of the schema the pipeline reads.</param>
    /// <param name="featureColumnName">The network's feature column.</param>
    /// <param name="rawColumns">The columns of the data the features are made from: the graph may read no other.</param>
    /// <exception cref="InvalidOperationException">The converter cannot write one of the transforms (named), or wrote a graph that does not run.</exception>
    public static (ModelProto Model, string Features) Convert(IReadOnlyList<ITransformer> preparation,
        IDataView inputData, string featureColumnName, IReadOnlySet<string> rawColumns)
    {
        // The parts kept must make a pipeline of their own: a part that also reads a column only the left-out parts make
        // (a normalizer of the features and of the label in one) cannot be exported without them.
        var schema = inputData.Schema;
        foreach (var part in preparation)
        {
            try
            {
                schema = part.GetOutputSchema(schema);
            }
            catch (Exception e) when (e is ArgumentOutOfRangeException or InvalidOperationException)
            {
                throw new InvalidOperationException(
                    $"ONNX export cannot write the transform {NameOf(part)} without the transforms the features do not depend on, which it needs too " +
                    $"({e.Message}). Give the features' preparation transforms of their own (one for the features, another for the label), then export again.", e);
            }
        }
        byte[] bytes;
        try
        {
            bytes = ConvertChain(preparation, inputData, featureColumnName);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw Unconvertible(preparation, inputData, e);
        }
        var model = ModelProto.Parser.ParseFrom(bytes);
        string features = featureColumnName + ".output"; // the converter's name for an output column's value
        if (!model.Graph.Output.Any(o => o.Name == features))
            throw new InvalidOperationException($"ML.NET's ONNX converter wrote no value for the feature column '{featureColumnName}': " +
                "prepare the features before scoring and export the pipeline from the network on.");
        KeepOnlyWhatMakes(model.Graph, features);
        KeepValueTypesOnly(model.Graph);
        // Every input must be a column the features are made from: for a transform it cannot write, the converter may
        // leave the transform out and ask for its output as an input (FeaturizeText's normalized text), which no user has,
        // or read a column of the data that the pipeline does not (a name it reuses inside a transform).
        if (model.Graph.Input.FirstOrDefault(v => !rawColumns.Contains(v.Name)) is { } stray)
            throw new InvalidOperationException(
                $"ONNX export cannot write the feature preparation: ML.NET's converter wrote a graph that reads '{stray.Name}' as an input, " +
                $"which the features are not made from (they are made from {string.Join(", ", rawColumns.Order(StringComparer.Ordinal).Select(c => $"'{c}'"))}, " +
                $"by {string.Join(", ", preparation.Select(NameOf))}). Prepare those features before scoring and export the pipeline from the next transform on.");
        SortTopologically(model.Graph, preparation);
        RaiseOpset(model);
        return (model, features);
    }

    /// <summary>
    /// The converter's bytes for <paramref name="parts"/>, asked for <paramref name="outputs"/>. The converter stops at a
    /// transform it cannot write and only logs a warning ("had to stop walkback ..."), after which the nodes behind it
    /// read the raw column of the same name: that warning is an error here. It runs in a context of its own, so that
    /// the warning is the converter's, and the user's log sees nothing of it.
    /// </summary>
    private static byte[] ConvertChain(IReadOnlyList<ITransformer> parts, IDataView inputData, params string[] outputs)
    {
        // The data's own columns, as a view that is no transform: the converter walks back to where the data comes from,
        // and the user's data may come through transforms it cannot write (a TrainTestSplit's filter), which are not ours.
        inputData = new LookupDataView(inputData.Schema.Where(c => !c.IsHidden)
            .Select(c => (c.Name, c.Type, Array.CreateInstance(c.Type.RawType, 0), (DataViewSchema.Annotations?)c.Annotations)).ToList());
        var converter = new MLContext();
        var stopped = new List<string>();
        converter.Log += (_, e) =>
        {
            if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Warning && e.RawMessage.Contains("walkback", StringComparison.OrdinalIgnoreCase))
                lock (stopped) stopped.Add(e.RawMessage);
        };
        using var stream = new MemoryStream();
        converter.Model.ConvertToOnnx(new TransformerChain<ITransformer>(parts.ToArray()), inputData, stream, outputs);
        if (stopped.Count > 0)
            throw new InvalidOperationException($"ML.NET's ONNX converter skipped a transform it cannot write: {stopped[0]}");
        return stream.ToArray();
    }

    /// <summary>
    /// The first transform the converter cannot write, named in the error: the first whose own columns the converter
    /// cannot write (it skips a transform it does not know with only a warning, and fails only when asked for its columns).
    /// </summary>
    private static InvalidOperationException Unconvertible(IReadOnlyList<ITransformer> preparation, IDataView inputData, Exception failure)
    {
        var schema = inputData.Schema;
        for (int n = 1; n <= preparation.Count; n++)
        {
            var after = preparation[n - 1].GetOutputSchema(schema);
            // The columns this transform makes: visible ones that are not the input's at the same place.
            var before = schema;
            var made = after.Where(c => !c.IsHidden && !(c.Index < before.Count && before[c.Index].Name == c.Name && before[c.Index].Type.Equals(c.Type)))
                .Select(c => c.Name).ToArray();
            schema = after;
            try
            {
                ConvertChain(preparation.Take(n).ToArray(), inputData, made);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return new InvalidOperationException(
                    $"ONNX export cannot write the transform {NameOf(preparation[n - 1])}, which the features are made with: ML.NET's ONNX converter " +
                    $"refused it ({e.GetType().Name}: {e.Message}). Prepare those features before scoring and export the pipeline from the next transform on, " +
                    "or replace the transform with one the converter knows.", e);
            }
        }
        return new InvalidOperationException(
            $"ML.NET's ONNX converter could not write the feature preparation ({string.Join(", ", preparation.Select(NameOf))}): {failure.Message}. " +
            "Prepare the features before scoring and export the pipeline from the network on.", failure);
    }

    /// <summary>A transform's name as a user finds it: FeaturizeText's is TextFeaturizingEstimator.Transformer, without generic arity.</summary>
    public static string NameOf(ITransformer part)
    {
        static string Plain(Type type) => type.Name.Split('`')[0];
        var type = part.GetType();
        return type.DeclaringType is { } outer ? $"{Plain(outer)}.{Plain(type)}" : Plain(type);
    }

    /// <summary>
    /// Keeps the nodes, initializers and inputs <paramref name="value"/> needs, found through the node that makes each
    /// value (whatever order the converter wrote them in); the graph's outputs are left empty for the network's.
    /// </summary>
    private static void KeepOnlyWhatMakes(GraphProto graph, string value)
    {
        var maker = new Dictionary<string, NodeProto>();
        foreach (var node in graph.Node)
            foreach (var output in node.Output.Where(o => o.Length > 0))
                if (!maker.TryAdd(output, node))
                    throw new InvalidOperationException(
                        $"ML.NET's ONNX converter wrote the value '{output}' twice (nodes '{maker[output].Name}' and '{node.Name}'), which no ONNX runtime loads. " +
                        "A transform that writes a column in place is the usual cause: give its output a new name, then export again.");
        var needed = new HashSet<string> { value };
        var reached = new HashSet<NodeProto>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<string>([value]);
        while (pending.TryPop(out var name))
            if (maker.TryGetValue(name, out var node) && reached.Add(node))
                foreach (var input in node.Input.Where(i => i.Length > 0))
                    if (needed.Add(input)) pending.Push(input);
        var nodes = graph.Node.Where(reached.Contains).ToList();
        var initializers = graph.Initializer.Where(t => needed.Contains(t.Name)).ToList();
        var inputs = graph.Input.Where(v => needed.Contains(v.Name)).ToList();
        graph.Node.Clear();
        graph.Node.AddRange(nodes);
        graph.Initializer.Clear();
        graph.Initializer.AddRange(initializers);
        graph.Input.Clear();
        graph.Input.AddRange(inputs);
        graph.Output.Clear();
        foreach (var input in graph.Input)
            if (input.Type?.TensorType?.Shape is { Dim.Count: > 0 } shape && shape.Dim[0].ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && shape.Dim[0].DimValue < 0)
                shape.Dim[0] = new TensorShapeProto.Types.Dimension { DimParam = OnnxGraphBuilder.BatchDimension };
    }

    /// <summary>
    /// Keeps the declared element type of the values the graph still makes, without their shapes: the ONNX checker cannot
    /// infer types through some of ai.onnx.ml's operators (Scaler, Imputer), and the converter's shapes are not all right
    /// (a one-hot vector declared [N, K] that is [N, 1, K]).
    /// </summary>
    private static void KeepValueTypesOnly(GraphProto graph)
    {
        var made = new HashSet<string>(graph.Node.SelectMany(n => n.Output));
        var typed = graph.ValueInfo.Where(v => made.Contains(v.Name) && v.Type?.TensorType is not null).ToList();
        graph.ValueInfo.Clear();
        foreach (var value in typed)
        {
            value.Type.TensorType.Shape = null;
            graph.ValueInfo.Add(value);
        }
    }

    /// <summary>
    /// Puts the nodes in an order in which each reads only values made before it, as ONNX requires. A graph that has no
    /// such order has a cycle (the converter writes one for some transforms that write a column in place) or a node
    /// that reads a value no node makes (its OneHotHashEncoding: the hash's output is named one way and read another);
    /// no ONNX runtime loads either.
    /// </summary>
    private static void SortTopologically(GraphProto graph, IReadOnlyList<ITransformer> preparation)
    {
        var made = new HashSet<string>(graph.Input.Select(v => v.Name).Concat(graph.Initializer.Select(t => t.Name))) { "" };
        var waiting = graph.Node.ToList();
        var sorted = new List<NodeProto>(waiting.Count);
        while (waiting.Count > 0)
        {
            // The first waiting node whose inputs are all made, so that a graph already in order keeps its order.
            int ready = waiting.FindIndex(node => node.Input.All(made.Contains));
            if (ready < 0)
            {
                var node = waiting[0];
                string missing = node.Input.First(input => !made.Contains(input));
                var parts = string.Join(", ", preparation.Select(NameOf));
                throw new InvalidOperationException(waiting.Any(w => w.Output.Contains(missing))
                    ? $"ML.NET's ONNX converter wrote a graph with a cycle through node '{node.Name}' ({node.OpType}), which no ONNX runtime loads; " +
                      $"it comes from one of {parts}. A transform that writes a column in place is the usual cause: give its output a new name."
                    : $"ML.NET's ONNX converter wrote a node '{node.Name}' ({node.OpType}) that reads '{missing}', which no node makes: it wrote one of " +
                      $"{parts} wrong, and the graph would not load. Prepare those features before scoring and export the pipeline from the next " +
                      "transform on, or replace the transform (for OneHotHashEncoding, which the converter writes so, OneHotEncoding exports).");
            }
            sorted.Add(waiting[ready]);
            made.UnionWith(waiting[ready].Output);
            waiting.RemoveAt(ready);
        }
        graph.Node.Clear();
        graph.Node.AddRange(sorted);
    }

    /// <summary>
    /// Moves the default domain to <see cref="OnnxGraphBuilder.Opset"/>. Of the operators the converter writes, Squeeze,
    /// Unsqueeze, ReduceSum and Split changed form at opset 13 (axes and split became inputs); the rest read alike.
    /// </summary>
    private static void RaiseOpset(ModelProto model)
    {
        var names = new HashSet<string>(model.Graph.Node.SelectMany(n => n.Output).Concat(model.Graph.Initializer.Select(t => t.Name)).Concat(model.Graph.Input.Select(v => v.Name)));
        int next = 0;
        foreach (var node in model.Graph.Node)
        {
            if (node.Domain is not ("" or "ai.onnx")) continue;
            string? moved = node.OpType switch { "Squeeze" or "Unsqueeze" or "ReduceSum" => "axes", "Split" => "split", _ => null };
            if (moved is null || node.Attribute.FirstOrDefault(a => a.Name == moved) is not { } attribute) continue;
            string name;
            do name = $"{node.Name}_{moved}_{next++}"; while (!names.Add(name));
            var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
            tensor.Dims.Add(attribute.Ints.Count);
            tensor.Int64Data.AddRange(attribute.Ints);
            model.Graph.Initializer.Add(tensor);
            node.Attribute.Remove(attribute);
            node.Input.Add(name); // each of the four has one input at opset 12: the moved one becomes the second
        }
        foreach (var domain in model.Graph.Node.Select(n => n.Domain).Where(d => d is not ("" or "ai.onnx")).Distinct().ToList())
            if (!model.OpsetImport.Any(o => o.Domain == domain))
                model.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = 1 }); // the converter leaves com.microsoft unimported
        model.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").ToList().ForEach(o => model.OpsetImport.Remove(o));
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OnnxGraphBuilder.Opset });
    }
}
