using MlNetBackprop.Network;
using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Costs;
using Xunit;
using Xunit.Abstractions;

namespace MlNetBackprop.Tests.Network;

/// <summary>Backpropagation's gradient against central finite differences: the ground truth for BP1–BP4.</summary>
public sealed class GradientCheckTests(ITestOutputHelper output)
{
    public static TheoryData<string, string, string, int> Networks()
    {
        var data = new TheoryData<string, string, string, int>();
        foreach (var hidden in new[] { "Sigmoid", "Tanh", "Relu", "Identity" })
        {
            data.Add(hidden, "Softmax", "LogLikelihood", 3); // multiclass, cross-entropy
            data.Add(hidden, "Sigmoid", "Quadratic", 3);     // multiclass, quadratic
            data.Add(hidden, "Sigmoid", "CrossEntropy", 1);  // binary, cross-entropy
            data.Add(hidden, "Sigmoid", "Quadratic", 1);     // binary, quadratic
            data.Add(hidden, "Identity", "Quadratic", 1);    // regression
        }
        return data;
    }

    // The issue asks for a relative error below 1e-3; in double precision with ε = 1e-6 the finite differences are good
    // to about 1e-5 relative even for gradients near 1e-6, so the bar is set ten times tighter, at 1e-4.
    [Theory]
    [MemberData(nameof(Networks))]
    public void Backprop_matches_finite_differences_for_every_weight_and_bias(string hidden, string outputActivation, string cost, int outputs)
    {
        var (network, inputs, targets, _) = Setup(Enum.Parse<ActivationKind>(hidden), Enum.Parse<ActivationKind>(outputActivation), Enum.Parse<CostKind>(cost), outputs, seed: 7);
        var result = GradientCheck.Run(network, inputs, targets, [], Rows);
        output.WriteLine($"{hidden}/{outputActivation}/{cost}: max relative error per layer {string.Join(", ", result.MaxRelativeErrorPerLayer.Select(e => e.ToString("E2")))}");
        Assert.Equal(network.Weights.Sum(w => w.Length) + network.Biases.Sum(b => b.Length), result.ParametersChecked);
        Assert.True(result.MaxRelativeError < 1e-4, $"max relative error {result.MaxRelativeError:E2}");
    }

    [Theory]
    [InlineData("Sigmoid", "Softmax", "LogLikelihood", 3)]
    [InlineData("Tanh", "Sigmoid", "CrossEntropy", 1)]
    [InlineData("Relu", "Identity", "Quadratic", 1)]
    public void Backprop_matches_finite_differences_with_example_weights_and_L2(string hidden, string outputActivation, string cost, int outputs)
    {
        var (network, inputs, targets, scale) = Setup(Enum.Parse<ActivationKind>(hidden), Enum.Parse<ActivationKind>(outputActivation), Enum.Parse<CostKind>(cost), outputs, seed: 11);
        var result = GradientCheck.Run(network, inputs, targets, scale, Rows, lambda: 5.0, n: 50);
        output.WriteLine($"weighted, λ = 5: max relative error {result.MaxRelativeError:E2}");
        Assert.True(result.MaxRelativeError < 1e-4, $"max relative error {result.MaxRelativeError:E2}");
    }

    [Theory]
    [InlineData("Sigmoid", "Softmax", "LogLikelihood", 3)]
    [InlineData("Relu", "Identity", "Quadratic", 1)]
    public void Backprop_matches_finite_differences_with_fixed_dropout_masks(string hidden, string outputActivation, string cost, int outputs)
    {
        var (network, inputs, targets, scale) = Setup(Enum.Parse<ActivationKind>(hidden), Enum.Parse<ActivationKind>(outputActivation), Enum.Parse<CostKind>(cost), outputs, seed: 13);
        var dropout = new DropoutMasks<double>(network.Layout, Rows, 0.4, new Random(2));
        dropout.Draw(Rows);
        Assert.Contains(0.0, dropout.Masks[0]!); // some neurons are really dropped
        var result = GradientCheck.Run(network, inputs, targets, scale, Rows, lambda: 2.0, n: 30, dropout: dropout);
        output.WriteLine($"dropout 0.4: max relative error {result.MaxRelativeError:E2}");
        Assert.True(result.MaxRelativeError < 1e-4, $"max relative error {result.MaxRelativeError:E2}");
    }

    [Fact]
    public void The_check_notices_a_wrong_gradient()
    {
        // The same comparison against a gradient that is off by 1% in one weight must report it.
        Assert.True(GradientCheck.RelativeError(0.0101, 0.0100) > 1e-3);
        Assert.True(GradientCheck.RelativeError(-0.5, 0.5) > 0.9);
        Assert.True(GradientCheck.RelativeError(1e-12, 0) < 1e-3); // both zero for practical purposes
    }

    [Fact]
    public void Float_engine_gives_the_double_engines_gradient()
    {
        var (network, inputs, targets, scale) = Setup(ActivationKind.Sigmoid, ActivationKind.Softmax, CostKind.LogLikelihood, 3, seed: 3);
        var single = network.ConvertTo<float>();
        var gradDouble = new Gradient<double>(network);
        var gradSingle = new Gradient<float>(single);
        network.Backpropagate(inputs, targets, scale, Rows, new Workspace<double>(), gradDouble);
        single.Backpropagate(inputs.Select(v => (float)v).ToArray(), targets.Select(v => (float)v).ToArray(),
            scale.Select(v => (float)v).ToArray(), Rows, new Workspace<float>(), gradSingle);
        for (int l = 0; l < network.LayerCount; l++)
            for (int i = 0; i < gradDouble.Weights[l].Length; i++)
                Assert.True(Math.Abs(gradDouble.Weights[l][i] - gradSingle.Weights[l][i]) <= 1e-5 + 1e-4 * Math.Abs(gradDouble.Weights[l][i]),
                    $"layer {l} weight {i}: {gradDouble.Weights[l][i]} vs {gradSingle.Weights[l][i]}");
    }

    private const int Rows = 5;

    private static (FeedForwardNetwork<double>, double[], double[], double[]) Setup(
        ActivationKind hidden, ActivationKind outputActivation, CostKind cost, int outputs, int seed)
    {
        // Two hidden layers of odd widths, so that BP2 runs through a hidden-to-hidden layer and the kernels' tails are used.
        var layout = new NetworkLayout([4, 5, 3, outputs], hidden, outputActivation, cost);
        var network = new FeedForwardNetwork<double>(layout);
        var random = new Random(seed);
        network.InitializeWeights(random);
        var inputs = Enumerable.Range(0, Rows * 4).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var targets = new double[Rows * outputs];
        for (int r = 0; r < Rows; r++)
        {
            if (outputActivation == ActivationKind.Identity)
                targets[r] = random.NextDouble() * 4 - 2;
            else if (outputs == 1)
                targets[r] = random.Next(2);
            else
                targets[r * outputs + random.Next(outputs)] = 1;
        }
        var scale = Enumerable.Range(0, Rows).Select(_ => 0.2 + random.NextDouble() * 2).ToArray();
        return (network, inputs, targets, scale);
    }
}
