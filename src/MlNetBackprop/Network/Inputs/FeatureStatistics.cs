using System.Numerics;

namespace MlNetBackprop.Network.Inputs;

/// <summary>
/// Each feature's mean and spread over the training rows, gathered one row at a time as the rows are read (held in
/// memory or streamed), for a <see cref="Layers.StandardizationLayer{T}"/>. Sums are kept in double, shifted by the
/// first row's values (the shifted-data method), so that a feature far from zero with a small spread keeps its digits.
/// </summary>
internal sealed class FeatureStatistics
{
    private readonly double[] _shift, _sum, _squares;
    private readonly bool[] _indicator;
    private long _rows;

    /// <summary>Statistics of <paramref name="width"/> features, before any row.</summary>
    public FeatureStatistics(int width)
    {
        (_shift, _sum, _squares) = (new double[width], new double[width], new double[width]);
        _indicator = new bool[width];
        _indicator.AsSpan().Fill(true);
    }

    /// <summary>The number of features.</summary>
    public int Width => _shift.Length;

    /// <summary>Rows seen.</summary>
    public long Rows => _rows;

    /// <summary>Takes one dense row into account.</summary>
    public void Add<T>(ReadOnlySpan<T> row) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (_rows++ == 0)
            for (int k = 0; k < _shift.Length; k++) _shift[k] = double.CreateTruncating(row[k]);
        for (int k = 0; k < _shift.Length; k++)
        {
            double v = double.CreateTruncating(row[k]);
            double d = v - _shift[k];
            _sum[k] += d;
            _squares[k] += d * d;
            _indicator[k] &= v == 0 || v == 1;
        }
    }

    /// <summary>
    /// μ and s = 1/σ of every feature. A feature that is only ever 0 or 1 (one-hot, a flag) is centred and not scaled, as
    /// scikit-learn's users leave OneHotEncoder's output unscaled: scaling would make a category of frequency p worth
    /// 1/√p, so that the rarest would dominate the first layer. A feature that does not vary is only centred too.
    /// </summary>
    public (double[] Mean, double[] Scale) MeanAndScale()
    {
        int width = Width;
        var mean = new double[width];
        var scale = new double[width];
        for (int k = 0; k < width; k++)
        {
            if (_rows == 0) { scale[k] = 1; continue; }
            double shiftedMean = _sum[k] / _rows;
            mean[k] = _shift[k] + shiftedMean;
            double deviation = Math.Sqrt(Math.Max(_squares[k] / _rows - shiftedMean * shiftedMean, 0));
            scale[k] = !_indicator[k] && deviation > 1e-12 * Math.Max(1, Math.Abs(mean[k])) && double.IsFinite(deviation) ? 1 / deviation : 1;
        }
        return (mean, scale);
    }
}
