using System.Globalization;
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetBackprop.MlNet.Data;

/// <summary>
/// The classes of a key-typed label: their names (Score's slot names) and the KeyValues annotation that
/// PredictedLabel carries. KeyValues may be of any primitive type, hence the generic helpers.
/// </summary>
internal static class LabelClasses
{
    /// <summary>The names of Score's slots: the label's KeyValues as text, made unique; "1", "2", … without KeyValues.</summary>
    public static string[] ClassNames(DataViewSchema.Column label, int count)
    {
        var names = new string[count];
        var keyValues = label.Annotations.Schema.GetColumnOrNull(AnnotationNames.KeyValues);
        if (keyValues is { Type: VectorDataViewType { Size: var size } } && size == count)
        {
            var read = typeof(LabelClasses).GetMethod(nameof(KeyValuesAsText), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(((VectorDataViewType)keyValues.Value.Type).ItemType.RawType);
            var values = (string[])read.Invoke(null, [label])!;
            Array.Copy(values, names, count);
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            string name = string.IsNullOrEmpty(names[i]) ? (i + 1).ToString(CultureInfo.InvariantCulture) : names[i];
            string unique = name;
            for (int n = 2; !seen.Add(unique); n++) unique = $"{name} ({n})";
            names[i] = unique;
        }
        return names;
    }

    private static string[] KeyValuesAsText<T>(DataViewSchema.Column label)
    {
        VBuffer<T> values = default;
        label.GetKeyValues(ref values);
        return values.DenseValues().Select(v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "").ToArray();
    }

    public static DataViewSchema.Annotations? KeyValuesOf(DataViewSchema.Column label)
    {
        if (label.Annotations.Schema.GetColumnOrNull(AnnotationNames.KeyValues) is null)
            return null;
        var builder = new DataViewSchema.Annotations.Builder();
        builder.Add(label.Annotations, name => name == AnnotationNames.KeyValues);
        return builder.ToAnnotations();
    }

    public static DataViewSchema.Annotations StandInKeyValues(DataViewType itemType, int count) => itemType.RawType switch
    {
        // The item types MapValueToKey makes keys of; no reflection, so that trimming and AOT keep what this calls.
        var t when t == typeof(ReadOnlyMemory<char>) => StandInKeyValuesOf<ReadOnlyMemory<char>>(itemType, count),
        var t when t == typeof(float) => StandInKeyValuesOf<float>(itemType, count),
        var t when t == typeof(double) => StandInKeyValuesOf<double>(itemType, count),
        var t when t == typeof(bool) => StandInKeyValuesOf<bool>(itemType, count),
        var t when t == typeof(sbyte) => StandInKeyValuesOf<sbyte>(itemType, count),
        var t when t == typeof(byte) => StandInKeyValuesOf<byte>(itemType, count),
        var t when t == typeof(short) => StandInKeyValuesOf<short>(itemType, count),
        var t when t == typeof(ushort) => StandInKeyValuesOf<ushort>(itemType, count),
        var t when t == typeof(int) => StandInKeyValuesOf<int>(itemType, count),
        var t when t == typeof(uint) => StandInKeyValuesOf<uint>(itemType, count),
        var t when t == typeof(long) => StandInKeyValuesOf<long>(itemType, count),
        var t when t == typeof(ulong) => StandInKeyValuesOf<ulong>(itemType, count),
        var t when t == typeof(DateTime) => StandInKeyValuesOf<DateTime>(itemType, count),
        var t when t == typeof(DateTimeOffset) => StandInKeyValuesOf<DateTimeOffset>(itemType, count),
        var t when t == typeof(TimeSpan) => StandInKeyValuesOf<TimeSpan>(itemType, count),
        var t => throw new ArgumentOutOfRangeException(nameof(itemType), t, $"Label key values of type {t.Name} are not supported: map the label with MapValueToKey from text or numbers."),
    };

    private static DataViewSchema.Annotations StandInKeyValuesOf<T>(DataViewType itemType, int count)
    {
        var builder = new DataViewSchema.Annotations.Builder();
        ValueGetter<VBuffer<T>> getter = (ref VBuffer<T> value) => value = new VBuffer<T>(count, new T[count]);
        builder.Add(AnnotationNames.KeyValues, new VectorDataViewType((PrimitiveDataViewType)itemType, count), getter);
        return builder.ToAnnotations();
    }
}
