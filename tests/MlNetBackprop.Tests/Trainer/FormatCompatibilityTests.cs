using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace MlNetBackprop.Tests.Trainer;

/// <summary>
/// Models saved by earlier versions keep loading and scoring the same. Each fixture in Fixtures/ was saved by the version
/// that introduced its network format, with the scores it gave then (as float bits) in the matching .expected.txt:
/// <list type="bullet">
/// <item>iris-format-v1: the first version (format v1, contracts "MlNetBackprop.*.v1"): MapValueToKey, Concatenate,
/// NormalizeMinMax, BackpropTrainer (one hidden layer of 10, 20 epochs, MLContext seed 1) and MapKeyToValue on all of iris;</item>
/// <item>iris-format-v2: format v2, per-layer activations (Tanh, LeakyRelu) and sigmoid outputs, the same pipeline;</item>
/// <item>iris-regression-format-v2: format v2, regression of petal width in its own units (the stored standardisation).</item>
/// </list>
/// Never regenerate these files: add a fixture for each new format version instead.
/// </summary>
public sealed class FormatCompatibilityTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    private static string Bits(float f) => BitConverter.SingleToInt32Bits(f).ToString("X8", CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("iris-format-v1")]
    [InlineData("iris-format-v2")]
    public void A_saved_multiclass_model_loads_and_scores_as_it_did(string fixture)
    {
        var ml = new MLContext();
        var model = ml.Model.Load(Fixture(fixture + ".zip"), out var inputSchema);
        Assert.NotNull(inputSchema.GetColumnOrNull(nameof(IrisRow.Species)));

        var scored = model.Transform(TestData.IrisRaw(ml));
        var scores = scored.GetColumn<VBuffer<float>>("Score").Select(v => string.Join(",", v.DenseValues().Select(Bits)));
        var actual = scores.Zip(scored.GetColumn<string>("PredictedSpecies"), (s, p) => $"{s} | {p}").ToArray();
        var expected = File.ReadAllLines(Fixture(fixture + ".expected.txt"));
        Assert.Equal(150, expected.Length);
        Assert.Equal(expected, actual);
        Assert.Equal(["setosa", "versicolor", "virginica"], SchemaAssert.SlotNames(scored.Schema["Score"]));
    }

    [Fact]
    public void A_saved_regression_model_of_format_v2_predicts_in_the_labels_units_as_it_did()
    {
        var ml = new MLContext();
        var model = ml.Model.Load(Fixture("iris-regression-format-v2.zip"), out _);
        var actual = model.Transform(TestData.IrisRaw(ml)).GetColumn<float>("Score").Select(Bits).ToArray();
        Assert.Equal(File.ReadAllLines(Fixture("iris-regression-format-v2.expected.txt")), actual);
        // Petal widths are 0.1 to 2.5 cm: the stored standardisation maps the network's output back to centimetres.
        Assert.InRange(model.Transform(TestData.IrisRaw(ml)).GetColumn<float>("Score").Average(), 0.9, 1.5);
    }
}
