// Loads a saved model in a fresh process, scores a binary .idv data file with it, and writes every value of the
// requested output columns as exact bit patterns, one row per line, so that a test can compare them bit for bit
// with the scores of the process that trained the model.
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

if (args.Length < 4)
{
    Console.Error.WriteLine("usage: MlNetBackprop.ScoringHelper <model.zip> <data.idv> <output.txt> <column> [<column> ...]");
    return 2;
}

var ml = new MLContext();
var model = ml.Model.Load(args[0], out _);
var data = ml.Data.LoadFromBinary(args[1]);
var scored = model.Transform(data);
File.WriteAllLines(args[2], ScoreDump.Rows(scored, args[3..]));
return 0;

/// <summary>Formats scored columns as exact bit patterns.</summary>
public static class ScoreDump
{
    /// <summary>One line per row: each requested column's values as hexadecimal bit patterns (floats) or raw values.</summary>
    public static IEnumerable<string> Rows(IDataView scored, IReadOnlyList<string> columns)
    {
        var cols = columns.Select(c => scored.Schema[c]).ToArray();
        using var cursor = scored.GetRowCursor(cols);
        var getters = cols.Select(c => Getter(cursor, c)).ToArray();
        while (cursor.MoveNext())
            yield return string.Join(" | ", getters.Select(g => g()));
    }

    private static Func<string> Getter(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        switch (column.Type)
        {
            case VectorDataViewType { ItemType: NumberDataViewType n } when n == NumberDataViewType.Single:
                {
                    var get = cursor.GetGetter<VBuffer<float>>(column);
                    VBuffer<float> value = default;
                    return () => { get(ref value); return string.Join(",", value.DenseValues().Select(Bits)); };
                }
            case NumberDataViewType n when n == NumberDataViewType.Single:
                {
                    var get = cursor.GetGetter<float>(column);
                    float value = 0;
                    return () => { get(ref value); return Bits(value); };
                }
            case KeyDataViewType:
                {
                    var get = cursor.GetGetter<uint>(column);
                    uint value = 0;
                    return () => { get(ref value); return value.ToString(CultureInfo.InvariantCulture); };
                }
            case BooleanDataViewType:
                {
                    var get = cursor.GetGetter<bool>(column);
                    bool value = false;
                    return () => { get(ref value); return value ? "true" : "false"; };
                }
            default:
                throw new NotSupportedException($"Column '{column.Name}' of type {column.Type} is not dumped.");
        }
    }

    private static string Bits(float value) => BitConverter.SingleToInt32Bits(value).ToString("X8", CultureInfo.InvariantCulture);
}
