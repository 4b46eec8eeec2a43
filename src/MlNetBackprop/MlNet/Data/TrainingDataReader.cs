using Microsoft.ML;
using MlNetBackprop.Network.Targets;

namespace MlNetBackprop.MlNet.Data;

/// <summary>Training rows read into memory: the input matrix, each row's label and weight, and what the labels add up to.</summary>
internal sealed record TrainingRows(float[] Inputs, int Rows, double[] Labels, float[]? Weights, LabelStatistics Statistics, RowTally Tally);

/// <summary>
/// Reads an <see cref="IDataView"/> once into the engine's contiguous matrix of training rows, with each row's label
/// (class index, 0/1 or value) and example weight as they are. Rows whose features are NaN or infinite, whose label is
/// missing, or whose weight is not a finite non-negative number are skipped and counted, as ML.NET's trainers do.
/// </summary>
internal static class TrainingDataReader
{
    public static TrainingRows Read(IDataView data, TrainingColumns columns, BackpropTask task, int inputSize, TargetEncoding? classes,
        CancellationToken cancellation, long? expectedRows = null)
    {
        // With the row count known (from the view, or from a scan already made), the matrix is allocated once at its
        // final size: growing it by doubling would hold two copies of the data while it is copied, and up to twice the
        // data's size after.
        long capacityHint = expectedRows ?? data.GetRowCount() ?? InitialRowsWhenUnknown;
        // One row more than expected: each row is read into a slot appended before the cursor says whether there is a
        // row at all, and the slot asked for at the end of the data must not make the matrix grow.
        var inputs = new Growable<float>(checked((int)long.Min((capacityHint + 1) * inputSize, Array.MaxLength)));
        var labels = new Growable<double>((int)long.Min(capacityHint, Array.MaxLength));
        var weights = new Growable<float>(columns.Weight is null ? 0 : (int)long.Min(capacityHint, Array.MaxLength));
        var statistics = new LabelStatistics(classes);
        RowTally tally;
        using (var reader = new RowReader(data, columns, task, inputSize, cancellation))
        {
            // Read straight into the growing matrix; the slot is given back at the end of the data.
            while (reader.Next(inputs.AppendZeros(inputSize), out double label, out float weight))
            {
                labels.AppendZeros(1)[0] = label;
                if (columns.Weight is not null) weights.AppendZeros(1)[0] = weight;
                statistics.Add(label, weight);
            }
            inputs.RemoveLast(inputSize);
            tally = reader.Tally;
        }
        return new TrainingRows(inputs.Compacted(), statistics.Rows, labels.Trimmed(), columns.Weight is null ? null : weights.Trimmed(),
            statistics, tally);
    }

    /// <summary>Where the data cannot say how many rows it has, the matrix starts with room for this many and doubles.</summary>
    private const int InitialRowsWhenUnknown = 1024;

    /// <summary>An append-only buffer that doubles as it grows and hands back an exact-size array at the end.</summary>
    private sealed class Growable<T>(int capacity)
    {
        private T[] _buffer = new T[int.Max(capacity, 0)];
        private int _count;

        public Span<T> AppendZeros(int n)
        {
            if (_count + n > _buffer.Length)
                Array.Resize(ref _buffer, int.Max(_count + n, (int)long.Min(2L * _buffer.Length + 16, Array.MaxLength)));
            var span = _buffer.AsSpan(_count, n);
            span.Clear();
            _count += n;
            return span;
        }

        public void RemoveLast(int n) => _count -= n;

        /// <summary>
        /// The buffer itself when little of it is unused (rows skipped as bad leave a few empty rows at its end, which the
        /// training set ignores), otherwise an exact-size copy: a copy of the whole matrix is made only to save memory.
        /// </summary>
        public T[] Compacted() => _buffer.Length - _count <= _buffer.Length / 8 ? _buffer : Trimmed();

        public T[] Trimmed()
        {
            if (_buffer.Length != _count) Array.Resize(ref _buffer, _count);
            return _buffer;
        }
    }
}
