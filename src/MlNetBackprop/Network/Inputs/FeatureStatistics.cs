using System.Numerics;

namespace MlNetBackprop.Network.Inputs;

/// <summary>
/// Each feature's mean and spread over the training rows, gathered one row at a time as the rows are read (held in
/// memory or streamed), for a <see cref="Layers.StandardizationLayer{T}"/>. Sums are kept in double, shifted by the
/// first row's values (the shifted-data method), so that a feature far from zero with a small spread keeps its digits.
/// For robust scaling (median and quartiles) it also keeps a uniform sample of the rows (a seeded reservoir of at most
/// <see cref="SampleRows"/>), the same whether the rows are held or streamed. The sample keeps single precision, the
/// precision the rows are trained in, so that a wide table's sample takes half the memory of doubles for the same values.
/// </summary>
internal sealed class FeatureStatistics
{
    /// <summary>The most rows the quantiles are taken from: their error is then about 1% of the spread.</summary>
    public const int SampleRows = 4096;

    private readonly double[] _shift, _sum, _squares, _min, _max;
    private readonly bool[] _indicator;
    private readonly float[]? _sample;
    private readonly Random _reservoir = new(0);
    private long _rows;

    /// <summary>Statistics of <paramref name="width"/> features, before any row; with <paramref name="quantiles"/>, a sample for medians and quartiles too.</summary>
    public FeatureStatistics(int width, bool quantiles = false)
    {
        (_shift, _sum, _squares) = (new double[width], new double[width], new double[width]);
        (_min, _max) = (new double[width], new double[width]);
        _min.AsSpan().Fill(double.PositiveInfinity);
        _max.AsSpan().Fill(double.NegativeInfinity);
        _indicator = new bool[width];
        _indicator.AsSpan().Fill(true);
        _sample = quantiles ? new float[checked(SampleRows * width)] : null;
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
            _min[k] = Math.Min(_min[k], v);
            _max[k] = Math.Max(_max[k], v);
        }
        if (_sample is null) return;
        // Reservoir sampling (Vitter's algorithm R): row i replaces a random kept row with probability SampleRows/i.
        long slot = _rows <= SampleRows ? _rows - 1 : _reservoir.NextInt64(_rows);
        if (slot >= SampleRows) return;
        var kept = _sample.AsSpan((int)slot * Width, Width);
        for (int k = 0; k < kept.Length; k++) kept[k] = float.CreateTruncating(row[k]);
    }

    /// <summary>
    /// RealMLP's robust scaling: centre each feature at its median and scale by 1/(q₇₅ − q₂₅), or by 2/(max − min) where
    /// the quartiles coincide (a rare category's one-hot column), and 0 for a feature that never varies (it is dropped).
    /// Needs the sample (the constructor's <c>quantiles</c>).
    /// </summary>
    public (double[] Center, double[] Scale) MedianAndScale()
    {
        if (_sample is null) throw new InvalidOperationException("These statistics keep no sample: make them with quantiles.");
        int width = Width, kept = (int)Math.Min(_rows, SampleRows);
        var center = new double[width];
        var scale = new double[width];
        var column = new double[kept];
        for (int k = 0; k < width; k++)
        {
            if (kept == 0) { scale[k] = 1; continue; }
            for (int r = 0; r < kept; r++) column[r] = _sample[r * width + k];
            Array.Sort(column);
            center[k] = Quantile(column, 0.5);
            double spread = Quantile(column, 0.75) - Quantile(column, 0.25), range = _max[k] - _min[k];
            scale[k] = spread > 0 ? 1 / spread : range > 0 ? 2 / range : 0;
        }
        return (center, scale);
    }

    /// <summary>
    /// The bins of a piecewise-linear encoding (<see cref="Layers.PiecewiseLinearLayer{T}"/>): for every feature that is not
    /// an indicator, the sample's distinct quantiles at t/<paramref name="most"/> mapped through <paramref name="map"/> (the
    /// standardization in front, which is monotone) cut it into at most that many bins (fewer where it takes fewer
    /// values); the bins come feature by feature. Once more than <paramref name="mostBins"/> are found the rest are not
    /// looked for (sorting every column of a wide table's sample takes a noticeable part of a Fit), and the bins returned
    /// are already more than the caller can take.
    /// </summary>
    public (int[] Features, double[] Low, double[] High) Bins(int most, Func<int, double, double> map, int mostBins = int.MaxValue)
    {
        if (_sample is null) throw new InvalidOperationException("These statistics keep no sample: make them with quantiles.");
        int width = Width, kept = (int)Math.Min(_rows, SampleRows);
        var (features, low, high) = (new List<int>(), new List<double>(), new List<double>());
        var column = new double[kept];
        for (int k = 0; k < width && kept > 0 && features.Count <= mostBins; k++)
        {
            if (_indicator[k]) continue;
            for (int r = 0; r < kept; r++) column[r] = _sample[r * width + k];
            Array.Sort(column);
            var edges = Enumerable.Range(0, most + 1).Select(t => map(k, Quantile(column, (double)t / most))).Distinct().ToArray();
            for (int e = 0; e + 1 < edges.Length; e++)
            {
                features.Add(k);
                low.Add(edges[e]);
                high.Add(edges[e + 1]);
            }
        }
        return (features.ToArray(), low.ToArray(), high.ToArray());
    }

    /// <summary>The q-quantile of sorted values, interpolating between neighbours (numpy's default).</summary>
    private static double Quantile(double[] sorted, double q)
    {
        double at = q * (sorted.Length - 1);
        int below = (int)Math.Floor(at);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (at - below) * (sorted[above] - sorted[below]);
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
