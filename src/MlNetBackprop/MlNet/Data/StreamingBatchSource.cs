using Microsoft.ML;
using MlNetBackprop.Network.Training;

namespace MlNetBackprop.MlNet.Data;

/// <summary>
/// Mini-batches streamed from an <see cref="IDataView"/> that is too large to hold in memory: every epoch opens a new
/// cursor and passes the rows through a bounded shuffle buffer (each row taken out at a random slot and replaced by the
/// next row read), so memory stays at the buffer whatever the data's size. The order is random within the buffer's
/// reach and fixed by the seed. Targets and weights are prepared as the in-memory reader prepares them: one-hot
/// classes, standardised regression labels, example times class weights rescaled to mean 1.
/// </summary>
internal sealed class StreamingBatchSource : IBatchSource<float>, IDisposable
{
    private readonly IDataView _data;
    private readonly string _featureName, _labelName;
    private readonly string? _weightName;
    private readonly BackpropTask _task;
    private readonly float _labelMean, _labelScale;
    private readonly double[]? _rowWeightFactor; // per class (or one entry): class weight / mean weight
    private readonly CancellationToken _cancellation;
    private readonly float[] _inputs;
    private readonly double[] _labels;
    private readonly float[] _weights;
    private readonly int _capacity;
    private RowReader? _reader;
    private Random _random = new(0);
    private int _filled;

    public StreamingBatchSource(IDataView data, string featureName, string labelName, string? weightName, BackpropTask task,
        int inputSize, int outputSize, DataScan scan, double[]? classWeights, int bufferRows, CancellationToken cancellation)
    {
        (_data, _featureName, _labelName, _weightName, _task, _cancellation) = (data, featureName, labelName, weightName, task, cancellation);
        (InputSize, OutputSize, Rows) = (inputSize, outputSize, scan.Rows);
        (_labelMean, _labelScale) = (scan.LabelMean, scan.LabelStandardDeviation);
        Classifies = task != BackpropTask.Regression;
        if (classWeights is not null || weightName is not null)
        {
            // Row weight = example weight · class weight / (mean of those products over the data): mean 1, as in memory.
            var perClass = classWeights ?? [1.0];
            double total = classWeights is null ? scan.WeightSum : perClass.Select((w, c) => w * scan.ClassWeightSums[c]).Sum();
            if (!(total > 0))
                throw new InvalidOperationException("The class and example weights give every training row a weight of zero.");
            _rowWeightFactor = perClass.Select(w => w * scan.Rows / total).ToArray();
        }
        _capacity = Math.Max(1, Math.Min(bufferRows, scan.Rows));
        _inputs = new float[_capacity * inputSize];
        _labels = new double[_capacity];
        _weights = new float[_capacity];
    }

    public int Rows { get; }
    public int InputSize { get; }
    public int OutputSize { get; }
    public bool Classifies { get; }
    public bool HasExampleScale => _rowWeightFactor is not null;

    /// <summary>Rows the shuffle buffer holds.</summary>
    public int BufferRows => _capacity;

    public void BeginEpoch(Random random)
    {
        _reader?.Dispose();
        _reader = new RowReader(_data, _featureName, _labelName, _weightName, _task, InputSize, _cancellation);
        _random = random;
        _filled = 0;
        while (_filled < _capacity && Read(_filled))
            _filled++;
    }

    public int NextBatch(int batchSize, Span<float> inputs, Span<float> targets, Span<float> scale)
    {
        int rows = 0;
        for (; rows < batchSize && _filled > 0; rows++)
        {
            int slot = _random.Next(_filled);
            Emit(slot, rows, inputs, targets, scale);
            if (!Read(slot))
            {
                // The data is exhausted: the last buffered row takes the emptied slot.
                _filled--;
                if (slot != _filled) Move(_filled, slot);
            }
        }
        return rows;
    }

    private bool Read(int slot)
        => _reader!.Next(_inputs.AsSpan(slot * InputSize, InputSize), out _labels[slot], out _weights[slot]);

    private void Move(int from, int to)
    {
        _inputs.AsSpan(from * InputSize, InputSize).CopyTo(_inputs.AsSpan(to * InputSize, InputSize));
        _labels[to] = _labels[from];
        _weights[to] = _weights[from];
    }

    private void Emit(int slot, int row, Span<float> inputs, Span<float> targets, Span<float> scale)
    {
        _inputs.AsSpan(slot * InputSize, InputSize).CopyTo(inputs.Slice(row * InputSize, InputSize));
        var target = targets.Slice(row * OutputSize, OutputSize);
        double label = _labels[slot];
        switch (_task)
        {
            case BackpropTask.MulticlassClassification:
                target.Clear();
                target[(int)label] = 1;
                break;
            case BackpropTask.BinaryClassification:
                target[0] = (float)label;
                break;
            default:
                target[0] = (float)((label - _labelMean) / _labelScale);
                break;
        }
        if (_rowWeightFactor is not null)
            scale[row] = (float)(_weights[slot] * _rowWeightFactor[_rowWeightFactor.Length == 1 ? 0 : (int)label]);
    }

    public void Dispose() => _reader?.Dispose();
}
