using MlNetBackprop.Network;
using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Costs;
using MlNetBackprop.Network.Export;
using MlNetBackprop.Network.Kernels;
using MlNetBackprop.Network.Layers;
using MlNetBackprop.Network.Training;
using Xunit;
using Xunit.Abstractions;

namespace MlNetBackprop.Tests.Network;

/// <summary>Backpropagation's gradient against central finite differences: the ground truth for BP1–BP4.</summary>
public sealed class GradientCheckTests(ITestOutputHelper output)
{
    /// <summary>Every hidden activation the options offer, with every output layer and cost the trainer pairs.</summary>
    public static TheoryData<HiddenActivation, BackpropTask, CostFunction, MulticlassOutput> Networks()
    {
        var data = new TheoryData<HiddenActivation, BackpropTask, CostFunction, MulticlassOutput>();
        foreach (var hidden in Enum.GetValues<HiddenActivation>())
            foreach (var (task, cost, multiclassOutput) in Engine.Pairings())
                data.Add(hidden, task, cost, multiclassOutput);
        return data;
    }

    // In double precision with ε = 1e-6 the finite differences are good to about 1e-5 relative even for gradients near
    // 1e-6, so the bar is 1e-4; a wrong derivative of 1% shows as 1e-2 (see the tests below).
    [Theory]
    [MemberData(nameof(Networks))]
    public void Backprop_matches_finite_differences_for_every_weight_and_bias(HiddenActivation hidden, BackpropTask task, CostFunction cost,
        MulticlassOutput multiclassOutput)
    {
        var (network, inputs, targets, _) = Setup(Engine.Layout([4, 5, 3, Outputs(task)], hidden, task, cost, multiclassOutput), seed: 7);
        var result = GradientCheck.Run(network, MiniBatch<double>.Of(inputs, targets, [], Rows));
        output.WriteLine($"{network.Layout}: max relative error per layer {string.Join(", ", result.MaxRelativeErrorPerLayer.Select(e => e.ToString("E2")))}");
        Assert.Equal(network.Parameters.Sum(p => p.Length), result.ParametersChecked);
        Assert.True(result.MaxRelativeError < 1e-4, $"max relative error {result.MaxRelativeError:E2}");
    }

    [Theory]
    [InlineData(HiddenActivation.Sigmoid, BackpropTask.MulticlassClassification, CostFunction.CrossEntropy)]
    [InlineData(HiddenActivation.Tanh, BackpropTask.BinaryClassification, CostFunction.CrossEntropy)]
    [InlineData(HiddenActivation.Relu, BackpropTask.Regression, CostFunction.Quadratic)]
    public void Backprop_matches_finite_differences_with_example_weights_and_L2(HiddenActivation hidden, BackpropTask task, CostFunction cost)
    {
        var (network, inputs, targets, scale) = Setup(Engine.Layout([4, 5, 3, Outputs(task)], hidden, task, cost), seed: 11);
        var result = GradientCheck.Run(network, MiniBatch<double>.Of(inputs, targets, scale, Rows), lambda: 5.0, n: 50);
        output.WriteLine($"weighted, λ = 5: max relative error {result.MaxRelativeError:E2}");
        Assert.True(result.MaxRelativeError < 1e-4, $"max relative error {result.MaxRelativeError:E2}");
    }

    [Theory]
    [InlineData(HiddenActivation.Sigmoid, BackpropTask.MulticlassClassification, CostFunction.CrossEntropy)]
    [InlineData(HiddenActivation.Relu, BackpropTask.Regression, CostFunction.Quadratic)]
    public void Backprop_matches_finite_differences_with_fixed_dropout_masks(HiddenActivation hidden, BackpropTask task, CostFunction cost)
    {
        var (network, inputs, targets, scale) = Setup(Engine.Layout([4, 5, 3, Outputs(task)], hidden, task, cost), seed: 13);
        var dropout = new DropoutMasks<double>(network.Layout, Rows, 0.4, new Random(2));
        dropout.Draw(Rows);
        Assert.Contains(0.0, dropout.Masks[0]!); // some neurons are really dropped
        var result = GradientCheck.Run(network, MiniBatch<double>.Of(inputs, targets, scale, Rows), lambda: 2.0, n: 30, dropout: dropout);
        output.WriteLine($"dropout 0.4: max relative error {result.MaxRelativeError:E2}");
        Assert.True(result.MaxRelativeError < 1e-4, $"max relative error {result.MaxRelativeError:E2}");
    }

