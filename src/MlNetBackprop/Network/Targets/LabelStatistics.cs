namespace MlNetBackprop.Network.Targets;

/// <summary>
/// What the labels and example weights of a training set add up to, gathered row by row as the data is read (in memory
/// or in a streaming scan): rows, rows and weight per class, and the standardisation of each value the labels hold.
/// </summary>
internal sealed class LabelStatistics
{
    private readonly LabelStandardization.Accumulator _values;

    /// <summary>
    /// Statistics for labels of <paramref name="classCount"/> classes, or of values (<paramref name="valueWidth"/> per row:
    /// regression's targets, multi-label's 0/1) when it is 0.
    /// </summary>
    public LabelStatistics(int classCount, int valueWidth = 1)
    {
        ClassCounts = new int[classCount];
        ClassWeightSums = new double[ClassCounts.Length];
        _values = new LabelStandardization.Accumulator(classCount > 0 ? 0 : valueWidth);
    }

    /// <summary>Rows seen.</summary>
    public int Rows { get; private set; }

    /// <summary>Σ example weights over all rows.</summary>
    public double WeightSum { get; private set; }

    /// <summary>Rows per class (empty for regression).</summary>
    public int[] ClassCounts { get; }

    /// <summary>Σ example weights per class (empty for regression).</summary>
    public double[] ClassWeightSums { get; }

    /// <summary>Takes row <paramref name="row"/> of <paramref name="labels"/>, of weight <paramref name="weight"/>, into account.</summary>
    public void Add(TrainingLabels labels, int row, double weight)
    {
        Rows = checked(Rows + 1);
        WeightSum += weight;
        if (labels.HasClasses)
        {
            int c = labels.ClassOf(row);
            ClassCounts[c]++;
            ClassWeightSums[c] += weight;
        }
        else
        {
            _values.Add(labels.ValuesOf(row));
        }
    }

    /// <summary>The labels' standardisation (regression), from the rows seen.</summary>
    public LabelStandardization Standardization() => _values.Result();

    /// <summary>Value labels: the rows in which each value is present (not NaN).</summary>
    public ReadOnlySpan<long> PresentValues => _values.Counts;
}
