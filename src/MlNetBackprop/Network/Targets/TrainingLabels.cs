namespace MlNetBackprop.Network.Targets;

/// <summary>
/// The labels of rows as training keeps them: a class index per row for classification (0 … K − 1; binary: 0 false,
/// 1 true), or values for regression (<see cref="Width"/> per row). Rows are appended as they are read and the arrays
/// grow by doubling; a few thousand classes cost no more than two, since targets are encoded per mini-batch
/// (<see cref="TargetEncoding"/>).
/// </summary>
internal sealed class TrainingLabels
{
    private int[] _classes;
    private double[] _values;

    private TrainingLabels(bool classes, int width, int capacity)
    {
        (HasClasses, Width) = (classes, width);
        capacity = Math.Max(capacity, 1);
        _classes = classes ? new int[capacity] : [];
        _values = classes ? [] : new double[checked(capacity * width)];
    }

    /// <summary>An empty set of class labels with room for <paramref name="capacity"/> rows.</summary>
    public static TrainingLabels ForClasses(int capacity = 16) => new(true, 1, capacity);

    /// <summary>An empty set of value labels, <paramref name="width"/> per row, with room for <paramref name="capacity"/> rows.</summary>
    public static TrainingLabels ForValues(int width = 1, int capacity = 16) => new(false, width, capacity);

    /// <summary>The class labels given.</summary>
    public static TrainingLabels Of(int[] classes)
    {
        var labels = ForClasses(classes.Length);
        classes.CopyTo(labels._classes, 0);
        labels.Count = classes.Length;
        return labels;
    }

    /// <summary>The value labels given, <paramref name="width"/> per row.</summary>
    public static TrainingLabels Of(double[] values, int width = 1)
    {
        var labels = ForValues(width, values.Length / width);
        values.CopyTo(labels._values, 0);
        labels.Count = values.Length / width;
        return labels;
    }

    /// <summary>Whether the labels are class indices (classification) rather than values.</summary>
    public bool HasClasses { get; }

    /// <summary>Values per row: 1 for classes.</summary>
    public int Width { get; }

    /// <summary>The rows held.</summary>
    public int Count { get; private set; }

    /// <summary>Row <paramref name="row"/>'s class index (0 for value labels, which have no classes).</summary>
    public int ClassOf(int row) => HasClasses ? _classes[row] : 0;

    /// <summary>Row <paramref name="row"/>'s values (empty for class labels).</summary>
    public ReadOnlySpan<double> ValuesOf(int row) => _values.AsSpan(row * Width, HasClasses ? 0 : Width);

    /// <summary>Sets row <paramref name="row"/>'s class.</summary>
    public void SetClass(int row, int classIndex) => _classes[row] = classIndex;

    /// <summary>Room for row <paramref name="row"/>'s values, to fill.</summary>
    public Span<double> ValuesFor(int row) => _values.AsSpan(row * Width, Width);

    /// <summary>Adds a row (its label to be set) and returns its index.</summary>
    public int Append()
    {
        int capacity = HasClasses ? _classes.Length : _values.Length / Width;
        if (Count == capacity)
        {
            int larger = (int)long.Min(2L * capacity + 16, Array.MaxLength / Width);
            if (HasClasses) Array.Resize(ref _classes, larger);
            else Array.Resize(ref _values, larger * Width);
        }
        return Count++;
    }

    /// <summary>Drops the last row appended.</summary>
    public void RemoveLast() => Count--;

    /// <summary>Lets go of the room beyond the rows held.</summary>
    public void TrimExcess()
    {
        if (HasClasses && _classes.Length != Count) Array.Resize(ref _classes, Count);
        if (!HasClasses && _values.Length != Count * Width) Array.Resize(ref _values, Count * Width);
    }
}
