namespace MlNetBackprop;

/// <summary>
/// The result of <see cref="BackpropTrainer.CheckGradient"/>: how far backpropagation's gradient is from central finite
/// differences, and what each method cost. Backprop gets every partial derivative from one forward and one backward
/// pass; finite differences need two forward passes per weight, which is chapter 2's case for backpropagation.
/// </summary>
public sealed record GradientCheckReport
{
    /// <summary>Per weight layer (0 feeds the first hidden layer), the largest relative error |a − b| / (|a| + |b|) over its weights and biases.</summary>
    public required IReadOnlyList<double> MaxRelativeErrorPerLayer { get; init; }

    /// <summary>The largest relative error over the network; below about 1e-6 backprop is right (values are computed in double precision).</summary>
    public double MaxRelativeError => MaxRelativeErrorPerLayer.Max();

    /// <summary>The number of weights and biases checked (all of them).</summary>
    public required int ParametersChecked { get; init; }

    /// <summary>The examples the cost was taken over.</summary>
    public required int Rows { get; init; }

    /// <summary>The time of one backpropagation (forward and backward pass) over the rows.</summary>
    public required TimeSpan BackpropTime { get; init; }

    /// <summary>The time of the finite differences: two forward passes per parameter.</summary>
    public required TimeSpan FiniteDifferenceTime { get; init; }

    /// <summary>How many times faster backpropagation was.</summary>
    public required double Speedup { get; init; }

    /// <inheritdoc/>
    public override string ToString()
        => $"max relative error {MaxRelativeError:E2} over {ParametersChecked:N0} parameters ({string.Join(", ", MaxRelativeErrorPerLayer.Select(e => e.ToString("E2")))} per layer); " +
           $"backprop {BackpropTime.TotalMilliseconds:F3} ms, finite differences {FiniteDifferenceTime.TotalMilliseconds:F1} ms ({Speedup:N0}x)";
}
