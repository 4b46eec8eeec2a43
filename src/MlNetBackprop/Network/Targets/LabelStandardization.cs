namespace MlNetBackprop.Network.Targets;

/// <summary>
/// Regression's target scaling: the network learns the standardised label (y − mean) / deviation, so that one learning
/// rate serves labels of any units, and its output is mapped back as a·deviation + mean. The mean and deviation are
/// kept as floats, the precision the stored model has, so training and scoring use the very same constants.
/// </summary>
internal sealed record LabelStandardization(float Mean, float StandardDeviation)
{
    /// <summary>No scaling: classification targets are used as they are.</summary>
    public static readonly LabelStandardization None = new(0f, 1f);

    /// <summary>The standardised target of a label.</summary>
    public double Standardize(double label) => (label - Mean) / StandardDeviation;

    /// <summary>An output of the network in the label's units.</summary>
    public float Restore(float output) => output * StandardDeviation + Mean;

    /// <summary>Welford's running mean and (population) variance, in the order the labels come.</summary>
    internal sealed class Accumulator
    {
        private long _count;
        private double _mean, _sumOfSquares;

        /// <summary>Takes one label into account.</summary>
        public void Add(double label)
        {
            _count++;
            double delta = label - _mean;
            _mean += delta / _count;
            _sumOfSquares += delta * (label - _mean);
        }

        /// <summary>The standardisation of the labels seen; a deviation of 1 where they do not vary (or none were seen).</summary>
        public LabelStandardization Result()
        {
            double deviation = _count > 0 ? Math.Sqrt(_sumOfSquares / _count) : 1;
            return new LabelStandardization((float)_mean, deviation > 0 && double.IsFinite(deviation) ? (float)deviation : 1f);
        }
    }
}
