using System.Diagnostics;
using MlNetBackprop.Network.Layers;
using MlNetBackprop.Network.Training;

namespace MlNetBackprop.Network;

/// <summary>
/// Compares backpropagation's gradient with central finite differences,
/// ∂C/∂θ ≈ (C(θ + ε) − C(θ − ε)) / 2ε, for every weight and bias, in double precision. Backprop needs one forward
/// and one backward pass for all of them; the finite differences need two forward passes per parameter,
/// which is the chapter's case for backpropagation.
/// </summary>
internal static class GradientCheck
{
    /// <summary>
    /// Below this sum of magnitudes a difference is measured absolutely: gradients that small are zero for any practical
    /// purpose, and dividing by their size would turn rounding into large "relative" errors.
    /// </summary>
    private const double NegligibleMagnitude = 1e-8;

    /// <summary>The largest relative error per layer, over its parameters (0 for a layer without), and what each method took.</summary>
    public sealed record Result(double[] MaxRelativeErrorPerLayer, int ParametersChecked, TimeSpan BackpropTime, TimeSpan FiniteDifferenceTime)
    {
        /// <summary>The largest relative error over the whole network.</summary>
        public double MaxRelativeError => MaxRelativeErrorPerLayer.Max();

        /// <summary>How many times faster backpropagation was than the finite differences (a clock tick at least for each).</summary>
        public double Speedup => Math.Max(FiniteDifferenceTime.Ticks, 1) / (double)Math.Max(BackpropTime.Ticks, 1);
    }

    /// <summary>
    /// Checks the gradient of C = Σₓ sₓ·Cₓ / m + λ/(2n)·Σw² for the given batch. <paramref name="n"/> is the
    /// training-set size in the L2 term. With <paramref name="dropout"/>, its current masks stay fixed for both methods, so
    /// that the cost is a fixed function of the weights.
    /// </summary>
    public static Result Run(FeedForwardNetwork<double> network, MiniBatch<double> batch, double lambda = 0, int n = 1, double epsilon = 1e-6,
        DropoutMasks<double>? dropout = null)
    {
        var workspace = new Workspace<double>();
        var gradients = GradientStore<double>.Gradients;
        Backpropagation.Run(network, batch, workspace, gradients, dropout); // warm-up: first-call costs
        var clock = Stopwatch.StartNew();
        Backpropagation.Run(network, batch, workspace, gradients, dropout);
        var backpropTime = clock.Elapsed;

        double Cost() => network.WeightedCost(batch, workspace, dropout) / batch.Rows
                         + lambda / (2.0 * n) * network.SumOfSquaredWeights();
        clock.Restart();

        var errors = new double[network.LayerCount];
        int count = 0;
        for (int l = 0; l < network.LayerCount; l++)
        {
            var parameters = network.Layers[l].Parameters;
            for (int p = 0; p < parameters.Count; p++)
            {
                var values = parameters[p].Values.Span;
                var analytic = new double[values.Length];
                parameters[p].CopyGradientTo(analytic);
                double l2 = parameters[p].Decays ? lambda / n : 0;
                for (int i = 0; i < values.Length; i++)
                {
                    errors[l] = Math.Max(errors[l], RelativeError(analytic[i] + l2 * values[i], Numeric(values, i, epsilon, Cost)));
                    count++;
                }
            }
        }
        return new Result(errors, count, backpropTime, clock.Elapsed);
    }

    private static double Numeric(Span<double> parameters, int index, double epsilon, Func<double> cost)
    {
        double saved = parameters[index];
        parameters[index] = saved + epsilon;
        double plus = cost();
        parameters[index] = saved - epsilon;
        double minus = cost();
        parameters[index] = saved;
        return (plus - minus) / (2 * epsilon);
    }

    /// <summary>|a − b| / max(|a| + |b|, 1e-8): relative where the gradient is large, absolute where both are ~0.</summary>
    public static double RelativeError(double a, double b) => Math.Abs(a - b) / Math.Max(Math.Abs(a) + Math.Abs(b), NegligibleMagnitude);
}
