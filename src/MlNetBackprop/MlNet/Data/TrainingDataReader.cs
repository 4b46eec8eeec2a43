using Microsoft.ML;
using MlNetBackprop.Network.Inputs;
using MlNetBackprop.Network.Targets;
using MlNetBackprop.Network.Training;

namespace MlNetBackprop.MlNet.Data;

/// <summary>
/// Training rows read into memory: the inputs (a dense matrix, or sparse rows), each row's label and weight, and what
/// the labels add up to.
/// </summary>
internal sealed record TrainingRows(float[]? Dense, SparseRows<float>? Sparse, int Rows, double[] Labels, float[]? Weights, LabelStatistics Statistics,
    RowTally Tally)
{
    /// <summary>The rows as the engine's training set, with targets by <paramref name="encoding"/> and weights <paramref name="scale"/>.</summary>
    public TrainingSet<float> ToSet(int inputSize, TargetEncoding encoding, float[]? scale) => Sparse is not null
        ? new TrainingSet<float>(Sparse, Labels, encoding, scale)
        : new TrainingSet<float>(Dense!, Rows, inputSize, Labels, encoding, scale);
}

/// <summary>
/// Reads an <see cref="IDataView"/> once into the engine's training rows, with each row's label (class index, 0/1 or
/// value) and example weight as they are. Rows whose features are NaN or infinite, whose label is missing, or whose
/// weight is not a finite non-negative number are skipped and counted, as ML.NET's trainers do. Sparse features are held
/// as sparse rows and never made dense.
/// </summary>
internal static class TrainingDataReader
{
    /// <summary>
    /// Reads every row of <paramref name="data"/> in one pass. The rows are kept while they fit in
    /// <paramref name="budgetBytes"/>; past it, the pass goes on as a scan that keeps only the counts and the labels'
    /// statistics, and the result has no rows (<see cref="Result.Rows"/> null): the caller streams the data instead.
    /// </summary>
    public static Result Read(IDataView data, TrainingColumns columns, BackpropTask task, int inputSize, TargetEncoding? classes,
        CancellationToken cancellation, bool sparse, long budgetBytes = long.MaxValue)
    {
        long? knownRows = data.GetRowCount();
        bool weighted = columns.Weight is not null;
        var statistics = new LabelStatistics(classes);
        // With the row count known, a dense matrix is allocated once at its final size (growing it by doubling would
        // hold two copies while it is copied), and data that cannot fit is not even started in memory.
        long denseRowBytes = TrainingSet<float>.BytesPerRow(inputSize, weighted);
        bool keep = sparse || knownRows is not long known || MemoryBudget.Holds(known, denseRowBytes, budgetBytes);
        long capacity = knownRows ?? InitialRowsWhenUnknown;
        // One row more than expected: each row is read into a slot appended before the cursor says whether there is a
        // row at all, and the slot asked for at the end of the data must not make the matrix grow.
        var dense = keep && !sparse ? new Growable<float>(checked((int)long.Min((capacity + 1) * inputSize, Array.MaxLength))) : null;
        // Sparse rows' size is not known before they are read, so their arrays start small and double, and so do the labels
        // that go with them: a count the data merely claims allocates nothing.
        if (sparse) capacity = long.Min(capacity, InitialRowsWhenSparse);
        var sparseRows = keep && sparse ? new SparseRows<float>(inputSize, (int)capacity) : null;
        var labels = keep ? new Growable<double>((int)long.Min(capacity, Array.MaxLength)) : null;
        var weights = keep && weighted ? new Growable<float>((int)long.Min(capacity, Array.MaxLength)) : null;
        var scratch = keep ? null : new SparseRows<float>(inputSize, 1);
        long nonZeros = 0;
        using var reader = new RowReader(data, columns, task, inputSize, cancellation);
        while (true)
        {
            double label;
            float weight;
            if (sparseRows is not null)
            {
                if (!reader.Next(sparseRows, out label, out weight)) break;
                nonZeros += sparseRows.IndicesOf(sparseRows.Rows - 1).Length;
            }
            else if (dense is not null)
            {
                if (!reader.Next(dense.Append(inputSize), out label, out weight)) { dense.RemoveLast(inputSize); break; }
            }
            else
            {
                scratch!.Clear();
                if (!reader.Next(scratch, out label, out weight)) break;
                nonZeros += scratch.NonZeros;
            }
            statistics.Add(label, weight);
            if (labels is null) continue;
            labels.Append(1)[0] = label;
            if (weights is not null) weights.Append(1)[0] = weight;
            // What the rows hold in memory, room for more included; past the budget, or past what one array holds, the
            // rows go.
            long held = sparseRows is not null
                ? sparseRows.RoomBytes + statistics.Rows * (sizeof(double) + (weighted ? sizeof(float) : 0))
                : statistics.Rows * denseRowBytes;
            if (held > budgetBytes || sparseRows is { } full && !full.Fits(inputSize))
            {
                // Past the budget: let the rows go and finish the pass as a scan.
                (dense, sparseRows, labels, weights) = (null, null, null, null);
                scratch = new SparseRows<float>(inputSize, 1);
            }
        }
        var tally = reader.Tally;
        if (labels is null)
            return new Result(null, new DataScan(tally, statistics, nonZeros));
        sparseRows?.TrimExcess();
        var rows = new TrainingRows(dense?.Compacted(), sparseRows, statistics.Rows, labels.Trimmed(), weights?.Trimmed(), statistics, tally);
        return new Result(rows, new DataScan(tally, statistics, nonZeros));
    }

