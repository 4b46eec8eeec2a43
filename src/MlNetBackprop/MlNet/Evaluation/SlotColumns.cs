using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetBackprop.MlNet.Data;

namespace MlNetBackprop.MlNet.Evaluation;

/// <summary>
/// Reads the label and the output vectors of a scored view in one pass into one array per slot, so that each target or
/// label can be handed to ML.NET's own evaluators as scalar columns. Labels are read as double: Boolean as 0/1; NaN
/// where missing (a regression target's infinity too); a multi-label value other than 0, 1 or NaN is refused. The
/// columns' schema is checked first, in ML.NET's words, and the label's and the score's slot names must agree, so that
/// no slot is evaluated against another's.
/// </summary>
internal sealed class SlotColumns
{
    private SlotColumns(string[] names, double[][] labels, float[][] scores, float[][] probabilities, bool[][] decisions)
        => (Names, Labels, Scores, Probabilities, Decisions) = (names, labels, scores, probabilities, decisions);

    /// <summary>The slots' names: the score's slot names (or the label's; a slot's 0-based index where neither has them).</summary>
    public string[] Names { get; }

    /// <summary>The labels, [slot][row].</summary>
    public double[][] Labels { get; }

    /// <summary>The scores, [slot][row].</summary>
    public float[][] Scores { get; }

    /// <summary>The probabilities, [slot][row] (multi-label; empty otherwise).</summary>
    public float[][] Probabilities { get; }

    /// <summary>The decisions, [slot][row] (multi-label; empty otherwise).</summary>
    public bool[][] Decisions { get; }

    /// <summary>A multi-output regression's label and score.</summary>
    public static SlotColumns OfRegression(IDataView data, string label, string score)
    {
        int size = LabelWidth(data.Schema, label, booleanAllowed: false);
        CheckOutput(data.Schema, score, "score", NumberDataViewType.Single, size);
        return Read(data, label, size, multiLabel: false, score, null, null);
    }

    /// <summary>A multi-label model's label, score, probability and decision.</summary>
    public static SlotColumns OfLabels(IDataView data, string label, string score, string probability, string predictedLabel)
    {
        int size = LabelWidth(data.Schema, label, booleanAllowed: true);
        CheckOutput(data.Schema, score, "score", NumberDataViewType.Single, size);
        CheckOutput(data.Schema, probability, "probability", NumberDataViewType.Single, size);
        CheckOutput(data.Schema, predictedLabel, "predicted label", BooleanDataViewType.Instance, size);
        return Read(data, label, size, multiLabel: true, score, probability, predictedLabel);
    }

    /// <summary>The rows where slot <paramref name="slot"/>'s label is present; none is an error naming the slot.</summary>
    public int[] Present(int slot, string labelColumnName)
    {
        var labels = Labels[slot];
        var rows = Enumerable.Range(0, labels.Length).Where(r => !double.IsNaN(labels[r])).ToArray();
        return rows.Length > 0 ? rows
            : throw new InvalidOperationException($"Slot '{Names[slot]}' of label column '{labelColumnName}' has no value (only NaN) in the data: there is nothing to evaluate it on.");
    }

    private static SlotColumns Read(IDataView data, string label, int size, bool multiLabel, string score, string? probability, string? predictedLabel)
    {
        var names = SlotNames(data.Schema, label, score, size);
        var labels = New<double>(size);
        var scores = New<float>(size);
        var probabilities = New<float>(probability is null ? 0 : size);
        var decisions = New<bool>(predictedLabel is null ? 0 : size);
        var schema = data.Schema;
        var columns = new[] { label, score, probability, predictedLabel }.OfType<string>().Select(c => schema[c]).ToArray();
        using var cursor = data.GetRowCursor(columns);
        var readLabel = LabelReader(cursor, schema[label]);
        var readScore = Reader<float, float>(cursor, schema[score], v => v);
        var readProbability = probability is null ? null : Reader<float, float>(cursor, schema[probability], v => v);
        var readDecision = predictedLabel is null ? null : Reader<bool, bool>(cursor, schema[predictedLabel], v => v);
        var (row, scoreRow, probabilityRow, decisionRow) = (new double[size], new float[size], new float[size], new bool[size]);
        while (cursor.MoveNext())
        {
            readLabel(row);
            for (int j = 0; j < size; j++)
            {
                double value = row[j];
                if (multiLabel && !double.IsNaN(value) && !LabelSlots.IsLabelValue(value))
                    throw LabelSlots.NotALabelValue(label, cursor.Position, j, value);
                labels[j].Add(double.IsFinite(value) ? value : double.NaN);
            }
            readScore(scoreRow);
            Append(scores, scoreRow);
            if (readProbability is not null) { readProbability(probabilityRow); Append(probabilities, probabilityRow); }
            if (readDecision is not null) { readDecision(decisionRow); Append(decisions, decisionRow); }
        }
        return new SlotColumns(names, Arrays(labels), Arrays(scores), Arrays(probabilities), Arrays(decisions));
    }