    [Fact]
    public void The_check_notices_a_wrong_derivative_in_BP2()
    {
        // The hidden layers' σ′ is 1% too large: BP2 carries a wrong δ into layers 0 and 1, while the output layer's
        // gradient (BP1, and BP3/BP4 of the last layer) stays right.
        var random = new Random(5);
        var network = new FeedForwardNetwork<double>([
            new DenseLayer<double>(4, 5, new SigmoidWithWrongDerivative()),
            new DenseLayer<double>(5, 3, new SigmoidWithWrongDerivative()),
            new DenseLayer<double>(3, 3, new Softmax<double>()),
        ], CostKind.LogLikelihood);
        network.InitializeWeights(random);
        var (_, inputs, targets, _) = Setup(network.Layout, seed: 5);
        var result = GradientCheck.Run(network, MiniBatch<double>.Of(inputs, targets, [], Rows));
        output.WriteLine($"wrong σ′: {string.Join(", ", result.MaxRelativeErrorPerLayer.Select(e => e.ToString("E2")))}");
        Assert.True(result.MaxRelativeErrorPerLayer[0] > 1e-3 && result.MaxRelativeErrorPerLayer[1] > 1e-3, "the wrong δ below the output is caught");
        Assert.True(result.MaxRelativeErrorPerLayer[2] < 1e-4, "the output layer's gradient does not depend on σ′ of the layers below");
    }

    [Fact]
    public void The_check_notices_a_wrong_bias_gradient_in_one_layer()
    {
        // A layer whose BP3 is off by 1% in a single bias: the check reports that layer and no other.
        var layout = Engine.Layout([4, 5, 3], HiddenActivation.Tanh, BackpropTask.MulticlassClassification, CostFunction.CrossEntropy);
        var honest = Engine.Network<double>(layout, seed: 9);
        var network = new FeedForwardNetwork<double>([new WrongBiasGradient(honest.Layers[0]), honest.Layers[1]], CostKind.LogLikelihood);
        var (_, inputs, targets, _) = Setup(layout, seed: 9);
        var result = GradientCheck.Run(network, MiniBatch<double>.Of(inputs, targets, [], Rows));
        output.WriteLine($"wrong ∂C/∂b: {string.Join(", ", result.MaxRelativeErrorPerLayer.Select(e => e.ToString("E2")))}");
        Assert.InRange(result.MaxRelativeErrorPerLayer[0], 1e-3, 1e-2);
        Assert.True(result.MaxRelativeErrorPerLayer[1] < 1e-4);
    }

