using MlNetBackprop.Network;
using MlNetBackprop.Network.Inputs;
using MlNetBackprop.Network.Training;
using Xunit;

namespace MlNetBackprop.Tests.Network;

/// <summary>Standardized inputs during training, folded into the first layer afterwards.</summary>
public sealed class InputStandardizationTests
{
    private const int Rows = 40, Inputs = 5;

    [Fact]
    public void Standardized_rows_have_mean_zero_and_variance_one_and_a_constant_input_stays_finite()
    {
        var set = Set(seed: 1);
        var standardization = InputStandardization.Of(set);
        standardization.Apply(set);
        var x = set.StoredDenseInputs().ToArray();
        for (int k = 0; k < Inputs; k++)
        {
            var column = Enumerable.Range(0, Rows).Select(r => (double)x[r * Inputs + k]).ToArray();
            double mean = column.Average(), variance = column.Select(v => (v - mean) * (v - mean)).Average();
            Assert.True(Math.Abs(mean) < 1e-4, $"input {k}: mean {mean}");
            // Input 4 never varies: it is centred, not blown up.
            Assert.True(k == 4 ? variance == 0 : Math.Abs(variance - 1) < 1e-4, $"input {k}: variance {variance}");
        }
    }

    [Fact]
    public void The_folded_network_reads_raw_rows_as_the_trained_one_read_standardized_rows()
    {
        var raw = Set(seed: 2);
        var standardized = Set(seed: 2);
        var standardization = InputStandardization.Of(standardized);
        standardization.Apply(standardized);
        var layout = Engine.Layout([Inputs, 7, 3], HiddenActivation.Tanh, BackpropTask.MulticlassClassification, CostFunction.CrossEntropy);
        var network = Engine.Network<float>(layout, seed: 3);
        var onStandardized = Outputs(network, standardized);
        standardization.FoldInto(network);
        var onRaw = Outputs(network, raw);
        for (int i = 0; i < onRaw.Length; i++)
            Assert.True(Math.Abs(onRaw[i] - onStandardized[i]) <= 1e-4, $"output {i}: {onRaw[i]} vs {onStandardized[i]}");

        // Unfolding gives back the network that reads standardized rows (what a warm start continues).
        standardization.UnfoldFrom(network);
        var again = Outputs(network, standardized);
        for (int i = 0; i < again.Length; i++)
            Assert.True(Math.Abs(again[i] - onStandardized[i]) <= 1e-4, $"output {i}: {again[i]} vs {onStandardized[i]}");
    }

    [Fact]
    public void A_split_is_standardized_once_through_its_shared_rows()
    {
        var set = Set(seed: 4);
        var (train, validation) = set.Split(0.25, seed: 5);
        Assert.True(train.SharesInputsWith(validation));
        var standardization = InputStandardization.Of(train);
        standardization.Apply(train);
        var row = new float[Inputs];
        validation.CopyInputsTo(0, row);
        Assert.All(row.Take(4), v => Assert.InRange(v, -5f, 5f)); // the raw inputs are in the hundreds
    }

    private static float[] Outputs(FeedForwardNetwork<float> network, TrainingSet<float> set)
    {
        var workspace = new Workspace<float>(null);
        workspace.EnsureFits(network, Rows);
        network.FeedForward(set.StoredDenseInputs(), Rows, workspace);
        return workspace.Output(Rows).ToArray();
    }

    /// <summary>Rows far from zero and of different spreads, as uncentred features are; the last input is constant.</summary>
    private static TrainingSet<float> Set(int seed)
    {
        var random = new Random(seed);
        var x = new float[Rows * Inputs];
        for (int r = 0; r < Rows; r++)
            for (int k = 0; k < Inputs; k++)
                x[r * Inputs + k] = k == 4 ? 7f : (float)(100 * (k + 1) + (k + 1) * 10 * random.NextDouble());
        var classes = Enumerable.Range(0, Rows).Select(r => r % 3).ToArray();
        return TrainingSet<float>.ForClasses(x, Rows, Inputs, classes, 3);
    }
}