    /// <summary>What a read gives: the rows when they were kept, and what the pass found in any case.</summary>
    internal sealed record Result(TrainingRows? Rows, DataScan Scan);

    /// <summary>How many rows <see cref="FormOf"/> looks at.</summary>
    private const int RowsSampledForForm = 256;

    /// <summary>Rows narrower than this are held dense whatever form they come in (see <see cref="FormOf"/>).</summary>
    public const int NarrowestSparseRows = 1024;

    /// <summary>
    /// Whether the feature column is best held as sparse rows: when it is at least <see cref="NarrowestSparseRows"/>
    /// wide, most of the first rows come as sparse vectors, and their non-zeros take less room than dense rows would.
    /// Dense vectors stay dense, and so do narrow rows (a table's one-hot columns beside its numbers): their dense matrix
    /// is small, and dense rows train with exact Adam and momentum and standardized features, which the sparse layer's
    /// lazy updates and untouched zeros cannot give.
    /// </summary>
    public static bool FormOf(IDataView data, string featureColumn, int inputSize)
    {
        if (inputSize < NarrowestSparseRows) return false;
        var column = data.Schema[featureColumn];
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<Microsoft.ML.Data.VBuffer<float>>(column);
        var features = default(Microsoft.ML.Data.VBuffer<float>);
        int sampled = 0, sparseRows = 0;
        long nonZeros = 0;
        while (sampled < RowsSampledForForm && cursor.MoveNext())
        {
            getter(ref features);
            sampled++;
            if (features.IsDense) continue;
            sparseRows++;
            nonZeros += features.GetValues().Length;
        }
        if (sampled == 0 || 2 * sparseRows < sampled) return false;
        double meanNonZeros = (double)nonZeros / sparseRows;
        return TrainingSet<float>.BytesPerSparseRow(meanNonZeros, weighted: false) < TrainingSet<float>.BytesPerRow(inputSize, weighted: false);
    }

    /// <summary>Where the data cannot say how many rows it has, the buffers start with room for this many and double.</summary>
    private const int InitialRowsWhenUnknown = 1024;

    /// <summary>Sparse rows' buffers start with room for at most this many rows, whatever the data claims, and double.</summary>
    private const int InitialRowsWhenSparse = 1 << 16;

    /// <summary>
    /// An append-only buffer that doubles as it grows and hands back an exact-size array at the end. Appended room is
    /// not cleared: every caller writes all of it (the row reader writes every value of a row).
    /// </summary>
    private sealed class Growable<T>(int capacity) where T : unmanaged
    {
        private T[] _buffer = GC.AllocateUninitializedArray<T>(int.Max(capacity, 0));
        private int _count;

        public Span<T> Append(int n)
        {
            if (_count + n > _buffer.Length)
            {
                var larger = GC.AllocateUninitializedArray<T>(int.Max(_count + n, (int)long.Min(2L * _buffer.Length + 16, Array.MaxLength)));
                _buffer.AsSpan(0, _count).CopyTo(larger);
                _buffer = larger;
            }
            var span = _buffer.AsSpan(_count, n);
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
            if (_buffer.Length != _count) _buffer = _buffer.AsSpan(0, _count).ToArray();
            return _buffer;
        }
    }
}
