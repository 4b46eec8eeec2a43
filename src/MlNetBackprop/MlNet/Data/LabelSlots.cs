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
    /// <summary>
    /// The names of <paramref name="label"/>'s <paramref name="count"/> slots: its SlotNames annotation (e.g. from
    /// <c>Concatenate("Label", "Fare", "Tip")</c>), made unique; a slot without a name is called by its 0-based index.
    /// </summary>
    public static string[] Names(DataViewSchema.Column label, int count)
    {
        var names = new string[count];
        var slotNames = label.Annotations.Schema.GetColumnOrNull(AnnotationNames.SlotNames);
        if (slotNames is { Type: VectorDataViewType { ItemType: TextDataViewType, Size: var size } } && size == count)
        {
            VBuffer<ReadOnlyMemory<char>> values = default;
            label.GetSlotNames(ref values);
            int i = 0;
            foreach (var value in values.DenseValues())
                names[i++] = value.ToString();
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            string name = string.IsNullOrEmpty(names[i]) ? i.ToString(CultureInfo.InvariantCulture) : names[i];
            string unique = name;
            for (int n = 2; !seen.Add(unique); n++) unique = $"{name} ({n})";
            names[i] = unique;
        }
        return names;
    }
}
