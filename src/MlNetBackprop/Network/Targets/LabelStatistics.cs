namespace MlNetBackprop.Network.Targets;

/// <summary>
/// What the labels and example weights of a training set add up to, gathered row by row as the data is read (in memory
/// or in a streaming scan): rows, rows and weight per class, and regression's standardisation.
/// </summary>
internal sealed class LabelStatistics
{
    private readonly TargetEncoding? _classes;
    private readonly LabelStandardization.Accumulator _values = new();

    /// <summary>Statistics for labels of <paramref name="classes"/>' classes, or of regression values when it is null.</summary>
    public LabelStatistics(TargetEncoding? classes)
    {
        _classes = classes;
        ClassCounts = new int[classes?.ClassCount ?? 0];
        ClassWeightSums = new double[ClassCounts.Length];
    }

    /// <summary>Rows seen.</summary>
    public int Rows { get; private set; }

    /// <summary>Σ example weights over all rows.</summary>
    public double WeightSum { get; private set; }

    /// <summary>Rows per class (empty for regression).</summary>
    public int[] ClassCounts { get; }

    /// <summary>Σ example weights per class (empty for regression).</summary>
    public double[] ClassWeightSums { get; }

    /// <summary>Takes one usable row into account.</summary>
    public void Add(double label, double weight)
    {
        Rows = checked(Rows + 1);
        WeightSum += weight;
        if (_classes is not null)
        {
            int c = _classes.ClassOf(label);
            ClassCounts[c]++;
            ClassWeightSums[c] += weight;
        }
        else
        {
            _values.Add(label);
        }
    }

    /// <summary>The labels' standardisation (regression), from the rows seen.</summary>
    public LabelStandardization Standardization() => _values.Result();
}
