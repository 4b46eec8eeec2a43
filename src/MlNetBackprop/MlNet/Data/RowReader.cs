using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetBackprop.Network.Inputs;
using MlNetBackprop.Network.Kernels;
using MlNetBackprop.Network.Targets;

namespace MlNetBackprop.MlNet.Data;

/// <summary>
/// Reads training rows one at a time from a cursor: the features as a dense vector or as the non-zeros of a sparse one,
/// the label into a row of <see cref="TrainingLabels"/> (a class index, or a value) and the example weight. Rows with NaN or infinite features, a missing label, or a weight that is not
/// a finite non-negative number are skipped and counted, as ML.NET's trainers do. Both the in-memory reader and the
/// streaming batch source read through this one class.
/// </summary>
internal sealed class RowReader : IDisposable
{
    private readonly DataViewRowCursor _cursor;
    private readonly ValueGetter<VBuffer<float>> _getFeatures;
    private readonly LabelReader _getLabel;
    private readonly ValueGetter<float>? _getWeight;
    private readonly string _featureName;
    private readonly int _inputSize;
    private readonly CancellationToken _cancellation;
    private VBuffer<float> _features;

    public RowReader(IDataView data, TrainingColumns columns, BackpropTask task, int inputSize, CancellationToken cancellation)
    {
        var schema = data.Schema;
        var read = new List<DataViewSchema.Column> { schema[columns.Features], schema[columns.Label] };
        if (columns.Weight is not null) read.Add(schema[columns.Weight]);
        _cursor = data.GetRowCursor(read);
        _getFeatures = _cursor.GetGetter<VBuffer<float>>(schema[columns.Features]);
        _getLabel = LabelGetter(_cursor, schema[columns.Label], task);
        _getWeight = columns.Weight is null ? null : _cursor.GetGetter<float>(schema[columns.Weight]);
        (_featureName, _inputSize, _cancellation) = (columns.Features, inputSize, cancellation);
    }

    /// <summary>Rows read from the cursor, usable or not.</summary>
    public long Read { get; private set; }

    /// <summary>Rows skipped for NaN or infinite features.</summary>
    public long BadFeatures { get; private set; }

    /// <summary>Rows skipped for a missing label.</summary>
    public long MissingLabel { get; private set; }

    /// <summary>Rows skipped for a negative or non-finite weight.</summary>
    public long BadWeight { get; private set; }

    /// <summary>The counts so far.</summary>
    public RowTally Tally => new(Read, BadFeatures, MissingLabel, BadWeight);

    /// <summary>
    /// Reads the next usable row: its features into <paramref name="features"/>, densely, and its label into row
    /// <paramref name="labelRow"/> of <paramref name="labels"/>; false at the end of the data.
    /// </summary>
    public bool Next(Span<float> features, TrainingLabels labels, int labelRow, out float weight)
    {
        while (NextRow(labels, labelRow, out weight))
        {
            var values = _features.GetValues();
            if (_features.IsDense)
            {
                values.CopyTo(features);
            }
            else
                SparseRows<float>.Scatter(values, _features.GetIndices(), features);
            if (!ElementWise.AllFinite(values)) { BadFeatures++; continue; }
            return true;
        }
        return false;
    }

    /// <summary>
    /// Reads the next usable row, appends its non-zeros to <paramref name="rows"/> (never making a sparse vector dense)
    /// and its label into row <paramref name="labelRow"/> of <paramref name="labels"/>; false at the end of the data.
    /// </summary>
    public bool Next(SparseRows<float> rows, TrainingLabels labels, int labelRow, out float weight)
    {
        while (NextRow(labels, labelRow, out weight))
        {
            var values = _features.GetValues();
            if (!ElementWise.AllFinite(values)) { BadFeatures++; continue; }
            if (_features.IsDense)
                rows.AppendDense(values);
            else
                rows.Append(values, _features.GetIndices());
            return true;
        }
        return false;
    }

    /// <summary>
    /// Moves to the next row with a label and a usable weight, reads its label into row <paramref name="labelRow"/> of
    /// <paramref name="labels"/> and its features into <c>_features</c>, checking a sparse vector's indices; false at the
    /// end of the data.
    /// </summary>
    private bool NextRow(TrainingLabels labels, int labelRow, out float weight)
    {
        weight = 1;
        while (_cursor.MoveNext())
        {
            if ((Read++ & 0x3FF) == 0)
                _cancellation.ThrowIfCancellationRequested();
            if (!_getLabel(labels, labelRow)) { MissingLabel++; continue; }
            if (_getWeight is not null)
            {
                _getWeight(ref weight);
                if (!float.IsFinite(weight) || weight < 0) { BadWeight++; continue; }
            }
            _getFeatures(ref _features);
            if (_features.Length != _inputSize)
                throw new InvalidOperationException(
                    $"Row {Read - 1} of feature column '{_featureName}' has {_features.Length} values where the schema promises {_inputSize}.");
            if (!_features.IsDense)
                CheckIndices(_features.GetIndices());
            return true;
        }
        return false;
    }

