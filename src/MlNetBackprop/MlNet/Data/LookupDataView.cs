using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetBackprop.MlNet.Data;

/// <summary>
/// A small in-memory data view whose columns may carry annotations (ML.NET's own builder for this is internal).
/// It serves as the lookup table of a value mapping: ML.NET copies the value column's annotations, such as a
/// key type's KeyValues, onto the mapped column and saves them with the model.
/// </summary>
internal sealed class LookupDataView : IDataView
{
    private readonly Array[] _values;

    /// <summary>Creates the view; every array holds one value per row, of its column type's raw type.</summary>
    public LookupDataView(IReadOnlyList<(string Name, DataViewType Type, Array Values, DataViewSchema.Annotations? Annotations)> columns)
    {
        var builder = new DataViewSchema.Builder();
        foreach (var column in columns)
        {
            if (column.Values.GetType().GetElementType() != column.Type.RawType)
                throw new ArgumentException($"Column '{column.Name}' holds {column.Values.GetType().Name}, not {column.Type.RawType.Name}.");
            builder.AddColumn(column.Name, column.Type, column.Annotations);
        }
        Schema = builder.ToSchema();
        _values = columns.Select(c => c.Values).ToArray();
        RowCount = columns.Count == 0 ? 0 : _values[0].Length;
    }

    /// <summary>The number of rows.</summary>
    public int RowCount { get; }

    /// <inheritdoc/>
    public bool CanShuffle => false;

    /// <inheritdoc/>
    public DataViewSchema Schema { get; }

    /// <inheritdoc/>
    public long? GetRowCount() => RowCount;

    /// <inheritdoc/>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        => new Cursor(this);

    /// <inheritdoc/>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => [new Cursor(this)];

    private sealed class Cursor(LookupDataView view) : DataViewRowCursor
    {
        private long _position = -1;

        public override long Position => _position;
        public override long Batch => 0;
        public override DataViewSchema Schema => view.Schema;

        public override bool MoveNext()
        {
            if (_position + 1 >= view.RowCount) { _position = view.RowCount; return false; }
            _position++;
            return true;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (view._values[column.Index] is not TValue[] values)
                throw new InvalidOperationException($"Column '{column.Name}' is of type {column.Type}, not {typeof(TValue).Name}.");
            return (ref TValue value) => value = values[_position];
        }

        public override ValueGetter<DataViewRowId> GetIdGetter()
            => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);
    }
}
