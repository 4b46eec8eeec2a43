using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetBackprop.Datasets;

/// <summary>A range of MNIST images streamed from their IDX files, one row at a time.</summary>
internal sealed class MnistDataView : IDataView
{
    private readonly IdxFile _images;
    private readonly IdxFile _labels;
    private readonly int _start;
    private readonly int _count;

    public MnistDataView(IdxFile images, IdxFile labels, int start, int count)
    {
        _images = images;
        _labels = labels;
        _start = start;
        _count = count;
        var digits = Enumerable.Range(0, 10).Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture).AsMemory()).ToArray();
        var keyValues = new DataViewSchema.Annotations.Builder();
        ValueGetter<VBuffer<ReadOnlyMemory<char>>> getDigits = (ref VBuffer<ReadOnlyMemory<char>> value) => value = new VBuffer<ReadOnlyMemory<char>>(10, digits);
        keyValues.Add("KeyValues", new VectorDataViewType(TextDataViewType.Instance, 10), getDigits);
        var schema = new DataViewSchema.Builder();
        schema.AddColumn("Label", new KeyDataViewType(typeof(uint), 10), keyValues.ToAnnotations());
        schema.AddColumn("Features", new VectorDataViewType(NumberDataViewType.Single, Mnist.Pixels));
        Schema = schema.ToSchema();
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _count;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        => new Cursor(this, columnsNeeded.Select(c => c.Index).ToHashSet());

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly MnistDataView _view;
        private readonly bool[] _active;
        private readonly Stream? _images;
        private readonly Stream? _labels;
        private readonly byte[] _pixels = new byte[Mnist.Pixels];
        private readonly byte[] _label = new byte[1];
        private long _position = -1;

        public Cursor(MnistDataView view, HashSet<int> active)
        {
            _view = view;
            _active = [active.Contains(0), active.Contains(1)];
            // Only the files of the requested columns are opened and decompressed.
            _labels = _active[0] ? view._labels.OpenAt(view._start) : null;
            _images = _active[1] ? view._images.OpenAt(view._start) : null;
        }

        public override long Position => _position;
        public override long Batch => 0;
        public override DataViewSchema Schema => _view.Schema;

        public override bool MoveNext()
        {
            if (_position + 1 >= _view._count)
            {
                _position = _view._count;
                return false;
            }
            _position++;
            int index = _view._start + (int)_position;
            if (_labels is not null)
            {
                _view._labels.ReadItem(_labels, _label, index);
                if (_label[0] > 9)
                    throw new InvalidDataException($"IDX file '{_view._labels.Path}' gives label {_label[0]} to image {index:N0}; MNIST's labels are 0 to 9.");
            }
            if (_images is not null)
                _view._images.ReadItem(_images, _pixels, index);
            return true;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!_active[column.Index])
                throw new InvalidOperationException($"Column '{column.Name}' was not requested from this cursor.");
            if (column.Index == 0 && typeof(TValue) == typeof(uint))
            {
                ValueGetter<uint> label = (ref uint value) => value = _label[0] + 1u; // key values count from 1
                return (ValueGetter<TValue>)(Delegate)label;
            }
            if (column.Index == 1 && typeof(TValue) == typeof(VBuffer<float>))
            {
                ValueGetter<VBuffer<float>> features = (ref VBuffer<float> value) =>
                {
                    var editor = VBufferEditor.Create(ref value, Mnist.Pixels);
                    var pixels = editor.Values;
                    for (int i = 0; i < pixels.Length; i++)
                        pixels[i] = _pixels[i] / 255f;
                    value = editor.Commit();
                };
                return (ValueGetter<TValue>)(Delegate)features;
            }
            throw new InvalidOperationException($"Column '{column.Name}' is of type {column.Type}, not {typeof(TValue).Name}.");
        }

        public override ValueGetter<DataViewRowId> GetIdGetter()
            => (ref DataViewRowId id) => id = new DataViewRowId((ulong)(_view._start + _position), 0);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _images?.Dispose();
                _labels?.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
