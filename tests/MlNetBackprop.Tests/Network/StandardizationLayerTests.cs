using MlNetBackprop.Network;
using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Costs;
using MlNetBackprop.Network.Inputs;
using MlNetBackprop.Network.Layers;
using Xunit;

namespace MlNetBackprop.Tests.Network;

/// <summary>The features' statistics, and the standardization layer that carries them in front of the network.</summary>
public sealed class StandardizationLayerTests
{
    private const int Rows = 40, Inputs = 6;

    [Fact]
    public void Standardized_rows_have_mean_zero_and_variance_one_a_constant_input_stays_finite_and_indicators_are_only_centred()
    {
        var x = Rows_(seed: 1);
        var statistics = new FeatureStatistics(Inputs);
        for (int r = 0; r < Rows; r++) statistics.Add<float>(x.AsSpan(r * Inputs, Inputs));
        var layer = new StandardizationLayer<float>(Inputs);
        var (mean, scale) = statistics.MeanAndScale();
        layer.Set(mean, scale);

        var output = Forward(layer, x);
        for (int k = 0; k < Inputs; k++)
        {
            var column = Enumerable.Range(0, Rows).Select(r => (double)output[r * Inputs + k]).ToArray();
            double m = column.Average(), variance = column.Select(v => (v - m) * (v - m)).Average();
            Assert.True(Math.Abs(m) < 1e-4, $"input {k}: mean {m}");
            // Input 4 never varies: it is centred, not blown up. Input 5 is 0 or 1: centred, and its scale stays 1.
            double expected = k switch { 4 => 0, 5 => RawVariance(x, 5), _ => 1 };
            Assert.True(Math.Abs(variance - expected) < 1e-4, $"input {k}: variance {variance}, expected {expected}");
        }
        Assert.Equal(1f, layer.Scale[5]);
    }

    [Fact]
    public void The_statistics_keep_their_digits_for_a_feature_far_from_zero_with_a_small_spread()
    {
        // Values around 10⁶ with a spread of 10⁻²: the naive Σx² − (Σx)²/n loses every digit of the variance in double.
        var statistics = new FeatureStatistics(1);
        var random = new Random(3);
        var values = Enumerable.Range(0, 1000).Select(_ => 1e6 + 0.01 * (random.NextDouble() - 0.5)).ToArray();
        foreach (double v in values) statistics.Add<double>([v]);
        double mean = values.Average(), deviation = Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average());
        var (m, s) = statistics.MeanAndScale();
        Assert.Equal(mean, m[0], 6);
        Assert.InRange(s[0] * deviation, 1 - 1e-6, 1 + 1e-6);
    }

    [Fact]
    public void A_network_behind_a_standardization_reads_raw_rows_as_the_same_network_reads_standardized_ones()
    {
        var x = Rows_(seed: 2);
        var statistics = new FeatureStatistics(Inputs);
        for (int r = 0; r < Rows; r++) statistics.Add<float>(x.AsSpan(r * Inputs, Inputs));
        var (mean, scale) = statistics.MeanAndScale();
        var layout = NetworkLayout.FullyConnected([Inputs, 7, 3], [ActivationKind.Tanh, ActivationKind.Softmax], CostKind.LogLikelihood,
            preparation: new InputPreparation(Standardized: true));
        var network = Engine.Network<float>(layout, seed: 3);
        ((StandardizationLayer<float>)network.Layers[0]).Set(mean, scale);
        var plain = new FeedForwardNetwork<float>(network.Layers.Skip(1).ToArray(), CostKind.LogLikelihood);

        var standardized = new float[x.Length];
        for (int r = 0; r < Rows; r++)
            for (int k = 0; k < Inputs; k++)
                standardized[r * Inputs + k] = (float)((x[r * Inputs + k] - mean[k]) * scale[k]);
        var onRaw = Outputs(network, x);
        var onStandardized = Outputs(plain, standardized);
        for (int i = 0; i < onRaw.Length; i++)
            Assert.True(Math.Abs(onRaw[i] - onStandardized[i]) <= 1e-5, $"output {i}: {onRaw[i]} vs {onStandardized[i]}");
    }

    private static double RawVariance(float[] x, int k)
    {
        var column = Enumerable.Range(0, Rows).Select(r => (double)x[r * Inputs + k]).ToArray();
        double mean = column.Average();
        return column.Select(v => (v - mean) * (v - mean)).Average();
    }

    private static float[] Forward(StandardizationLayer<float> layer, float[] x)
    {
        var a = new float[x.Length];
        layer.Forward((ReadOnlyMemory<float>)x, Rows, Memory<float>.Empty, a, new MlNetBackprop.Network.Kernels.ParallelGemm<float>(null));
        return a;
    }

    private static float[] Outputs(FeedForwardNetwork<float> network, float[] x)
    {
        var workspace = new Workspace<float>(null);
        network.FeedForward(x, Rows, workspace);
        return workspace.Output(Rows).ToArray();
    }

    /// <summary>Rows far from zero and of different spreads, as uncentred features are; input 4 is constant, input 5 is 0 or 1.</summary>
    private static float[] Rows_(int seed)
    {
        var random = new Random(seed);
        var x = new float[Rows * Inputs];
        for (int r = 0; r < Rows; r++)
            for (int k = 0; k < Inputs; k++)
                x[r * Inputs + k] = k switch
                {
                    4 => 7f,
                    5 => random.Next(2),
                    _ => (float)(100 * (k + 1) + (k + 1) * 10 * random.NextDouble()),
                };
        return x;
    }
}
