using Google.Protobuf;
using MlNetBackprop.Network.Export.Proto;

namespace MlNetBackprop.Network.Export;

/// <summary>
/// Builds an ONNX graph a node at a time: constants become initializers, every value gets a fresh name, inputs and
/// outputs are declared with a symbolic batch dimension. <see cref="ToModel"/> wraps it at IR 7 and opset 13. A builder may
/// also continue a graph another writer began (ML.NET's converter, for the feature preparation): its names are then
/// avoided, and a name the caller fixes that the graph already has is refused.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    /// <summary>The IR version and operator set the graphs are written for (Gemm with transB, ReduceSum's axes input).</summary>
    public const long IrVersion = 7, Opset = 13;

    /// <summary>The name of the batch dimension of every input and output.</summary>
    public const string BatchDimension = "N";

    private readonly GraphProto _graph;
    private readonly ModelProto? _begun;
    private readonly HashSet<string> _taken;
    private int _next;

    /// <summary>A builder of a new graph.</summary>
    public OnnxGraphBuilder()
    {
        _graph = new GraphProto { Name = "MlNetBackprop" };
        _taken = [];
    }

    /// <summary>A builder that continues the graph of <paramref name="begun"/>, whose default domain is at <see cref="Opset"/>.</summary>
    public OnnxGraphBuilder(ModelProto begun)
    {
        if (begun.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx")?.Version != Opset)
            throw new ArgumentException($"The graph to continue must import the default domain at opset {Opset}.", nameof(begun));
        _begun = begun;
        _graph = begun.Graph;
        _taken = [.. _graph.Node.SelectMany(n => n.Output.Append(n.Name)), .. _graph.Initializer.Select(t => t.Name), .. _graph.Input.Select(v => v.Name)];
    }

    /// <summary>A name no other value of the graph has.</summary>
    public string Fresh(string hint)
    {
        string name;
        do name = $"{hint}_{_next++}"; while (!_taken.Add(name));
        return name;
    }

    /// <summary>Declares a graph input of element type <paramref name="type"/> and shape [N, dims…].</summary>
    public void Input(string name, TensorProto.Types.DataType type, params long[] dims) => _graph.Input.Add(Value(Take(name), type, dims));

    /// <summary>Declares a graph output of element type <paramref name="type"/> and shape [N, dims…] (made by a node named for it).</summary>
    public void Output(string name, TensorProto.Types.DataType type, params long[] dims) => _graph.Output.Add(Value(name, type, dims));

    /// <summary>A name the caller fixes, which no other value of the graph may have.</summary>
    private string Take(string name) => _taken.Add(name) ? name
        : throw new InvalidOperationException($"The ONNX graph already has a value named '{name}' (an input column of that name?): rename the column before exporting.");

    /// <summary>A float constant of shape <paramref name="dims"/>; returns its name.</summary>
    public string Constant(string hint, ReadOnlySpan<float> values, params long[] dims)
    {
        var tensor = new TensorProto { Name = Fresh(hint), DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        // raw_data: the floats' little-endian bytes, which is what ONNX readers expect and the smallest encoding.
        tensor.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ONNX export writes little-endian tensors.");
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>An int64 constant of shape <paramref name="dims"/>; returns its name.</summary>
    public string Constant(string hint, long[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = Fresh(hint), DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.AddRange(dims);
        tensor.Int64Data.AddRange(values);
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>A string constant of shape [values.Length]; returns its name.</summary>
    public string Constant(string hint, IReadOnlyList<string> values)
    {
        var tensor = new TensorProto { Name = Fresh(hint), DataType = (int)TensorProto.Types.DataType.String };
        tensor.Dims.Add(values.Count);
        tensor.StringData.AddRange(values.Select(ByteString.CopyFromUtf8));
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Adds a node; returns the name of its (first) output, <paramref name="output"/> or a fresh one.</summary>
    public string Node(string op, string[] inputs, string? output = null, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = Fresh(op) };
        node.Input.AddRange(inputs);
        node.Output.Add(output is null ? Fresh(op.ToLowerInvariant()) : Take(output));
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return node.Output[0];
    }

    public static AttributeProto Int(string name, long value) => new() { Name = name, I = value, Type = AttributeProto.Types.AttributeType.Int };

    public static AttributeProto Float(string name, float value) => new() { Name = name, F = value, Type = AttributeProto.Types.AttributeType.Float };

    /// <summary>The model: this graph at <see cref="IrVersion"/>, importing the default domain at <see cref="Opset"/>.</summary>
    public ModelProto ToModel(string producerVersion)
    {
        if (_begun is not null)
        {
            (_begun.IrVersion, _begun.ProducerName, _begun.ProducerVersion) = (IrVersion, "MlNetBackprop", producerVersion);
            return _begun;
        }
        var model = new ModelProto { IrVersion = IrVersion, ProducerName = "MlNetBackprop", ProducerVersion = producerVersion, Graph = _graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model;
    }

    private static ValueInfoProto Value(string name, TensorProto.Types.DataType type, long[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = BatchDimension });
        foreach (long d in dims) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } } };
    }
}
