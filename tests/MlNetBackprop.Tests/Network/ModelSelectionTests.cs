using MlNetBackprop.Network.Training;
using Xunit;

namespace MlNetBackprop.Tests.Network;

/// <summary>The one-standard-error rule that chooses between the plain and the encoded network.</summary>
public sealed class ModelSelectionTests
{
    [Fact]
    public void The_paired_difference_is_the_mean_and_standard_error_of_the_per_example_differences()
    {
        double[] incumbent = [3, 5, 4, 6];
        double[] challenger = [1, 4, 4, 3];   // differences 2, 1, 0, 3: mean 1.5, sample variance 5/3
        var (mean, standardError) = ModelSelection.PairedDifference(incumbent, challenger);
        Assert.Equal(1.5, mean, 12);
        Assert.Equal(Math.Sqrt(5.0 / 3 / 4), standardError, 12);
    }

    [Fact]
    public void A_challenger_lower_on_average_but_within_one_standard_error_does_not_win()
    {
        // Lower by 0.1 on average, but the differences swing by ±2: chance, not a better network.
        double[] incumbent = [2, 0, 2, 0, 2, 0, 2, 0];
        double[] challenger = [0, 1.8, 0, 1.8, 0, 1.8, 0, 1.8];
        Assert.True(challenger.Average() < incumbent.Average());
        Assert.False(ModelSelection.ChallengerWins(incumbent, challenger));
    }

    [Fact]
    public void A_challenger_lower_on_nearly_every_example_wins_and_an_equal_one_does_not()
    {
        var random = new Random(1);
        double[] incumbent = Enumerable.Range(0, 200).Select(_ => 1 + random.NextDouble()).ToArray();
        double[] challenger = incumbent.Select(c => c - 0.05 + 0.02 * (random.NextDouble() - 0.5)).ToArray();
        Assert.True(ModelSelection.ChallengerWins(incumbent, challenger));
        Assert.False(ModelSelection.ChallengerWins(incumbent, incumbent));
        Assert.False(ModelSelection.ChallengerWins(challenger, incumbent));
    }

    [Fact]
    public void Costs_of_different_examples_cannot_be_paired()
        => Assert.Throws<ArgumentException>(() => ModelSelection.PairedDifference([1, 2, 3], [1, 2]));
}