    /// <summary>
    /// The score's slot names, checked against the label's when both have them: a label whose slots are in another order
    /// than the model's outputs would otherwise be evaluated slot against the wrong slot.
    /// </summary>
    private static string[] SlotNames(DataViewSchema schema, string label, string score, int size)
    {
        var labelNames = LabelSlots.NamesIfAny(schema[label], size);
        var scoreNames = LabelSlots.NamesIfAny(schema[score], size);
        if (labelNames is not null && scoreNames is not null && !labelNames.SequenceEqual(scoreNames))
            throw new ArgumentOutOfRangeException("data",
                $"Schema mismatch for score column '{score}': its slots are [{string.Join(", ", scoreNames)}] but label column '{label}''s are " +
                $"[{string.Join(", ", labelNames)}]. Make the label as the model's label was made (the same slots, in the same order).");
        return scoreNames ?? LabelSlots.Names(schema[label], size);
    }

    /// <summary>The label column's size, checked to be a known-size vector of numbers (or of Boolean when <paramref name="booleanAllowed"/>).</summary>
    private static int LabelWidth(DataViewSchema schema, string name, bool booleanAllowed)
    {
        var column = Find(schema, name, "label");
        bool ok = column.Type is VectorDataViewType { IsKnownSize: true } v
            && (v.ItemType == NumberDataViewType.Single || v.ItemType == NumberDataViewType.Double || (booleanAllowed && v.ItemType == BooleanDataViewType.Instance));
        if (!ok)
            throw Mismatch("label", name, booleanAllowed ? "known-size vector of Boolean, Single or Double" : "known-size vector of Single or Double", column.Type);
        return ((VectorDataViewType)column.Type).Size;
    }

    /// <summary>Checks that an output column is a vector of <paramref name="itemType"/> of <paramref name="size"/> slots.</summary>
    private static void CheckOutput(DataViewSchema schema, string name, string role, DataViewType itemType, int size)
    {
        var column = Find(schema, name, role);
        if (column.Type is not VectorDataViewType { Size: var n } v || v.ItemType != itemType || n != size)
            throw Mismatch(role, name, $"known-size vector of {itemType} of size {size} (one slot per label slot)", column.Type);
    }

    /// <summary>Reads a row's label as doubles (Boolean as 0/1).</summary>
    private static Action<double[]> LabelReader(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var item = ((VectorDataViewType)column.Type).ItemType;
        if (item == BooleanDataViewType.Instance) return Reader<bool, double>(cursor, column, v => v ? 1 : 0);
        if (item == NumberDataViewType.Double) return Reader<double, double>(cursor, column, v => v);
        return Reader<float, double>(cursor, column, v => v);
    }

    /// <summary>Reads a row's vector, sparse or dense, into a row of its slots, each value converted.</summary>
    private static Action<TOut[]> Reader<T, TOut>(DataViewRowCursor cursor, DataViewSchema.Column column, Func<T, TOut> convert)
    {
        var getter = cursor.GetGetter<VBuffer<T>>(column);
        VBuffer<T> buffer = default;
        return row =>
        {
            getter(ref buffer);
            CheckLength(cursor, column, buffer.Length, row.Length);
            int j = 0;
            foreach (var value in buffer.DenseValues()) row[j++] = convert(value);
        };
    }

    private static void Append<T>(List<T>[] slots, T[] row)
    {
        for (int j = 0; j < row.Length; j++) slots[j].Add(row[j]);
    }

    private static void CheckLength(DataViewRowCursor cursor, DataViewSchema.Column column, int length, int size)
    {
        if (length != size)
            throw new InvalidOperationException($"Row {cursor.Position} of column '{column.Name}' has {length} values where the schema promises {size}.");
    }

    private static List<T>[] New<T>(int slots) => Enumerable.Range(0, slots).Select(_ => new List<T>()).ToArray();

    private static T[][] Arrays<T>(List<T>[] slots) => slots.Select(s => s.ToArray()).ToArray();

    private static DataViewSchema.Column Find(DataViewSchema schema, string name, string role)
        => schema.GetColumnOrNull(name) is { IsHidden: false } column ? column : throw new ArgumentOutOfRangeException(nameof(schema), $"Could not find {role} column '{name}'");

    private static ArgumentOutOfRangeException Mismatch(string role, string name, string expected, DataViewType got)
        => new("data", $"Schema mismatch for {role} column '{name}': expected {expected}, got {got}");
}
