using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using MlNetBackprop.Network.Inputs;
using MlNetBackprop.Network.Targets;

namespace MlNetBackprop.Network.Training;

/// <summary>
/// Training examples held once: the inputs, one row per example, either as one contiguous dense matrix or as sparse
/// rows (<see cref="SparseRows{T}"/>) when they are mostly zeros; each row's label (<see cref="TrainingLabels"/>: a class
/// index, or values); and its weight sₓ. Targets are encoded from the labels (<see cref="TargetEncoding"/>) only for the
/// rows of the current mini-batch. A set can be a view of some rows of another (<see cref="Split"/>), sharing its storage.
/// </summary>
internal sealed class TrainingSet<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[]? _dense;
    private readonly SparseRows<T>? _sparse;
    private readonly TrainingLabels _labels;
    private readonly T[]? _scale;
    // The stored rows this set consists of, in order; null for all of them.
    private readonly int[]? _rows;
    // How many rows the storage holds (views see some of them).
    private readonly int _storedRows;

    /// <summary>
    /// A set over <paramref name="inputs"/> (at least <paramref name="rows"/> × <paramref name="inputSize"/> values; what
    /// follows the last row is unused) with one label per row and, optionally, one weight per row.
    /// </summary>
    public TrainingSet(T[] inputs, int rows, int inputSize, TrainingLabels labels, TargetEncoding encoding, T[]? exampleScale)
        : this(inputs, null, rows, inputSize, labels, encoding, exampleScale, null)
    {
        if (inputs.LongLength < (long)rows * inputSize)
            throw new ArgumentException($"The input matrix holds fewer than the {rows} rows of {inputSize} inputs claimed.");
    }

    /// <summary>A set over sparse input rows, with one label per row and, optionally, one weight per row.</summary>
    public TrainingSet(SparseRows<T> inputs, TrainingLabels labels, TargetEncoding encoding, T[]? exampleScale)
        : this(null, inputs, inputs.Rows, inputs.Width, labels, encoding, exampleScale, null)
    {
    }

    private TrainingSet(T[]? dense, SparseRows<T>? sparse, int rows, int inputSize, TrainingLabels labels, TargetEncoding encoding, T[]? exampleScale,
        int[]? subset)
    {
        int stored = sparse?.Rows ?? rows;
        if (labels.Count < stored || (exampleScale is not null && exampleScale.Length < stored))
            throw new ArgumentException($"There are fewer labels or weights than the {stored} rows.");
        if (labels.HasClasses != encoding.Classifies)
            throw new ArgumentException("Class labels need a class encoding, and values a standardized one.");
        (_dense, _sparse, _labels, _scale, _rows, _storedRows) = (dense, sparse, labels, exampleScale, subset, stored);
        (Rows, InputSize, Encoding) = (subset?.Length ?? rows, inputSize, encoding);
    }

    /// <summary>Examples of class indices 0 … <paramref name="classCount"/> − 1, one-hot encoded.</summary>
    public static TrainingSet<T> ForClasses(T[] inputs, int rows, int inputSize, int[] classes, int classCount, T[]? exampleScale = null)
        => new(inputs, rows, inputSize, TrainingLabels.Of(classes), TargetEncoding.OneHot(classCount), exampleScale);

    /// <summary>
    /// The bytes a dense row takes in memory: its inputs, its label (<paramref name="labelWidth"/> values: several targets
    /// or labels, or one class) and, for weighted data, its weight.
    /// </summary>
    public static long BytesPerRow(int inputSize, bool weighted, int labelWidth = 1)
        => Unsafe.SizeOf<T>() * ((long)inputSize + (weighted ? 1 : 0)) + LabelBytes(labelWidth);

    /// <summary>The bytes a sparse row of <paramref name="nonZeros"/> non-zeros takes: its values, indices and start, its label and weight.</summary>
    public static long BytesPerSparseRow(double nonZeros, bool weighted, int labelWidth = 1)
        => (long)Math.Ceiling(nonZeros * (Unsafe.SizeOf<T>() + sizeof(int))) + sizeof(int) + LabelBytes(labelWidth) + (weighted ? Unsafe.SizeOf<T>() : 0);

    /// <summary>A row's label as <see cref="TrainingLabels"/> holds it: a double per value (a class index takes no more).</summary>
    public static long LabelBytes(int labelWidth) => (long)labelWidth * sizeof(double);

    /// <summary>The number of examples.</summary>
    public int Rows { get; }

    /// <summary>Values per input row.</summary>
    public int InputSize { get; }

    /// <summary>Whether the inputs are held as sparse rows (for a network whose first layer reads them).</summary>
    public bool IsSparse => _sparse is not null;

    /// <summary>Width of the target vector (the output layer's size).</summary>
    public int OutputSize => Encoding.Width;

    /// <summary>How a label becomes a target.</summary>
    public TargetEncoding Encoding { get; }

    /// <summary>Whether the examples carry weights sₓ (averaging 1); without them all weigh the same.</summary>
    public bool HasExampleScale => _scale is not null;

    /// <summary>Example <paramref name="row"/>'s class index (0 for regression).</summary>
    public int ClassOf(int row) => _labels.ClassOf(Stored(row));

    /// <summary>Example <paramref name="row"/>'s values, in the label's units (empty for classification).</summary>
    public ReadOnlySpan<double> ValuesOf(int row) => _labels.ValuesOf(Stored(row));

    /// <summary>Example <paramref name="row"/>'s weight sₓ (1 when the examples carry none).</summary>
    public T ScaleOf(int row) => _scale is null ? T.One : _scale[Stored(row)];

    /// <summary>
    /// The input columns any stored sparse row has a non-zero in, rising, when there are at most <paramref name="most"/>;
    /// null when there are more, or the rows are dense.
    /// </summary>
    public int[]? UsedColumns(int most)
    {
        if (_sparse is null) return null;
        var used = new bool[InputSize];
        int count = 0;
        for (int r = 0; r < _storedRows; r++)
            foreach (int k in _sparse.IndicesOf(r))
                if (!used[k])
                {
                    used[k] = true;
                    if (++count > most) return null;
                }
        return Enumerable.Range(0, InputSize).Where(k => used[k]).ToArray();
    }

    /// <summary>Adds every stored row, made dense over <paramref name="columns"/> (rising), to <paramref name="statistics"/>.</summary>
    public void AddColumnsTo(int[] columns, FeatureStatistics statistics)
    {
        var position = new int[InputSize];
        position.AsSpan().Fill(-1);
        for (int j = 0; j < columns.Length; j++) position[columns[j]] = j;
        var row = new T[columns.Length];
        for (int r = 0; r < _storedRows; r++)
        {
            row.AsSpan().Clear();
            if (_sparse is not null)
            {
                var values = _sparse.ValuesOf(r);
                var indices = _sparse.IndicesOf(r);
                for (int i = 0; i < values.Length; i++)
                    if (position[indices[i]] >= 0) row[position[indices[i]]] = values[i];
            }
            else
            {
                for (int j = 0; j < columns.Length; j++) row[j] = _dense![r * InputSize + columns[j]];
            }
            statistics.Add<T>(row);
        }
    }

    /// <summary>A copy of these rows in another precision (double for gradient checks), sharing the labels.</summary>
    public TrainingSet<TOther> ConvertTo<TOther>() where TOther : unmanaged, IFloatingPointIeee754<TOther>
    {
        var rows = _rows ?? Enumerable.Range(0, Rows).ToArray();
        var labels = _labels.HasClasses
            ? TrainingLabels.Of(rows.Select(_labels.ClassOf).ToArray())
            : TrainingLabels.Of(rows.SelectMany(r => _labels.ValuesOf(r).ToArray()).ToArray(), _labels.Width);
        var scale = _scale is null ? null : rows.Select(r => TOther.CreateChecked(_scale[r])).ToArray();
        if (_sparse is not null)
        {
            var sparse = new SparseRows<TOther>(InputSize, Rows, _sparse.NonZeros);
            foreach (int r in rows)
                sparse.Append(_sparse.ValuesOf(r).ToArray().Select(TOther.CreateChecked).ToArray(), _sparse.IndicesOf(r));
            return new TrainingSet<TOther>(sparse, labels, Encoding, scale);
        }
        var dense = new TOther[Rows * InputSize];
        for (int i = 0; i < rows.Length; i++)
            for (int k = 0; k < InputSize; k++)
                dense[i * InputSize + k] = TOther.CreateChecked(_dense![rows[i] * InputSize + k]);
        return new TrainingSet<TOther>(dense, Rows, InputSize, labels, Encoding, scale);
    }

    /// <summary>Writes example <paramref name="row"/>'s inputs densely into <paramref name="dense"/>.</summary>
    public void CopyInputsTo(int row, Span<T> dense)
    {
        int stored = Stored(row);
        if (_sparse is not null) _sparse.CopyRowTo(stored, dense);
        else _dense.AsSpan(stored * InputSize, InputSize).CopyTo(dense);
    }

    /// <summary>
    /// Splits off a random <paramref name="fraction"/> of the rows as a validation set (scikit-learn's validation_fraction),
    /// stratified by class for classification so that both parts keep the class proportions. Returns (training part,
    /// validation part): views of this set's rows, which copy no inputs; at least one row stays on each side.
    /// </summary>
    public (TrainingSet<T> Train, TrainingSet<T> Validation) Split(double fraction, int seed)
    {
        if (!(fraction > 0 && fraction < 1)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The fraction must be in (0, 1).");
        if (Rows < 2) throw new InvalidOperationException("At least two rows are needed to split off a validation set.");
        var random = new Random(seed);
        // Group rows by class (one group for regression), shuffle each group, and take the fraction of every group.
        var groups = Enumerable.Range(0, Rows).GroupBy(ClassOf).OrderBy(g => g.Key).Select(g => g.ToArray()).ToArray();
        var validation = new List<int>();
        foreach (var group in groups)
        {
            for (int i = group.Length - 1; i > 0; i--)
            {
                int j = random.Next(i + 1);
                (group[i], group[j]) = (group[j], group[i]);
            }
            validation.AddRange(group.Take((int)Math.Round(group.Length * fraction)));
        }
        if (validation.Count == 0) validation.Add(groups[0][0]);
        if (validation.Count == Rows) validation.RemoveAt(validation.Count - 1);
        validation.Sort();
        var isValidation = new bool[Rows];
        foreach (int row in validation) isValidation[row] = true;
        var train = Enumerable.Range(0, Rows).Where(r => !isValidation[r]).ToArray();
        return (View(train), View(validation.ToArray()));
    }

    /// <summary>The listed rows of this set, sharing its storage.</summary>
    private TrainingSet<T> View(int[] rows)
    {
        var stored = _rows is null ? rows : rows.Select(r => _rows[r]).ToArray();
        return new TrainingSet<T>(_dense, _sparse, _storedRows, InputSize, _labels, Encoding, _scale, stored);
    }

    private int Stored(int row) => _rows is null ? row : _rows[row];

    /// <summary>Makes <paramref name="batch"/> the listed rows: their inputs, targets and example weights.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Gather(ReadOnlySpan<int> rows, MiniBatch<T> batch)
    {
        batch.Rows = rows.Length;
        if (batch.SparseInputs is { } sparseBatch)
        {
            if (_sparse is null) throw new InvalidOperationException("The set's rows are dense; gather them into a dense batch.");
            sparseBatch.Clear();
            for (int i = 0; i < rows.Length; i++)
            {
                int row = Stored(rows[i]);
                sparseBatch.Append(_sparse.ValuesOf(row), _sparse.IndicesOf(row));
                SetTarget(row, batch, i);
            }
            return;
        }
        GatherDense(rows, batch, 0, rows.Length);
    }

    /// <summary>
    /// Gathers the listed rows <paramref name="start"/> … <paramref name="end"/> − 1 into the same rows of a dense batch
    /// (whose <see cref="MiniBatch{T}.Rows"/> the caller sets): parts of one batch can be gathered on different threads.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void GatherDense(ReadOnlySpan<int> rows, MiniBatch<T> batch, int start, int end)
    {
        if (_dense is null) throw new InvalidOperationException("The set's rows are sparse; gather them into a sparse batch.");
        for (int i = start; i < end; i++)
        {
            int row = Stored(rows[i]);
            // A shuffled epoch visits rows in random order, so each row comes from main memory: asking for the row a few
            // places ahead while this one is copied keeps several fetches in flight (the gather took 15% less time).
            if (i + PrefetchDistance < end)
                Prefetch(Stored(rows[i + PrefetchDistance]));
            _dense.AsSpan(row * InputSize, InputSize).CopyTo(batch.InputRow(i));
            SetTarget(row, batch, i);
        }
    }

    /// <summary>Stored row <paramref name="row"/>'s target, class and weight into row <paramref name="i"/> of <paramref name="batch"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SetTarget(int row, MiniBatch<T> batch, int i)
    {
        Encoding.Encode(_labels, row, batch.TargetRow(i));
        if (batch.Classified) batch.SetClass(i, _labels.ClassOf(row));
        if (_scale is not null) batch.SetWeight(i, _scale[row]);
    }

    /// <summary>How many rows ahead the gather asks for; four kept the most fetches in flight on this project's machine.</summary>
    private const int PrefetchDistance = 4;

    /// <summary>Asks the cache for every line of one input row; a hint only, so it is skipped where unsupported.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void Prefetch(int row)
    {
        if (!Sse.IsSupported) return;
        int lineElements = 64 / sizeof(T);
        fixed (T* start = &_dense![row * InputSize])
            for (int offset = 0; offset < InputSize; offset += lineElements)
                Sse.Prefetch0(start + offset);
    }
}
