using MlNetBackprop.Network;
using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Costs;
using MlNetBackprop.Network.Inputs;
using MlNetBackprop.Network.Kernels;
using MlNetBackprop.Network.Layers;
using MlNetBackprop.Network.Training;
using Xunit;

namespace MlNetBackprop.Tests.Network;

/// <summary>The piecewise-linear encoding of numeric features: its formula, its bins from the data, and backprop above and through it.</summary>
public sealed class PiecewiseLinearTests
{
    [Fact]
    public void Each_bin_is_one_once_passed_the_position_inside_and_zero_ahead_and_the_features_pass_through()
    {
        var layer = new PiecewiseLinearLayer<double>(3, bins: 3);
        layer.Set([1, 1, 1], [0, 1, 3], [1, 3, 4]);
        double[] x = [7, 2, 0.5, 7, -1, 9];
        var a = new double[2 * layer.OutputSize];
        layer.Forward((ReadOnlyMemory<double>)x, 2, Memory<double>.Empty, a, new ParallelGemm<double>(null));
        // Row 1: feature 1 is 2: past bin [0, 1], halfway through [1, 3], short of [3, 4]. Row 2: −1 is short of all; x kept.
        Assert.Equal([7, 2, 0.5, 1, 0.5, 0], a[..6]);
        Assert.Equal([7, -1, 9, 0, 0, 0], a[6..]);
    }

    [Fact]
    public void The_bins_come_from_quantiles_of_numeric_features_only_and_as_many_as_their_values_allow()
    {
        var statistics = new FeatureStatistics(3, quantiles: true);
        for (int r = 0; r < 100; r++) statistics.Add<double>([r, r % 2, 5]);
        var (features, low, high) = statistics.Bins(4, (_, v) => v);
        Assert.Equal([0, 0, 0, 0], features); // the 0/1 column and the constant one are left alone
        Assert.Equal([0, 24.75, 49.5, 74.25], low);
        Assert.Equal([24.75, 49.5, 74.25, 99], high);

        var coarse = new FeatureStatistics(1, quantiles: true);
        for (int r = 0; r < 90; r++) coarse.Add<double>([r % 3]);
        Assert.Equal([0, 1], coarse.Bins(8, (_, v) => v).Low); // three values: two bins, whatever the most asked for
    }

    [Fact]
    public void Bins_stop_being_looked_for_once_there_are_more_than_the_caller_can_take()
    {
        var statistics = new FeatureStatistics(5, quantiles: true);
        for (int r = 0; r < 200; r++) statistics.Add<float>([r, r % 2, 2 * r, 3 * r, 4 * r]);
        var all = statistics.Bins(4, (_, v) => v);
        Assert.Equal([0, 0, 0, 0, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4], all.Features);
        // More than 5 wanted at most: the search stops after the feature that passed the limit, with the same first bins.
        var some = statistics.Bins(4, (_, v) => v, mostBins: 5);
        Assert.Equal(all.Features[..8], some.Features);
        Assert.Equal(all.Low[..8], some.Low);
        Assert.Equal(all.High[..8], some.High);
        Assert.Equal(all.Features, statistics.Bins(4, (_, v) => v, mostBins: 16).Features); // exactly as many as allowed: all
    }

    [Fact]
    public void Backprop_matches_finite_differences_above_and_through_the_encoding()
    {
        var random = new Random(31);
        var encoding = new PiecewiseLinearLayer<double>(5, bins: 6);
        encoding.Set([0, 0, 0, 3, 3, 3], [-3, -0.2, 0.4, -2.5, -0.5, 0.3], [-0.2, 0.4, 3, -0.5, 0.3, 3]);
        // In front, as the trainer builds it; and between two dense layers, for BP2 through its slopes (the inputs are kept
        // away from the bins' edges, where the encoding has kinks that finite differences straddle).
        var front = new FeedForwardNetwork<double>([encoding, new DenseLayer<double>(11, 4, new Tanh<double>()),
            new DenseLayer<double>(4, 2, new Softmax<double>())], CostKind.LogLikelihood);
        front.InitializeWeights(random);
        var inputs = Enumerable.Range(0, 5 * 6).Select(i => Math.Round(random.NextDouble() * 4 - 2, 1) + 0.05).ToArray();
        var targets = Enumerable.Range(0, 6 * 2).Select(i => (double)(i % 2 == (i / 2) % 2 ? 1 : 0)).ToArray();
        var result = GradientCheck.Run(front, MiniBatch<double>.Of(inputs, targets, [], 6));
        Assert.Equal(1, front.FirstTrainableLayer);
        Assert.True(result.MaxRelativeError < 1e-4, $"max relative error {result.MaxRelativeError:E2}");
    }
}
