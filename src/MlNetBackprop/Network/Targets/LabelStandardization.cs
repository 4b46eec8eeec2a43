namespace MlNetBackprop.Network.Targets;

/// <summary>
/// Regression's target scaling, one per output: the network learns each standardised target (y − mean) / deviation, so
/// that one learning rate serves targets of any units, and each output is mapped back as a·deviation + mean. The means
/// and deviations are kept as floats, the precision the stored model has, so training and scoring use the very same
/// constants.
/// </summary>
internal sealed class LabelStandardization : IEquatable<LabelStandardization>
{
    private readonly float[] _means, _deviations;

    /// <summary>No scaling: classification targets are used as they are, and outputs are mapped back unchanged.</summary>
    public static readonly LabelStandardization None = new([], []);

    /// <summary>The scaling of one output.</summary>
    public LabelStandardization(float mean, float standardDeviation) : this([mean], [standardDeviation])
    {
    }

    /// <summary>The scaling of as many outputs as there are means (and as many deviations).</summary>
    public LabelStandardization(float[] means, float[] standardDeviations)
    {
        if (means.Length != standardDeviations.Length)
            throw new ArgumentException($"{means.Length} means but {standardDeviations.Length} deviations.", nameof(standardDeviations));
        (_means, _deviations) = (means, standardDeviations);
    }

    /// <summary>The outputs scaled: 0 for <see cref="None"/>.</summary>
    public int Count => _means.Length;

    /// <summary>Each output's mean.</summary>
    public ReadOnlySpan<float> Means => _means;

    /// <summary>Each output's standard deviation.</summary>
    public ReadOnlySpan<float> StandardDeviations => _deviations;

    /// <summary>The standardised target of label value <paramref name="label"/> of output <paramref name="output"/> (NaN, a missing target, stays NaN).</summary>
    public double Standardize(int output, double label) => Count == 0 ? label : (label - _means[output]) / _deviations[output];

    /// <summary>Output <paramref name="output"/>'s activation <paramref name="a"/> in its label's units.</summary>
    public float Restore(int output, float a) => Count == 0 ? a : a * _deviations[output] + _means[output];

    /// <summary>The outputs <paramref name="a"/> of the network in the labels' units, into <paramref name="values"/>.</summary>
    public void Restore(ReadOnlySpan<float> a, Span<float> values)
    {
        if (Count == 0)
        {
            a.CopyTo(values);
            return;
        }
        for (int j = 0; j < a.Length; j++)
            values[j] = Restore(j, a[j]);
    }

    /// <inheritdoc/>
    public bool Equals(LabelStandardization? other)
        => other is not null && _means.AsSpan().SequenceEqual(other._means) && _deviations.AsSpan().SequenceEqual(other._deviations);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as LabelStandardization);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Count, Count > 0 ? _means[0] : 0, Count > 0 ? _deviations[0] : 0);

    /// <inheritdoc/>
    public override string ToString() => $"LabelStandardization(means [{string.Join(", ", _means)}], deviations [{string.Join(", ", _deviations)}])";

    /// <summary>
    /// Welford's running mean and (population) variance of each output's values, in the order the rows come; a NaN value
    /// (a missing target) is left out of its output's statistics.
    /// </summary>
    internal sealed class Accumulator(int outputs)
    {
        private readonly long[] _count = new long[outputs];
        private readonly double[] _mean = new double[outputs], _sumOfSquares = new double[outputs];

        /// <summary>Takes one row's values into account.</summary>
        public void Add(ReadOnlySpan<double> labels)
        {
            for (int j = 0; j < labels.Length; j++)
            {
                double label = labels[j];
                if (double.IsNaN(label)) continue;
                _count[j]++;
                double delta = label - _mean[j];
                _mean[j] += delta / _count[j];
                _sumOfSquares[j] += delta * (label - _mean[j]);
            }
        }

        /// <summary>The values seen for each output.</summary>
        public ReadOnlySpan<long> Counts => _count;

        /// <summary>The standardisation of the values seen; a deviation of 1 where they do not vary (or none were seen).</summary>
        public LabelStandardization Result()
        {
            var means = new float[_mean.Length];
            var deviations = new float[_mean.Length];
            for (int j = 0; j < means.Length; j++)
            {
                double deviation = _count[j] > 0 ? Math.Sqrt(_sumOfSquares[j] / _count[j]) : 1;
                means[j] = (float)_mean[j];
                deviations[j] = deviation > 0 && double.IsFinite(deviation) ? (float)deviation : 1f;
            }
            return new LabelStandardization(means, deviations);
        }
    }
}