    [Fact]
    public void Backprop_matches_finite_differences_through_a_standardization_layer()
    {
        // A standardization between two dense layers, so that BP2 runs through it (the trainer only puts one first, where
        // backpropagation stops above it), and one in front, as the trainer builds it.
        var random = new Random(21);
        var middle = new StandardizationLayer<double>(5);
        middle.Set([0.3, -0.2, 1.5, 0, 2], [2, 0.5, 1, 3, 0.25]);
        var network = new FeedForwardNetwork<double>([
            new DenseLayer<double>(4, 5, new Tanh<double>()), middle, new DenseLayer<double>(5, 3, new Softmax<double>()),
        ], CostKind.LogLikelihood);
        network.InitializeWeights(random);
        var (_, inputs, targets, scale) = Setup(network.Layout, seed: 21);
        var result = GradientCheck.Run(network, MiniBatch<double>.Of(inputs, targets, scale, Rows), lambda: 1.0, n: 20);
        output.WriteLine($"through a standardization: {string.Join(", ", result.MaxRelativeErrorPerLayer.Select(e => e.ToString("E2")))}");
        Assert.True(result.MaxRelativeError < 1e-4, $"max relative error {result.MaxRelativeError:E2}");
        Assert.Equal(0, network.FirstTrainableLayer);

        var layout = NetworkLayout.FullyConnected([4, 5, 1], [ActivationKind.Relu, ActivationKind.Sigmoid], CostKind.CrossEntropy,
            preparation: new InputPreparation(Standardized: true));
        var front = Engine.Network<double>(layout, seed: 22);
        ((StandardizationLayer<double>)front.Layers[0]).Set([1, -1, 0.5, 0], [0.5, 2, 1, 4]);
        var (_, x, y, s) = Setup(layout, seed: 22);
        var standardized = GradientCheck.Run(front, MiniBatch<double>.Of(x, y, s, Rows));
        Assert.Equal(1, front.FirstTrainableLayer);
        Assert.True(standardized.MaxRelativeError < 1e-4, $"max relative error {standardized.MaxRelativeError:E2}");
        Assert.Equal(front.Parameters.Sum(p => p.Length), standardized.ParametersChecked);
    }

    [Fact]
    public void Backprop_matches_finite_differences_for_a_scaling_layer_between_and_in_front()
    {
        // The diagonal layer's own gradient ∂C/∂sₖ = Σ δₖxₖ in front, and BP2 through it between two dense layers.
        var random = new Random(23);
        ScalingLayer<double> Scaling(int size)
        {
            var layer = new ScalingLayer<double>(size);
            var scales = layer.Parameters[0].Values.Span;
            for (int k = 0; k < size; k++) scales[k] = 0.5 + random.NextDouble();
            return layer;
        }
        var network = new FeedForwardNetwork<double>([
            Scaling(4), new DenseLayer<double>(4, 5, new Selu<double>()), Scaling(5), new DenseLayer<double>(5, 3, new Mish<double>()),
            new DenseLayer<double>(3, 1, new Identity<double>()),
        ], CostKind.Quadratic);
        foreach (var layer in network.Layers.OfType<DenseLayer<double>>()) layer.Initialize(random, WeightInitialization.ScaledGaussian);
        var (_, inputs, targets, scale) = Setup(network.Layout, seed: 23);
        var result = GradientCheck.Run(network, MiniBatch<double>.Of(inputs, targets, scale, Rows), lambda: 2.0, n: 20);
        output.WriteLine($"scaling layers: {string.Join(", ", result.MaxRelativeErrorPerLayer.Select(e => e.ToString("E2")))}");
        Assert.Equal(0, network.FirstTrainableLayer);
        Assert.Equal(network.Parameters.Sum(p => p.Length), result.ParametersChecked);
        Assert.True(result.MaxRelativeError < 1e-4, $"max relative error {result.MaxRelativeError:E2}");
    }

    [Fact]
    public void Relative_error_is_relative_for_large_values_and_absolute_near_zero()
    {
        Assert.True(GradientCheck.RelativeError(0.0101, 0.0100) > 1e-3);
        Assert.True(GradientCheck.RelativeError(-0.5, 0.5) > 0.9);
        Assert.True(GradientCheck.RelativeError(1e-12, 0) < 1e-3); // both zero for practical purposes
    }

