using Microsoft.ML;
using MlNetBackprop.Network.Inputs;
using MlNetBackprop.Network.Targets;
using MlNetBackprop.Network.Training;

namespace MlNetBackprop.MlNet.Data;

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
    public static Result Read(IDataView data, TrainingColumns columns, BackpropTask task, int inputSize, int classCount,
        CancellationToken cancellation, bool sparse, long budgetBytes = long.MaxValue, FeatureStatistics? features = null)
    {
        long? knownRows = data.GetRowCount();
        bool weighted = columns.Weight is not null;
        bool classes = task is BackpropTask.MulticlassClassification or BackpropTask.BinaryClassification;
        int width = classes ? 1 : SchemaChecks.LabelWidth(data.Schema[columns.Label].Type);
        var statistics = new LabelStatistics(classCount, width);
        // With the row count known, a dense matrix is allocated once at its final size (growing it by doubling would
        // hold two copies while it is copied), and data that cannot fit is not even started in memory.
        long denseRowBytes = TrainingSet<float>.BytesPerRow(inputSize, weighted, width);
        bool keep = sparse || knownRows is not long known || MemoryBudget.Holds(known, denseRowBytes, budgetBytes);
        long capacity = knownRows ?? InitialRowsWhenUnknown;
        // One row more than expected: each row is read into a slot appended before the cursor says whether there is a
        // row at all, and the slot asked for at the end of the data must not make the matrix grow.
        var dense = keep && !sparse ? new Growable<float>(checked((int)long.Min((capacity + 1) * inputSize, Array.MaxLength))) : null;
        // Sparse rows' size is not known before they are read, so their arrays start small and double, and so do the labels
        // that go with them: a count the data merely claims allocates nothing.
        if (sparse) capacity = long.Min(capacity, InitialRowsWhenSparse);
        var sparseRows = keep && sparse ? new SparseRows<float>(inputSize, (int)capacity) : null;
        int labelCapacity = (int)long.Min(capacity + 1, Array.MaxLength);
        var labels = keep ? NewLabels(classes, width, labelCapacity) : null;
        var weights = keep && weighted ? new Growable<float>((int)long.Min(capacity, Array.MaxLength)) : null;
        // Past the budget the pass goes on as a scan, through one row of each.
        TrainingLabels? scanLabel = null;
        SparseRows<float>? scanSparse = null;
        float[]? scanDense = null;
        if (!keep) StartScan();
        long nonZeros = 0;
        using var reader = new RowReader(data, columns, task, inputSize, cancellation);
        while (true)
        {
            float weight;
            int row;
            ReadOnlySpan<float> denseRow = default;
            if (labels is not null)
            {
                row = labels.Append();
                bool read;
                if (sparseRows is not null)
                {
                    read = reader.Next(sparseRows, labels, row, out weight);
                    if (read) nonZeros += sparseRows.IndicesOf(sparseRows.Rows - 1).Length;
                }
                else
                {
                    var slot = dense!.Append(inputSize);
                    read = reader.Next(slot, labels, row, out weight);
                    if (read) denseRow = slot;
                    else dense.RemoveLast(inputSize);
                }
                if (!read) { labels.RemoveLast(); break; }
            }
            else
            {
                row = 0;
                bool read;
                if (scanDense is not null)
                {
                    read = reader.Next(scanDense, scanLabel!, 0, out weight);
                    denseRow = scanDense;
                }
                else
                {
                    scanSparse!.Clear();
                    read = reader.Next(scanSparse, scanLabel!, 0, out weight);
                    if (read) nonZeros += scanSparse.NonZeros;
                }
                if (!read) break;
            }
            statistics.Add(labels ?? scanLabel!, row, weight);
            if (!denseRow.IsEmpty) features?.Add(denseRow);
            if (labels is null) continue;
            if (weights is not null) weights.Append(1)[0] = weight;
            // What the rows hold in memory, room for more included; past the budget, or past what one array holds, the
            // rows go.
            long held = sparseRows is not null
                ? sparseRows.RoomBytes + statistics.Rows * (TrainingSet<float>.LabelBytes(width) + (weighted ? sizeof(float) : 0))
                : statistics.Rows * denseRowBytes;
            if (held > budgetBytes || sparseRows is { } full && !full.Fits(inputSize))
            {
                // Past the budget: let the rows go and finish the pass as a scan.
                (dense, sparseRows, labels, weights) = (null, null, null, null);
                StartScan();
            }
        }
        var tally = reader.Tally;
        if (labels is null)
            return new Result(null, new DataScan(tally, statistics, nonZeros));
        sparseRows?.TrimExcess();
        labels.TrimExcess();
        var rows = new TrainingRows(dense?.Compacted(), sparseRows, statistics.Rows, labels, weights?.Trimmed(), statistics, tally);
        return new Result(rows, new DataScan(tally, statistics, nonZeros));

        void StartScan()
        {
            scanLabel = NewLabels(classes, width, 1);
            scanLabel.Append();
            if (sparse) scanSparse = new SparseRows<float>(inputSize, 1);
            else scanDense = new float[inputSize];
        }
    }

    private static TrainingLabels NewLabels(bool classes, int width, int capacity)
        => classes ? TrainingLabels.ForClasses(capacity) : TrainingLabels.ForValues(width, capacity);

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
}
