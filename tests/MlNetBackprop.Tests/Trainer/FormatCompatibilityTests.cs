using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace MlNetBackprop.Tests.Trainer;

/// <summary>
/// Saved models keep loading and scoring the same. Each fixture in Fixtures/ was saved in storage format 1 (the one
/// frozen for the first release), with the scores it gave then in the matching .expected.txt (floats as bit patterns),
/// by <c>MlNetBackprop.ScoringHelper write-fixtures</c>:
/// <list type="bullet">
/// <item>iris-multiclass: MapValueToKey, Concatenate, NormalizeMinMax, BackpropTrainer (hidden layers of 10 Tanh and 6
/// LeakyRelu, sigmoid outputs, standardized features, the training state kept), MapKeyToValue, on all of iris;</item>
/// <item>iris-binary: virginica or not, one hidden layer of 8;</item>
/// <item>iris-regression: the petal width in its own units (the stored label standardisation).</item>
/// </list>
/// After the first release, never regenerate these files: add fixtures for a new format version instead.
/// </summary>
public sealed class FormatCompatibilityTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    [Theory]
    [InlineData("iris-multiclass", new[] { "Score", "PredictedSpecies" })]
    [InlineData("iris-binary", new[] { "Score", "Probability", "PredictedLabel" })]
    [InlineData("iris-regression", new[] { "Score" })]
    public void A_saved_model_loads_and_scores_as_it_did(string fixture, string[] columns)
    {
        var ml = new MLContext();
        var model = ml.Model.Load(Fixture(fixture + ".zip"), out var inputSchema);
        Assert.NotNull(inputSchema.GetColumnOrNull("PetalWidth"));
        var scored = model.Transform(TestData.IrisRaw(ml));
        var expected = File.ReadAllLines(Fixture(fixture + ".expected.txt"));
        Assert.Equal(150, expected.Length);
        Assert.Equal(expected, ScoreDump.Rows(scored, columns).ToArray());
    }

    [Fact]
    public void The_multiclass_fixture_gives_back_its_network_record_and_training_state()
    {
        var ml = new MLContext();
        var model = ml.Model.Load(Fixture("iris-multiclass.zip"), out _);
        var network = BackpropTransformer.FromModel(model);
        Assert.Equal(40, network.History.Count);
        Assert.Equal([4, 10, 6, 3], network.Model.LayerSizes);
        Assert.Equal(4, network.Model.FeatureMeans.Length);
        Assert.NotNull(network.ResumeState);
        Assert.Equal(["setosa", "versicolor", "virginica"], SchemaAssert.SlotNames(model.Transform(TestData.IrisRaw(ml)).Schema["Score"]));
        Assert.InRange(ml.Model.Load(Fixture("iris-regression.zip"), out _).Transform(TestData.IrisRaw(ml)).GetColumn<float>("Score").Average(), 0.9, 1.5);
    }
}