    /// <summary>A sparse vector's indices must rise strictly and stay within the vector, as ML.NET's VBuffer requires.</summary>
    private void CheckIndices(ReadOnlySpan<int> indices)
    {
        int previous = -1;
        foreach (int index in indices)
        {
            if (index <= previous || index >= _inputSize)
                throw new InvalidOperationException(
                    $"Row {Read - 1} of feature column '{_featureName}' is a sparse vector with index {index} " +
                    (index >= _inputSize || index < 0 ? $"outside its {_inputSize} slots" : $"after index {previous}") +
                    ": a sparse VBuffer's indices must rise strictly from 0 to its length − 1. Fix the IDataView that makes the column.");
            previous = index;
        }
    }

    public void Dispose() => _cursor.Dispose();

    /// <summary>Reads the cursor's label into a row of labels; false when it is missing.</summary>
    private delegate bool LabelReader(TrainingLabels labels, int row);

    /// <summary>
    /// The label's reader for the task: a class index (key 1..K as 0..K−1; Boolean as 0/1), a finite value, or a vector's
    /// values (see <see cref="VectorLabelGetter"/>).
    /// </summary>
    private static LabelReader LabelGetter(DataViewRowCursor cursor, DataViewSchema.Column column, BackpropTask task)
    {
        if (column.Type is VectorDataViewType vector)
            return VectorLabelGetter(cursor, column, vector, task == BackpropTask.MultiLabelClassification);
        switch (task)
        {
            case BackpropTask.MulticlassClassification:
                {
                    // Key value 0 is ML.NET's missing key; 1..K are the classes.
                    var get = KeyGetter(cursor, column);
                    ulong count = ((KeyDataViewType)column.Type).Count;
                    return (labels, row) =>
                    {
                        ulong key = get();
                        if (key == 0) return false;
                        if (key > count)
                            throw new InvalidOperationException(
                                $"Label column '{column.Name}' holds key {key} in a row, beyond its type's {count} values: the IDataView that makes it breaks ML.NET's key contract.");
                        labels.SetClass(row, (int)(key - 1));
                        return true;
                    };
                }
            case BackpropTask.BinaryClassification:
                {
                    var get = cursor.GetGetter<bool>(column);
                    bool value = false;
                    return (labels, row) => { get(ref value); labels.SetClass(row, value ? 1 : 0); return true; };
                }
            default:
                if (column.Type == NumberDataViewType.Double)
                {
                    var get = cursor.GetGetter<double>(column);
                    double value = 0;
                    return (labels, row) => { get(ref value); labels.ValuesFor(row)[0] = value; return double.IsFinite(value); };
                }
                else
                {
                    var get = cursor.GetGetter<float>(column);
                    float value = 0;
                    return (labels, row) => { get(ref value); labels.ValuesFor(row)[0] = value; return float.IsFinite(value); };
                }
        }
    }

    /// <summary>
    /// A vector label's reader (multi-output regression, multi-label): its values, sparse ones made dense, a NaN (or a
    /// target's infinite) value kept as NaN (that target is missing in that row, and left out of the cost), Boolean as
    /// 0/1. A row is missing only when all its values are. Multi-label values must be 0 or 1 (or NaN).
    /// </summary>
    private static LabelReader VectorLabelGetter(DataViewRowCursor cursor, DataViewSchema.Column column, VectorDataViewType type, bool multiLabel)
    {
        int size = type.Size;
        LabelReader Reader<TItem>(Func<TItem, double> toDouble)
        {
            var get = cursor.GetGetter<VBuffer<TItem>>(column);
            VBuffer<TItem> buffer = default;
            return (labels, row) =>
            {
                get(ref buffer);
                CheckLength(cursor, column, buffer.Length, size);
                var values = labels.ValuesFor(row);
                values.Clear();
                var items = buffer.GetValues();
                var indices = buffer.IsDense ? default : buffer.GetIndices();
                for (int i = 0; i < items.Length; i++)
                    values[buffer.IsDense ? i : indices[i]] = toDouble(items[i]);
                bool any = false;
                for (int j = 0; j < values.Length; j++)
                {
                    double value = values[j];
                    if (double.IsNaN(value)) continue;
                    if (multiLabel && !LabelSlots.IsLabelValue(value))
                        throw LabelSlots.NotALabelValue(column.Name, cursor.Position, j, value);
                    if (!double.IsFinite(value)) { values[j] = double.NaN; continue; }
                    any = true;
                }
                return any;
            };
        }
        if (type.ItemType == BooleanDataViewType.Instance) return Reader<bool>(v => v ? 1 : 0);
        return type.ItemType == NumberDataViewType.Double ? Reader<double>(v => v) : Reader<float>(v => v);
    }

    private static void CheckLength(DataViewRowCursor cursor, DataViewSchema.Column column, int length, int size)
    {
        if (length != size)
            throw new InvalidOperationException(
                $"Row {cursor.Position} of label column '{column.Name}' has {length} values where the schema promises {size}: fix the IDataView that makes the column.");
    }

    private static Func<ulong> KeyGetter(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        switch (Type.GetTypeCode(column.Type.RawType))
        {
            case TypeCode.Byte: { var g = cursor.GetGetter<byte>(column); byte v = 0; return () => { g(ref v); return v; }; }
            case TypeCode.UInt16: { var g = cursor.GetGetter<ushort>(column); ushort v = 0; return () => { g(ref v); return v; }; }
            case TypeCode.UInt32: { var g = cursor.GetGetter<uint>(column); uint v = 0; return () => { g(ref v); return v; }; }
            default: { var g = cursor.GetGetter<ulong>(column); ulong v = 0; return () => { g(ref v); return v; }; }
        }
    }
}
