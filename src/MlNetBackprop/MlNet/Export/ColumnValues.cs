using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetBackprop.Network.Export;
using MlNetBackprop.Network.Export.Proto;

namespace MlNetBackprop.MlNet.Export;

/// <summary>The ONNX value that stands for each column so far: a graph input for a raw column, a node's output for a computed one.</summary>
internal sealed class ColumnValues(OnnxGraphBuilder graph, DataViewSchema input)
{
    private readonly Dictionary<string, string> _values = [];
    private readonly Dictionary<string, string> _leftOut = [];

    /// <summary>The value of column <paramref name="name"/>: what a transform made of it, or the graph input of the raw column.</summary>
    public string Of(string name)
    {
        if (_values.TryGetValue(name, out var value)) return value;
        if (_leftOut.TryGetValue(name, out var by))
            throw new InvalidOperationException($"The features use column '{name}', which {by} makes; ONNX export leaves {by} out: export a pipeline whose features do not depend on it.");
        var column = input.GetColumnOrNull(name)
            ?? throw new InvalidOperationException($"The input data has no column '{name}', which the pipeline reads.");
        long width = column.Type switch
        {
            VectorDataViewType { ItemType: var item, Size: > 0 and var n } when item == NumberDataViewType.Single => n,
            var t when t == NumberDataViewType.Single => 1,
            var t => throw new InvalidOperationException($"ONNX export reads Single columns and known-size vectors of Single; input column '{name}' is {t}."),
        };
        graph.Input(name, TensorProto.Types.DataType.Float, width);
        return _values[name] = name;
    }

    public void Set(string name, string value)
    {
        _values[name] = value;
        _leftOut.Remove(name);
    }

    public void LeaveOut(string name, string by)
    {
        _values.Remove(name);
        _leftOut[name] = by;
    }
}
