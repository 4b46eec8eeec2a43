using Microsoft.ML;
using MlNetBackprop.Network.Inputs;
using MlNetBackprop.Network.Targets;
using MlNetBackprop.Network.Training;

namespace MlNetBackprop.MlNet.Data;

/// <summary>
/// Mini-batches streamed from an <see cref="IDataView"/> that is too large to hold in memory: every epoch opens a new
/// cursor and passes the rows through a bounded shuffle buffer (each row taken out at a random slot and replaced by the
/// next row read), so memory stays at the buffer whatever the data's size. The order is random within the buffer's
/// reach and fixed by the seed. Targets and weights come from the same <see cref="TargetEncoding"/> and
/// <see cref="ExampleWeighting"/> as rows held in memory. Sparse features stay sparse: each slot of the buffer then holds
/// one row's non-zeros.
/// </summary>
internal sealed class StreamingBatchSource : IBatchSource<float>, IDisposable
{
    private readonly IDataView _data;
    private readonly TrainingColumns _columns;
    private readonly BackpropTask _task;
    private readonly TargetEncoding _encoding;
    private readonly ExampleWeighting? _weighting;
    private readonly CancellationToken _cancellation;
    private readonly float[] _inputs;
    private readonly SparseRows<float>[] _sparseSlots;
    private readonly int _slotValues;
    private readonly TrainingLabels _labels;
    private readonly float[] _weights;
    private readonly int _capacity;
    private RowReader? _reader;
    private Random _random = new(0);
    private int _filled;

    public StreamingBatchSource(IDataView data, TrainingColumns columns, BackpropTask task, int inputSize, int rows, TargetEncoding encoding,
        ExampleWeighting? weighting, int bufferRows, bool sparse, double meanNonZeros, CancellationToken cancellation)
    {
        (_data, _columns, _task, _encoding, _weighting, _cancellation) = (data, columns, task, encoding, weighting, cancellation);
        (InputSize, Rows, SparseInputs) = (inputSize, rows, sparse);
        _capacity = int.Max(1, int.Min(int.Min(bufferRows, rows), sparse ? int.MaxValue : Array.MaxLength / inputSize));
        _inputs = sparse ? [] : new float[_capacity * inputSize];
        // A slot starts with room for a row of the mean size; one that a long row made much larger is replaced by a fresh
        // one when it is refilled, so that the buffer keeps to its budget.
        _slotValues = (int)double.Ceiling(meanNonZeros) + 1;
        _sparseSlots = sparse ? Enumerable.Range(0, _capacity).Select(_ => new SparseRows<float>(inputSize, 1, _slotValues)).ToArray() : [];
        _labels = encoding.Classifies ? TrainingLabels.ForClasses(_capacity) : TrainingLabels.ForValues(encoding.Width, _capacity);
        for (int slot = 0; slot < _capacity; slot++) _labels.Append();
        _weights = new float[_capacity];
    }

    public int Rows { get; }
    public int InputSize { get; }
    public int OutputSize => _encoding.Width;
    public bool Classifies => _encoding.Classifies;
    public bool HasExampleScale => _weighting is not null;
    public bool SparseInputs { get; }

    /// <summary>Rows the shuffle buffer holds.</summary>
    public int BufferRows => _capacity;

    public void BeginEpoch(Random random)
    {
        _reader?.Dispose();
        _reader = new RowReader(_data, _columns, _task, InputSize, _cancellation);
        _random = random;
        _filled = 0;
        while (_filled < _capacity && Read(_filled))
            _filled++;
    }

    public void NextBatch(MiniBatch<float> batch)
    {
        batch.SparseInputs?.Clear();
        int rows = 0;
        for (; rows < batch.Capacity && _filled > 0; rows++)
        {
            int slot = _random.Next(_filled);
            Emit(slot, rows, batch);
            if (!Read(slot))
            {
                // The data is exhausted: the last buffered row takes the emptied slot.
                _filled--;
                if (slot != _filled) Move(_filled, slot);
            }
        }
        batch.Rows = rows;
    }

    private bool Read(int slot)
    {
        if (!SparseInputs)
            return _reader!.Next(_inputs.AsSpan(slot * InputSize, InputSize), _labels, slot, out _weights[slot]);
        if (_sparseSlots[slot].ValueCapacity > 4 * _slotValues)
            _sparseSlots[slot] = new SparseRows<float>(InputSize, 1, _slotValues);
        _sparseSlots[slot].Clear();
        return _reader!.Next(_sparseSlots[slot], _labels, slot, out _weights[slot]);
    }

    private void Move(int from, int to)
    {
        if (SparseInputs)
            (_sparseSlots[to], _sparseSlots[from]) = (_sparseSlots[from], _sparseSlots[to]);
        else
            _inputs.AsSpan(from * InputSize, InputSize).CopyTo(_inputs.AsSpan(to * InputSize, InputSize));
        if (_labels.HasClasses) _labels.SetClass(to, _labels.ClassOf(from));
        else _labels.ValuesOf(from).CopyTo(_labels.ValuesFor(to));
        _weights[to] = _weights[from];
    }

    private void Emit(int slot, int row, MiniBatch<float> batch)
    {
        if (batch.SparseInputs is { } sparse)
            sparse.Append(_sparseSlots[slot].ValuesOf(0), _sparseSlots[slot].IndicesOf(0));
        else
            _inputs.AsSpan(slot * InputSize, InputSize).CopyTo(batch.InputRow(row));
        _encoding.Encode(_labels, slot, batch.TargetRow(row));
        if (batch.Classified) batch.SetClass(row, _labels.ClassOf(slot));
        if (_weighting is not null)
            batch.SetWeight(row, (float)_weighting.Of(_weights[slot], _labels.ClassOf(slot)));
    }

    public void Dispose() => _reader?.Dispose();
}
