using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Costs;
using Xunit;

namespace MlNetBackprop.Tests.Network;

/// <summary>The element-wise pieces with a fast path: each against its textbook formula, including the edge cases.</summary>
public sealed class ElementwiseTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(33)]
    [InlineData(100)]
    public void Sigmoid_derivative_is_a_times_one_minus_a_on_every_element(int length)
    {
        var random = new Random(length);
        var a = Enumerable.Range(0, length).Select(_ => (float)random.NextDouble()).ToArray();
        var delta = Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var expected = delta.Select((d, i) => d * (a[i] * (1 - a[i]))).ToArray();
        Activation<float>.Create(ActivationKind.Sigmoid).MultiplyByDerivative(new float[length], a, delta);
        Assert.Equal(expected, delta); // the vector lanes and the scalar tail do the same operations: exact
    }

    [Fact]
    public void Log_likelihood_matches_the_formula_and_stays_finite_where_the_softmax_underflows()
    {
        var softmax = Activation<double>.Create(ActivationKind.Softmax);
        var cost = Cost<double>.Create(CostKind.LogLikelihood, softmax);
        foreach (var z in new[] { new[] { 0.5, -1.0, 2.0 }, new[] { 1000.0, 0.0, -5.0 } })
        {
            var a = new double[3];
            softmax.Apply(z, a, 3);
            double logSum = Math.Log(z.Sum(v => Math.Exp(v - z.Max()))) + z.Max();
            var y = new[] { 0.0, 1.0, 0.0 };
            double expected = -(z[1] - logSum); // −ln a₁ computed from z
            double value = cost.Value(z, a, y);
            Assert.True(double.IsFinite(value), $"cost {value} for z = [{string.Join(", ", z)}]");
            Assert.Equal(expected, value, 1e-9);
        }
    }
}
