using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace MlNetBackprop.Tests.Trainer;

/// <summary><see cref="BackpropTrainer.Options.StandardizeFeatures"/>: training on centred, scaled features, a model that reads them as they come.</summary>
public sealed class FeatureStandardizationTests
{
    public sealed class Row
    {
        [VectorType(4)] public float[] Features { get; set; } = [];
        public string Species { get; set; } = "";
    }

    [Fact]
    public void Shifting_and_scaling_the_features_leaves_the_predictions_as_they_were()
    {
        // With standardization the network trains on the same numbers whatever affine map the features went through,
        // and the folded first layer undoes the map when scoring: the two models predict alike.
        var ml = new MLContext(seed: 1);
        var raw = ml.Data.CreateEnumerable<IrisRow>(TestData.IrisRaw(ml), reuseRowObject: false).ToList();
        float[] Measurements(IrisRow r) => [r.SepalLength, r.SepalWidth, r.PetalLength, r.PetalWidth];
        var plain = raw.Select(r => new Row { Features = Measurements(r), Species = r.Species }).ToList();
        var shifted = raw.Select(r => new Row { Features = Measurements(r).Select((v, k) => v * (20 + 30 * k) + 1000 * (k + 1)).ToArray(), Species = r.Species }).ToList();

        string[] Predict(List<Row> rows, bool standardize, out double accuracy)
        {
            var data = ml.Data.LoadFromEnumerable(rows);
            var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", nameof(Row.Species))
                .Append(new BackpropTrainer(ml, new BackpropTrainer.Options { Seed = 3, StandardizeFeatures = standardize }))
                .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
            var scored = pipeline.Fit(data).Transform(data);
            accuracy = ml.MulticlassClassification.Evaluate(scored).MicroAccuracy;
            return scored.GetColumn<string>("PredictedLabel").ToArray();
        }

        var a = Predict(plain, standardize: true, out double plainAccuracy);
        var b = Predict(shifted, standardize: true, out double shiftedAccuracy);
        Assert.True(plainAccuracy > 0.9, $"accuracy {plainAccuracy}");
        Assert.True(Math.Abs(plainAccuracy - shiftedAccuracy) < 0.02, $"{plainAccuracy} vs {shiftedAccuracy}");
        Assert.True(a.Zip(b).Count(p => p.First == p.Second) >= 0.97 * a.Length, "the two models disagree on more than 3% of the rows");

        // Without it, features in the thousands train far worse: what the option is for.
        Predict(shifted, standardize: false, out double unstandardizedAccuracy);
        Assert.True(unstandardizedAccuracy < shiftedAccuracy - 0.1, $"{unstandardizedAccuracy} vs {shiftedAccuracy}");
    }

    [Fact]
    public void A_saved_and_loaded_model_scores_the_raw_features_as_the_trained_one_does()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Iris(ml);
        var model = new BackpropTrainer(ml, new BackpropTrainer.Options { Epochs = 10, Seed = 2 }).Fit(data);
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        var loaded = ml.Model.Load(stream, out _);
        var before = model.Transform(data).GetColumn<float[]>("Score").ToArray();
        var after = loaded.Transform(data).GetColumn<float[]>("Score").ToArray();
        Assert.Equal(before, after);
    }
}
