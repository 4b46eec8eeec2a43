using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace MlNetBackprop.Tests.Trainer;

/// <summary><see cref="BackpropTransformer.FromModel"/> on fitted and loaded models, and permutation feature importance through it.</summary>
public sealed class FromModelTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    /// <summary>The README's pipeline on raw iris: the label made a key, the measurements concatenated and normalized, the trainer, the label back as text.</summary>
    private static (ITransformer Model, IDataView Data) IrisPipeline(MLContext ml, BackpropTrainer.Options options)
    {
        var raw = TestData.IrisRaw(ml);
        var model = ml.Transforms.Conversion.MapValueToKey("Label", nameof(IrisRow.Species))
            .Append(ml.Transforms.Concatenate("Features", nameof(IrisRow.SepalLength), nameof(IrisRow.SepalWidth),
                nameof(IrisRow.PetalLength), nameof(IrisRow.PetalWidth)))
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(new BackpropTrainer(ml, options))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(raw);
        return (model, raw);
    }

    private static ITransformer SaveAndLoad(MLContext ml, ITransformer model, DataViewSchema schema)
    {
        using var stream = new MemoryStream();
        ml.Model.Save(model, schema, stream);
        stream.Position = 0;
        return ml.Model.Load(stream, out _);
    }

    [Fact]
    public void A_loaded_model_gives_back_its_network_history_and_summary_and_scores_alike()
    {
        var ml = new MLContext(seed: 1);
        var (model, raw) = IrisPipeline(ml, new BackpropTrainer.Options { HiddenLayerSizes = [6], Epochs = 12 });
        var fitted = BackpropTransformer.FromModel(model);
        Assert.Same(((IEnumerable<ITransformer>)model).OfType<BackpropTransformer>().Single(), fitted);

        var loaded = BackpropTransformer.FromModel(SaveAndLoad(ml, model, raw.Schema));
        Assert.Equal(fitted.Task, loaded.Task);
        Assert.Equal(fitted.FeatureColumnName, loaded.FeatureColumnName);
        Assert.Equal(fitted.FeatureColumnType, loaded.FeatureColumnType);
        Assert.Equal(fitted.Model.LayerSizes, loaded.Model.LayerSizes);
        for (int l = 0; l < fitted.Model.LayerCount; l++)
        {
            Assert.Equal(fitted.Model.GetWeights(l).ToArray(), loaded.Model.GetWeights(l).ToArray());
            Assert.Equal(fitted.Model.GetBiases(l).ToArray(), loaded.Model.GetBiases(l).ToArray());
        }
        Assert.Equal(fitted.History, loaded.History);
        Assert.Equal(fitted.Summary, loaded.Summary);

        // Scoring the features the pipeline makes, in memory and loaded: the same bits.
        var features = ((IEnumerable<ITransformer>)model).Take(3).Aggregate(raw, (data, t) => t.Transform(data));
        Assert.Equal(fitted.Transform(features).GetColumn<float[]>("Score").ToArray(), loaded.Transform(features).GetColumn<float[]>("Score").ToArray());
        Assert.Equal(fitted.GetOutputSchema(features.Schema).Select(c => (c.Name, c.Type)), loaded.GetOutputSchema(features.Schema).Select(c => (c.Name, c.Type)));
    }

    [Fact]
    public void A_loaded_network_continues_training_as_the_in_memory_one_does()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Iris(ml);
        var options = new BackpropTrainer.Options { HiddenLayerSizes = [6], Epochs = 4, EarlyStopping = false, Seed = 3 };
        var first = new BackpropTrainer(ml, options).Fit(data);
        var loaded = BackpropTransformer.FromModel(SaveAndLoad(ml, first, data.Schema));
        var fromMemory = new BackpropTrainer(ml, options).Fit(data, null, first);
        var fromLoaded = new BackpropTrainer(ml, options).Fit(data, null, loaded);
        Assert.Equal(8, fromLoaded.History.Count);
        Assert.Equal(fromMemory.History.Select(h => h.Loss), fromLoaded.History.Select(h => h.Loss));
        for (int l = 0; l < fromMemory.Model.LayerCount; l++)
            Assert.Equal(fromMemory.Model.GetWeights(l).ToArray(), fromLoaded.Model.GetWeights(l).ToArray());
    }

    [Fact]
    public void A_model_without_a_network_or_with_two_is_refused_with_a_reason()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Iris(ml);
        var normalizer = ml.Transforms.NormalizeMinMax("Features").Fit(data);
        Assert.Contains("holds no network", Assert.Throws<InvalidOperationException>(() => BackpropTransformer.FromModel(normalizer)).Message);

        var options = new BackpropTrainer.Options { HiddenLayerSizes = [3], Epochs = 1 };
        var two = new BackpropTrainer(ml, options)
            .Append(ml.Transforms.CopyColumns("FirstScore", "Score"))
            .Append(ml.Transforms.DropColumns("Score", "PredictedLabel"))
            .Append(new BackpropTrainer(ml, options)).Fit(data);
        Assert.Contains("holds 2 networks", Assert.Throws<InvalidOperationException>(() => BackpropTransformer.FromModel(two)).Message);
        Assert.Contains("holds 2 networks", Assert.Throws<InvalidOperationException>(() => BackpropTransformer.FromModel(SaveAndLoad(ml, two, data.Schema))).Message);
    }

    public static TheoryData<string> Tasks() => new() { "multiclass", "binary", "regression" };

    [Theory]
    [MemberData(nameof(Tasks))]
    public void Permutation_feature_importance_ranks_the_features_in_memory_and_after_loading_alike(string task)
    {
        var ml = new MLContext(seed: 1);
        var iris = TestData.Iris(ml);
        // Binary: virginica or not; regression: the petal width from the other three measurements and noise.
        IDataView data = task switch
        {
            "binary" => ml.Transforms.CustomMapping<IrisKey, BinaryLabel>((i, o) => o.IsVirginica = i.Label == 3, null).Fit(iris).Transform(iris),
            "regression" => ml.Transforms.CustomMapping<IrisFeatures, RegressionTarget>((i, o) => o.Width = i.Features[3], null).Fit(iris).Transform(iris),
            _ => iris,
        };
        var options = new BackpropTrainer.Options { HiddenLayerSizes = [8], Seed = 2 };
        BackpropTransformer fitted = task switch
        {
            "binary" => ml.BinaryClassification.Trainers.Backprop(new BackpropTrainer.Options { HiddenLayerSizes = [8], Seed = 2, LabelColumnName = nameof(BinaryLabel.IsVirginica) }).Fit(data),
            "regression" => ml.Regression.Trainers.Backprop(new BackpropTrainer.Options { HiddenLayerSizes = [8], Seed = 2, LabelColumnName = nameof(RegressionTarget.Width) }).Fit(data),
            _ => ml.MulticlassClassification.Trainers.Backprop(options).Fit(data),
        };
        var loaded = BackpropTransformer.FromModel(SaveAndLoad(ml, fitted, data.Schema));

        // PFI draws its permutations from the context's generator: the same seed for both, so that they permute alike.
        double[] Importance(BackpropTransformer model)
        {
            var pfi = new MLContext(seed: 7);
            return task switch
            {
                "binary" => pfi.BinaryClassification.PermutationFeatureImportance(model, data, nameof(BinaryLabel.IsVirginica), permutationCount: 3)
                    .Select(m => m.AreaUnderRocCurve.Mean).ToArray(),
                "regression" => pfi.Regression.PermutationFeatureImportance(model, data, nameof(RegressionTarget.Width), permutationCount: 3)
                    .Select(m => m.RSquared.Mean).ToArray(),
                _ => pfi.MulticlassClassification.PermutationFeatureImportance(model, data, permutationCount: 3)
                    .Select(m => m.MicroAccuracy.Mean).ToArray(),
            };
        }
        var inMemory = Importance(fitted);
        var afterLoading = Importance(loaded);
        output.WriteLine($"{task}: metric change per feature (sepal length, sepal width, petal length, petal width): " +
            string.Join(", ", inMemory.Select(v => v.ToString("F3", System.Globalization.CultureInfo.InvariantCulture))));
        Assert.Equal(4, inMemory.Length);
        Assert.Equal(inMemory, afterLoading);
        // Permuting a petal measurement costs more than permuting a sepal one (for regression, the width is the
        // label and its own feature: permuting it costs the most).
        int mostImportant = Array.IndexOf(inMemory, inMemory.Min());
        Assert.True(mostImportant >= 2, $"the most important feature is {mostImportant}: {string.Join(", ", inMemory)}");
        Assert.True(inMemory.Min() < -0.05, string.Join(", ", inMemory));
    }

    public sealed class IrisKey { public uint Label { get; set; } }

    public sealed class BinaryLabel { public bool IsVirginica { get; set; } }

    public sealed class IrisFeatures { [VectorType(4)] public float[] Features { get; set; } = []; }

    public sealed class RegressionTarget { public float Width { get; set; } }
}
