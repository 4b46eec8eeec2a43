using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetBackprop.MlNet.Data;

namespace MlNetBackprop.MlNet.Evaluation;

/// <summary>
/// Reads vector columns of a scored view into one array per slot, so that each target or label can be handed to ML.NET's
/// own evaluators as scalar columns. Labels are read as double (NaN where missing; Boolean as 0/1), outputs as float or
/// Boolean. The columns' schema is checked first, in ML.NET's words.
/// </summary>
internal static class SlotColumns
{
    /// <summary>The label column's size, checked to be a known-size vector of numbers (or of Boolean when <paramref name="booleanAllowed"/>).</summary>
    public static int LabelWidth(DataViewSchema schema, string name, bool booleanAllowed)
    {
        var column = Find(schema, name, "label");
        bool ok = column.Type is VectorDataViewType { IsKnownSize: true } v
            && (v.ItemType == NumberDataViewType.Single || v.ItemType == NumberDataViewType.Double || (booleanAllowed && v.ItemType == BooleanDataViewType.Instance));
        if (!ok)
            throw Mismatch("label", name, booleanAllowed ? "known-size vector of Boolean, Single or Double" : "known-size vector of Single or Double", column.Type);
        return ((VectorDataViewType)column.Type).Size;
    }

    /// <summary>Checks that an output column is a vector of <paramref name="itemType"/> of <paramref name="size"/> slots.</summary>
    public static void CheckOutput(DataViewSchema schema, string name, string role, DataViewType itemType, int size)
    {
        var column = Find(schema, name, role);
        if (column.Type is not VectorDataViewType { Size: var n } v || v.ItemType != itemType || n != size)
            throw Mismatch(role, name, $"known-size vector of {itemType} of size {size} (one slot per label slot)", column.Type);
    }

    /// <summary>The slots' names: the first of the columns that has slot names of the right size, or 0-based indices.</summary>
    public static string[] Names(DataViewSchema schema, int size, params string[] columns)
    {
        foreach (string name in columns)
            if (schema.GetColumnOrNull(name) is { } column && column.Annotations.Schema.GetColumnOrNull(AnnotationNames.SlotNames) is { Type: VectorDataViewType { Size: var n } } && n == size)
                return LabelSlots.Names(column, size);
        return Enumerable.Range(0, size).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>The label column's values, [slot][row], as double (Boolean as 0/1; NaN and infinities as NaN).</summary>
    public static double[][] Labels(IDataView data, string name, int size)
    {
        var column = data.Schema[name];
        var item = ((VectorDataViewType)column.Type).ItemType;
        if (item == BooleanDataViewType.Instance) return Read<bool>(data, name, size, v => v ? 1 : 0);
        if (item == NumberDataViewType.Double) return Read<double>(data, name, size, v => double.IsFinite(v) ? v : double.NaN);
        return Read<float>(data, name, size, v => float.IsFinite(v) ? v : double.NaN);
    }

    /// <summary>A vector column's values, [slot][row].</summary>
    public static T[][] Values<T>(IDataView data, string name, int size) => Read<T, T>(data, name, size, v => v);

    private static double[][] Read<T>(IDataView data, string name, int size, Func<T, double> convert) => Read<T, double>(data, name, size, convert);

    private static TOut[][] Read<T, TOut>(IDataView data, string name, int size, Func<T, TOut> convert)
    {
        var slots = Enumerable.Range(0, size).Select(_ => new List<TOut>()).ToArray();
        var column = data.Schema[name];
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<T>>(column);
        VBuffer<T> buffer = default;
        while (cursor.MoveNext())
        {
            getter(ref buffer);
            if (buffer.Length != size)
                throw new InvalidOperationException($"Row {cursor.Position} of column '{name}' has {buffer.Length} values where the schema promises {size}.");
            int j = 0;
            foreach (var value in buffer.DenseValues())
                slots[j++].Add(convert(value));
        }
        return slots.Select(s => s.ToArray()).ToArray();
    }

    private static DataViewSchema.Column Find(DataViewSchema schema, string name, string role)
        => schema.GetColumnOrNull(name) is { IsHidden: false } column ? column : throw new ArgumentOutOfRangeException(nameof(schema), $"Could not find {role} column '{name}'");

    private static ArgumentOutOfRangeException Mismatch(string role, string name, string expected, DataViewType got)
        => new("data", $"Schema mismatch for {role} column '{name}': expected {expected}, got {got}");
}