    [Fact]
    public void Float_engine_gives_the_double_engines_gradient()
    {
        var (network, inputs, targets, scale) = Setup(
            Engine.Layout([4, 5, 3, 3], HiddenActivation.Sigmoid, BackpropTask.MulticlassClassification, CostFunction.CrossEntropy), seed: 3);
        var single = network.ConvertTo<float>();
        Backpropagation.Run(network, MiniBatch<double>.Of(inputs, targets, scale, Rows), new Workspace<double>(), GradientStore<double>.Gradients);
        Backpropagation.Run(single, MiniBatch<float>.Of(inputs.Select(v => (float)v).ToArray(), targets.Select(v => (float)v).ToArray(),
            scale.Select(v => (float)v).ToArray(), Rows), new Workspace<float>(), GradientStore<float>.Gradients);
        for (int b = 0; b < network.Parameters.Count; b++)
        {
            var inDouble = network.Parameters[b].Gradient.Span;
            var inSingle = single.Parameters[b].Gradient.Span;
            for (int i = 0; i < inDouble.Length; i++)
                Assert.True(Math.Abs(inDouble[i] - inSingle[i]) <= 1e-5 + 1e-4 * Math.Abs(inDouble[i]), $"block {b}, element {i}: {inDouble[i]} vs {inSingle[i]}");
        }
    }

    private const int Rows = 5;

    private static int Outputs(BackpropTask task) => task == BackpropTask.MulticlassClassification ? 3 : 1;

    /// <summary>A network of <paramref name="layout"/> with a batch of random inputs, targets of its task, and example weights.</summary>
    private static (FeedForwardNetwork<double>, double[], double[], double[]) Setup(NetworkLayout layout, int seed)
    {
        // Two hidden layers of odd widths, so that BP2 runs through a hidden-to-hidden layer and the kernels' tails are used.
        var network = Engine.Network<double>(layout, seed);
        var random = new Random(seed);
        int inputs = layout.InputSize, outputs = layout.OutputSize;
        var x = Enumerable.Range(0, Rows * inputs).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var targets = new double[Rows * outputs];
        for (int r = 0; r < Rows; r++)
        {
            if (layout.Output == ActivationKind.Identity)
                targets[r] = random.NextDouble() * 4 - 2;
            else if (outputs == 1)
                targets[r] = random.Next(2);
            else
                targets[r * outputs + random.Next(outputs)] = 1;
        }
        var scale = Enumerable.Range(0, Rows).Select(_ => 0.2 + random.NextDouble() * 2).ToArray();
        return (network, x, targets, scale);
    }

    /// <summary>A sigmoid whose derivative is 1% too large: a bug the check must see.</summary>
    private sealed class SigmoidWithWrongDerivative : Activation<double>
    {
        private readonly Sigmoid<double> _sigmoid = new();
        public override ActivationKind Kind => ActivationKind.Sigmoid;
        public override void Apply(ReadOnlySpan<double> z, Span<double> a, int width) => _sigmoid.Apply(z, a, width);
        public override void MultiplyByDerivative(ReadOnlySpan<double> z, ReadOnlySpan<double> a, Span<double> delta, int width)
        {
            _sigmoid.MultiplyByDerivative(z, a, delta, width);
            for (int i = 0; i < delta.Length; i++) delta[i] *= 1.01;
        }
    }

    /// <summary>A layer that computes everything right but one bias's gradient, which it makes 1% too large.</summary>
    private sealed class WrongBiasGradient(Layer<double> inner) : Layer<double>(inner.InputSize, inner.OutputSize, inner.Activation)
    {
        public override LayerKind Kind => inner.Kind;
        public override IReadOnlyList<Parameter<double>> Parameters => inner.Parameters;
        public override void Initialize(Random random, WeightInitialization kind) => inner.Initialize(random, kind);
        public override void Forward(LayerInput<double> input, int rows, Memory<double> z, Memory<double> a, ParallelGemm<double> products)
            => inner.Forward(input, rows, z, a, products);
        public override void Backward(ReadOnlyMemory<double> delta, ReadOnlyMemory<double> scaledDelta, LayerInput<double> input, int rows,
            Memory<double> inputError, GradientStore<double> store, ParallelGemm<double> products)
        {
            inner.Backward(delta, scaledDelta, input, rows, inputError, store, products);
            Parameters[1].Gradient.Span[2] *= 1.01;
        }
        public override string ToOnnx(OnnxGraphBuilder graph, string input) => inner.ToOnnx(graph, input);
    }
}
