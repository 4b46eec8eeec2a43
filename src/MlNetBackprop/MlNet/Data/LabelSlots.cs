using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetBackprop.MlNet.Data;

/// <summary>
/// The slots of a vector label (multi-output regression's targets, multi-label's labels): their names, which become the
/// slot names of <c>Score</c> (and of <c>Probability</c> and <c>PredictedLabel</c>).
/// </summary>
internal static class LabelSlots
{
    /// <summary>Whether <paramref name="value"/> is a multi-label label's value: 0 or 1 (NaN, unknown, is handled apart).</summary>
    public static bool IsLabelValue(double value) => value is 0 or 1;

    /// <summary>The refusal of a multi-label label's value that is neither 0, 1 nor NaN, naming where it is.</summary>
    public static InvalidOperationException NotALabelValue(string column, long row, int slot, double value)
        => new($"Row {row} of label column '{column}' holds {value} in slot {slot}: a multi-label label holds 0 or 1 (or NaN where a label is unknown). " +
            "Map the column to 0/1 (or to Boolean) first.");

    /// <summary>
    /// The names of <paramref name="label"/>'s <paramref name="count"/> slots: its SlotNames annotation (e.g. from
    /// <c>Concatenate("Label", "Fare", "Tip")</c>), made unique; a slot without a name is called by its 0-based index.
    /// </summary>
    public static string[] Names(DataViewSchema.Column label, int count) => NamesIfAny(label, count) ?? Unique(new string[count]);

    /// <summary>As <see cref="Names"/>, but null when <paramref name="column"/> has no slot names of <paramref name="count"/> slots.</summary>
    public static string[]? NamesIfAny(DataViewSchema.Column column, int count)
    {
        var slotNames = column.Annotations.Schema.GetColumnOrNull(AnnotationNames.SlotNames);
        if (slotNames is not { Type: VectorDataViewType { ItemType: TextDataViewType, Size: var size } } || size != count)
            return null;
        var names = new string[count];
        VBuffer<ReadOnlyMemory<char>> values = default;
        column.GetSlotNames(ref values);
        int i = 0;
        foreach (var value in values.DenseValues())
            names[i++] = value.ToString();
        return Unique(names);
    }

    /// <summary>The names made unique ("a", "a (2)"), an empty one replaced by its slot's 0-based index.</summary>
    private static string[] Unique(string?[] names)
    {
        var unique = new string[names.Length];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++)
        {
            string name = names[i] is { Length: > 0 } given ? given : i.ToString(CultureInfo.InvariantCulture);
            string candidate = name;
            for (int n = 2; !seen.Add(candidate); n++) candidate = $"{name} ({n})";
            unique[i] = candidate;
        }
        return unique;
    }
}
