using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace MlNetBackprop.Tests.Trainer;

/// <summary>
/// Models saved by earlier versions keep loading and scoring the same. Fixtures/iris-format-v1.zip was saved by the
/// first version (network format v1, contracts "MlNetBackprop.*.v1"): MapValueToKey, Concatenate, NormalizeMinMax,
/// BackpropTrainer (one hidden layer of 10, 20 epochs, MLContext seed 1) and MapKeyToValue, fitted on all of iris;
/// the expected file holds that model's scores (as float bits) and predicted species for every row, as saved then.
/// Never regenerate these files: add a fixture for each new format version instead.
/// </summary>
public sealed class FormatCompatibilityTests
{
    [Fact]
    public void A_model_saved_in_format_v1_loads_and_scores_as_it_did()
    {
        var ml = new MLContext();
        string fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures");
        var model = ml.Model.Load(Path.Combine(fixtures, "iris-format-v1.zip"), out var inputSchema);
        Assert.NotNull(inputSchema.GetColumnOrNull(nameof(IrisRow.Species)));

        var scored = model.Transform(TestData.IrisRaw(ml));
        var scores = scored.GetColumn<VBuffer<float>>("Score")
            .Select(v => string.Join(",", v.DenseValues().Select(f => BitConverter.SingleToInt32Bits(f).ToString("X8", CultureInfo.InvariantCulture))));
        var actual = scores.Zip(scored.GetColumn<string>("PredictedSpecies"), (s, p) => $"{s} | {p}").ToArray();
        var expected = File.ReadAllLines(Path.Combine(fixtures, "iris-format-v1.expected.txt"));
        Assert.Equal(150, expected.Length);
        Assert.Equal(expected, actual);
        Assert.Equal(new[] { "setosa", "versicolor", "virginica" }, SchemaAssert.SlotNames(scored.Schema["Score"]));
    }
}
