namespace MlNetBackprop.Network.Targets;

/// <summary>
/// Each training row's weight sₓ in the batch cost C = Σₓ sₓ·Cₓ / m: its example weight times its class's weight,
/// rescaled so that the rows' weights average 1 (the relative weighting changes, the size of a gradient step does not).
/// One factor per class does it: sₓ = wₓ · cw[c] · n / Σᵣ wᵣ·cw[cᵣ].
/// </summary>
internal sealed class ExampleWeighting
{
    private readonly double[] _factorPerClass;

    private ExampleWeighting(double[] factorPerClass) => _factorPerClass = factorPerClass;

    /// <summary>
    /// The weighting of the rows <paramref name="statistics"/> counted, with <paramref name="classWeights"/> (null: every
    /// class weighs 1). Throws <see cref="InvalidOperationException"/> when the weights leave no row with weight.
    /// </summary>
    public static ExampleWeighting Create(LabelStatistics statistics, IReadOnlyList<double>? classWeights)
    {
        if (classWeights is null)
        {
            if (!(statistics.WeightSum > 0))
                throw new InvalidOperationException("Every example weight is zero: at least one row must weigh more than 0.");
            return new ExampleWeighting([statistics.Rows / statistics.WeightSum]);
        }
        double total = 0;
        for (int c = 0; c < classWeights.Count; c++)
            total += classWeights[c] * statistics.ClassWeightSums[c];
        if (!(total > 0))
            throw new InvalidOperationException("The class and example weights give every training row a weight of zero.");
        return new ExampleWeighting(classWeights.Select(w => w * statistics.Rows / total).ToArray());
    }

    /// <summary>scikit-learn's "balanced" class weights: n / (K·n_c) over the K classes present, 0 for a class with no rows.</summary>
    public static double[] Balanced(IReadOnlyList<int> classCounts)
    {
        int present = classCounts.Count(c => c > 0);
        long rows = classCounts.Sum(c => (long)c);
        return classCounts.Select(c => c == 0 ? 0.0 : (double)rows / (present * c)).ToArray();
    }

    /// <summary>
    /// The weight sₓ of every row, from its example weight (1 each when <paramref name="exampleWeights"/> is empty) and
    /// its label's class.
    /// </summary>
    public T[] Of<T>(ReadOnlySpan<float> exampleWeights, TrainingLabels labels)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var scale = new T[labels.Count];
        for (int r = 0; r < scale.Length; r++)
            scale[r] = T.CreateChecked(Of(exampleWeights.IsEmpty ? 1.0 : exampleWeights[r], labels.ClassOf(r)));
        return scale;
    }

    /// <summary>The weight sₓ of a row with example weight <paramref name="exampleWeight"/> and class <paramref name="classIndex"/>.</summary>
    public double Of(double exampleWeight, int classIndex)
        => exampleWeight * _factorPerClass[_factorPerClass.Length == 1 ? 0 : classIndex];
}
