using MlNetBackprop.Network;
using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Costs;
using MlNetBackprop.Network.Layers;
using Xunit;

namespace MlNetBackprop.Tests.Network;

/// <summary>A layout is a value: equal layers and cost make equal layouts, whatever arrays they came from.</summary>
public sealed class NetworkLayoutTests
{
    private static NetworkLayout Layout(int hidden, ActivationKind activation = ActivationKind.Tanh, CostKind cost = CostKind.LogLikelihood,
        bool standardized = false)
        => NetworkLayout.FullyConnected(new[] { 4, hidden, 3 }, new[] { activation, ActivationKind.Softmax }, cost,
            preparation: new InputPreparation(Standardized: standardized));

    [Fact]
    public void Layouts_compare_by_value()
    {
        Assert.Equal(Layout(5), Layout(5));
        Assert.Equal(Layout(5).GetHashCode(), Layout(5).GetHashCode());
        Assert.NotEqual(Layout(5), Layout(6));
        Assert.NotEqual(Layout(5), Layout(5, ActivationKind.Relu));
        Assert.NotEqual(Layout(5), Layout(5, cost: CostKind.Quadratic));
        Assert.NotEqual(Layout(5), Layout(5, standardized: true));
        Assert.Equal(NetworkLayout.Uniform([4, 5, 3], ActivationKind.Tanh, ActivationKind.Softmax, CostKind.LogLikelihood), Layout(5));
        Assert.True(Layout(5).SameShape(Layout(5).WithSparseInput(true)));
        Assert.Equal("4-5-3 (standardized input; Tanh; Softmax output, LogLikelihood cost)", Layout(5, standardized: true).ToString());
    }

    [Fact]
    public void A_layout_is_not_changed_through_the_arrays_it_was_made_from()
    {
        var sizes = new[] { 4, 5, 3 };
        var layout = NetworkLayout.FullyConnected(sizes, [ActivationKind.Tanh, ActivationKind.Softmax], CostKind.LogLikelihood);
        sizes[1] = 99;
        Assert.Equal([4, 5, 3], layout.Sizes);
        Assert.Throws<NotSupportedException>(() => ((IList<int>)layout.Sizes)[1] = 99);
    }

    [Fact]
    public void A_layout_the_engine_cannot_build_is_refused_with_the_reason()
    {
        Assert.Contains("both need at least 1", Assert.Throws<ArgumentException>(() => Layout(0)).Message);
        Assert.Contains("activations", Assert.Throws<ArgumentException>(
            () => NetworkLayout.FullyConnected([4, 5, 3], [ActivationKind.Softmax], CostKind.LogLikelihood)).Message);
        Assert.Contains("at least an output layer", Assert.Throws<ArgumentException>(() => new NetworkLayout([], CostKind.Quadratic)).Message);
        Assert.Contains("takes 6 inputs", Assert.Throws<ArgumentException>(() => new NetworkLayout([
            new LayerShape(LayerKind.Dense, 4, 5, ActivationKind.Relu), new LayerShape(LayerKind.Dense, 6, 1, ActivationKind.Identity)], CostKind.Quadratic)).Message);
        Assert.Contains("only the first layer", Assert.Throws<ArgumentException>(() => new NetworkLayout([
            new LayerShape(LayerKind.Dense, 4, 5, ActivationKind.Relu), new LayerShape(LayerKind.SparseInput, 5, 1, ActivationKind.Identity)], CostKind.Quadratic)).Message);
        Assert.Contains("one output", Assert.Throws<ArgumentException>(() => new NetworkLayout([
            new LayerShape(LayerKind.Standardization, 4, 5, ActivationKind.Identity), new LayerShape(LayerKind.Dense, 5, 1, ActivationKind.Identity)], CostKind.Quadratic)).Message);
        Assert.Contains("more than", Assert.Throws<ArgumentException>(() => NetworkLayout.FullyConnected(
            [100_000, 100_000, 1], [ActivationKind.Relu, ActivationKind.Identity], CostKind.Quadratic)).Message);
    }
}
