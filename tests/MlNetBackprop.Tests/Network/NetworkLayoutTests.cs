using MlNetBackprop.Network;
using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Costs;
using Xunit;

namespace MlNetBackprop.Tests.Network;

/// <summary>A layout is a value: equal sizes, activations and cost make equal layouts, whatever arrays they came from.</summary>
public sealed class NetworkLayoutTests
{
    private static NetworkLayout Layout(int hidden, ActivationKind activation = ActivationKind.Tanh, CostKind cost = CostKind.LogLikelihood)
        => new(new[] { 4, hidden, 3 }, new[] { activation, ActivationKind.Softmax }, cost);

    [Fact]
    public void Layouts_compare_by_value()
    {
        Assert.Equal(Layout(5), Layout(5));
        Assert.Equal(Layout(5).GetHashCode(), Layout(5).GetHashCode());
        Assert.NotEqual(Layout(5), Layout(6));
        Assert.NotEqual(Layout(5), Layout(5, ActivationKind.Relu));
        Assert.NotEqual(Layout(5), Layout(5, cost: CostKind.Quadratic));
        Assert.Equal(NetworkLayout.Uniform([4, 5, 3], ActivationKind.Tanh, ActivationKind.Softmax, CostKind.LogLikelihood), Layout(5));
    }

    [Fact]
    public void A_layout_is_not_changed_through_the_arrays_it_was_made_from()
    {
        var sizes = new[] { 4, 5, 3 };
        var layout = new NetworkLayout(sizes, [ActivationKind.Tanh, ActivationKind.Softmax], CostKind.LogLikelihood);
        sizes[1] = 99;
        Assert.Equal([4, 5, 3], layout.Sizes);
        Assert.Throws<NotSupportedException>(() => ((IList<int>)layout.Sizes)[1] = 99);
    }

    [Fact]
    public void A_layout_the_engine_cannot_build_is_refused_with_the_reason()
    {
        Assert.Contains("at least one neuron", Assert.Throws<ArgumentException>(() => Layout(0)).Message);
        Assert.Contains("as many activations", Assert.Throws<ArgumentException>(
            () => new NetworkLayout([4, 5, 3], [ActivationKind.Softmax], CostKind.LogLikelihood)).Message);
        Assert.Contains("input and an output layer", Assert.Throws<ArgumentException>(
            () => new NetworkLayout([4], [], CostKind.Quadratic)).Message);
    }
}
