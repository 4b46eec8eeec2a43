using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Costs;
using Xunit;

namespace MlNetBackprop.Tests.Network;

/// <summary>Each cost's value and output error (BP1) against the formula, including where a naive formula overflows.</summary>
public sealed class CostTests
{
    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    [Fact]
    public void Quadratic_cost_is_half_the_squared_distance_and_its_error_keeps_sigma_prime()
    {
        var cost = Cost<double>.Create(CostKind.Quadratic, new Sigmoid<double>());
        var z = new[] { 0.5, -2.0, 3.0 };
        var a = z.Select(Sigmoid).ToArray();
        var y = new[] { 1.0, 0.0, 0.25 };
        Assert.Equal(0.5 * a.Zip(y, (ai, yi) => (ai - yi) * (ai - yi)).Sum(), cost.Value(z, a, y), 14);
        var delta = new double[3];
        cost.OutputError(z, a, y, delta, 3);
        for (int j = 0; j < 3; j++)
            Assert.Equal((a[j] - y[j]) * a[j] * (1 - a[j]), delta[j], 14);
    }

    [Theory]
    [InlineData("quadratic", "identity")]
    [InlineData("quadratic", "sigmoid")]
    [InlineData("cross-entropy", "sigmoid")]
    public void A_missing_target_adds_nothing_to_the_cost_and_its_output_error_is_zero(string costName, string output)
    {
        var kind = costName == "quadratic" ? CostKind.Quadratic : CostKind.CrossEntropy;
        // The cost of outputs 0 and 2 with output 1's target missing is the cost of outputs 0 and 2 alone, and their
        // errors are theirs alone; output 1 learns nothing from the row.
        Activation<double> activation = output == "identity" ? new Identity<double>() : new Sigmoid<double>();
        var cost = Cost<double>.Create(kind, activation);
        var z = new[] { 0.5, -2.0, 3.0 };
        var a = output == "identity" ? (double[])z.Clone() : z.Select(Sigmoid).ToArray();
        var y = new[] { 1.0, double.NaN, 0.25 };
        double[] kept = [0, 2];
        var delta = new double[3];
        cost.OutputError(z, a, y, delta, 3);
        var alone = new double[2];
        cost.OutputError(kept.Select(j => z[(int)j]).ToArray(), kept.Select(j => a[(int)j]).ToArray(), kept.Select(j => y[(int)j]).ToArray(), alone, 2);
        Assert.Equal([alone[0], 0, alone[1]], delta);
        Assert.Equal(cost.Value(kept.Select(j => z[(int)j]).ToArray(), kept.Select(j => a[(int)j]).ToArray(), kept.Select(j => y[(int)j]).ToArray()), cost.Value(z, a, y), 14);
        Assert.True(double.IsFinite(cost.Value(z, a, y)));
    }

    [Fact]
    public void Quadratic_cost_over_softmax_backpropagates_through_the_Jacobian()
    {
        var cost = Cost<double>.Create(CostKind.Quadratic, new Softmax<double>());
        var z = new[] { 0.2, 1.0, -0.5 };
        var a = new double[3];
        new Softmax<double>().Apply(z, a, 3);
        var y = new[] { 0.0, 1.0, 0.0 };
        var delta = new double[3];
        cost.OutputError(z, a, y, delta, 3);
        double weighted = Enumerable.Range(0, 3).Sum(k => a[k] * (a[k] - y[k]));
        for (int j = 0; j < 3; j++)
            Assert.Equal(a[j] * ((a[j] - y[j]) - weighted), delta[j], 14);
    }

    [Fact]
    public void Cross_entropy_matches_the_formula_and_stays_finite_where_the_sigmoid_saturates()
    {
        var cost = Cost<double>.Create(CostKind.CrossEntropy, new Sigmoid<double>());
        var z = new[] { 0.5, -1.5, 2.0 };
        var a = z.Select(Sigmoid).ToArray();
        var y = new[] { 1.0, 0.0, 0.3 };
        double expected = -Enumerable.Range(0, 3).Sum(j => y[j] * Math.Log(a[j]) + (1 - y[j]) * Math.Log(1 - a[j]));
        Assert.Equal(expected, cost.Value(z, a, y), 12);
        // σ(±800) rounds to 1 and 0: ln 0 would be infinite, the softplus form gives the exact 800.
        Assert.Equal(800, cost.Value([-800.0], [Sigmoid(-800)], [1.0]), 9);
        Assert.Equal(800, cost.Value([800.0], [Sigmoid(800)], [0.0]), 9);
        Assert.Equal(Math.Log(1 + Math.Exp(-3)), cost.Value([3.0], [Sigmoid(3)], [1.0]), 14);
        Assert.Equal(Math.Log(1 + Math.Exp(-3)), cost.Value([-3.0], [Sigmoid(-3)], [0.0]), 14);
        var delta = new double[3];
        cost.OutputError(z, a, y, delta, 3);
        Assert.Equal(a.Zip(y, (ai, yi) => ai - yi), delta);
    }

    [Fact]
    public void Log_likelihood_matches_the_formula_and_stays_finite_where_the_softmax_underflows()
    {
        var softmax = new Softmax<double>();
        var cost = Cost<double>.Create(CostKind.LogLikelihood, softmax);
        // The last two underflow the true class's output to 0, so the cost comes from z; the last would overflow e^z
        // unless the row is shifted by its maximum.
        foreach (var z in new[] { new[] { 0.5, -1.0, 2.0 }, new[] { 1000.0, 0.0, -5.0 }, new[] { -80.0, 0.0, 1.0 }, new[] { -1000.0, 0.0, 500.0 } })
        {
            var a = new double[3];
            softmax.Apply(z, a, 3);
            double logSum = Math.Log(z.Sum(v => Math.Exp(v - z.Max()))) + z.Max();
            var y = new[] { 1.0, 0.0, 0.0 };
            double value = cost.Value(z, a, y);
            Assert.True(double.IsFinite(value), $"cost {value} for z = [{string.Join(", ", z)}]");
            Assert.Equal(-(z[0] - logSum), value, 9);
            var delta = new double[3];
            cost.OutputError(z, a, y, delta, 3);
            Assert.Equal(a.Zip(y, (ai, yi) => ai - yi), delta);
        }
        // A target spread over several classes weighs each logarithm.
        var z2 = new[] { 0.1, 0.2, 0.3 };
        var a2 = new double[3];
        softmax.Apply(z2, a2, 3);
        Assert.Equal(-(0.25 * Math.Log(a2[0]) + 0.75 * Math.Log(a2[2])), cost.Value(z2, a2, [0.25, 0.0, 0.75]), 12);
    }

    [Fact]
    public void Costs_refuse_the_outputs_they_are_not_defined_for()
    {
        Assert.Contains("defined over Sigmoid outputs, not Softmax",
            Assert.Throws<ArgumentException>(() => Cost<double>.Create(CostKind.CrossEntropy, new Softmax<double>())).Message);
        Assert.Contains("defined over Softmax outputs, not Sigmoid",
            Assert.Throws<ArgumentException>(() => Cost<double>.Create(CostKind.LogLikelihood, new Sigmoid<double>())).Message);
        Assert.Equal(CostKind.Quadratic, Cost<double>.Create(CostKind.Quadratic, new Identity<double>()).Kind);
        Assert.Equal(CostKind.CrossEntropy, Cost<double>.Create(CostKind.CrossEntropy, new Sigmoid<double>()).Kind);
        Assert.Equal(CostKind.LogLikelihood, Cost<double>.Create(CostKind.LogLikelihood, new Softmax<double>()).Kind);
    }
}
