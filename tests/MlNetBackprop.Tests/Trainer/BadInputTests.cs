using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace MlNetBackprop.Tests.Trainer;

/// <summary>Bad input gets a clear error that names the column, row, option or value, in ML.NET's conventions.</summary>
public sealed class BadInputTests
{
    private static readonly BackpropTrainer.Options Quick = new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, HiddenLayerSizes = [4], Epochs = 2 };

    [Fact]
    public void A_missing_feature_column_is_named_in_GetOutputSchema_and_Fit()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Iris(ml);
        var trainer = new BackpropTrainer(ml, new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, Epochs = 100, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, FeatureColumnName = "Pixels" });
        var fit = Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(data));
        Assert.Contains("Could not find feature column 'Pixels'", fit.Message);
        var shape = Assert.Throws<ArgumentOutOfRangeException>(() => trainer.GetOutputSchema(TestData.ShapeOf(data.Schema)));
        Assert.Contains("Could not find feature column 'Pixels'", shape.Message);
    }

    [Fact]
    public void Text_features_are_a_schema_mismatch_in_MLNETs_words()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new TextFeatureRow { Features = "big", Label = true } });
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new BackpropTrainer(ml).Fit(data));
        Assert.Contains("Schema mismatch for feature column 'Features': expected known-size vector of Single, got String", e.Message);
    }

    [Fact]
    public void An_unsupported_label_type_says_what_is_expected()
    {
        var ml = new MLContext(seed: 1);
        var raw = TestData.IrisRaw(ml);
        var data = ml.Transforms.Concatenate("Features", nameof(IrisRow.SepalLength), nameof(IrisRow.PetalLength)).Fit(raw).Transform(raw);
        var plain = Assert.Throws<ArgumentOutOfRangeException>(() => new BackpropTrainer(new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, Epochs = 100, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, LabelColumnName = "Species" }).Fit(data));
        Assert.Contains("Schema mismatch for label column 'Species'", plain.Message);
        Assert.Contains("got String", plain.Message);

        var floatLabel = ml.Transforms.CopyColumns("Label", nameof(IrisRow.PetalWidth)).Fit(data).Transform(data);
        var multiclass = Assert.Throws<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.Backprop().Fit(floatLabel));
        Assert.Contains("Schema mismatch for label column 'Label': expected key type (map the label with MapValueToKey), got Single", multiclass.Message);
    }

    [Fact]
    public void Empty_training_data_is_refused()
    {
        var ml = new MLContext(seed: 1);
        var empty = ml.Data.LoadFromEnumerable(Array.Empty<XorRow>());
        var e = Assert.Throws<InvalidOperationException>(() => new BackpropTrainer(ml, Quick).Fit(empty));
        Assert.Contains("no rows", e.Message);
    }

    [Fact]
    public void A_label_with_one_class_is_refused_naming_the_class()
    {
        var ml = new MLContext(seed: 1);
        // Keys fitted on all of iris, rows of setosa only (its petals are the only ones shorter than 2 cm).
        var setosa = ml.Data.FilterRowsByColumn(TestData.Iris(ml), nameof(IrisRow.PetalLength), upperBound: 2);
        var e = Assert.Throws<InvalidOperationException>(() => new BackpropTrainer(ml, Quick).Fit(setosa));
        Assert.Contains("only one class ('setosa')", e.Message);

        var allTrue = ml.Data.LoadFromEnumerable(new[] { new XorRow { Features = [0, 1], Label = true }, new XorRow { Features = [1, 0], Label = true } });
        Assert.Contains("only one class ('true')", Assert.Throws<InvalidOperationException>(() => new BackpropTrainer(ml, Quick).Fit(allTrue)).Message);
    }

    public static TheoryData<string, Action<BackpropTrainer.Options>> InvalidOptions() => new()
    {
        { nameof(BackpropTrainer.Options.HiddenLayerSizes), o => o.HiddenLayerSizes = [10, 0] },
        { nameof(BackpropTrainer.Options.LearningRate), o => o.LearningRate = -0.1 },
        { nameof(BackpropTrainer.Options.LearningRate), o => o.LearningRate = double.NaN },
        { nameof(BackpropTrainer.Options.BatchSize), o => o.BatchSize = 0 },
        { nameof(BackpropTrainer.Options.Epochs), o => o.Epochs = 0 },
        { nameof(BackpropTrainer.Options.L2Regularization), o => o.L2Regularization = -1 },
        { nameof(BackpropTrainer.Options.FeatureColumnName), o => o.FeatureColumnName = "" },
        { nameof(BackpropTrainer.Options.Activation), o => o.Activation = (HiddenActivation)42 },
        { nameof(BackpropTrainer.Options.HiddenLayerActivations), o => o.HiddenLayerActivations = [HiddenActivation.Relu, HiddenActivation.Tanh] }, // two for one hidden layer
        { nameof(BackpropTrainer.Options.HiddenLayerActivations), o => o.HiddenLayerActivations = [(HiddenActivation)42] },
        { nameof(BackpropTrainer.Options.MulticlassOutput), o => o.MulticlassOutput = (MulticlassOutput)7 },
        { nameof(BackpropTrainer.Options.Cost), o => o.Cost = (CostFunction)5 },
        { nameof(BackpropTrainer.Options.Solver), o => o.Solver = (Solver)5 },
        { nameof(BackpropTrainer.Options.LearningRateSchedule), o => o.LearningRateSchedule = (LearningRateSchedule)5 },
        { nameof(BackpropTrainer.Options.WeightInitialization), o => o.WeightInitialization = (WeightInitialization)5 },
        { nameof(BackpropTrainer.Options.NumberOfThreads), o => o.NumberOfThreads = 0 },
        { nameof(BackpropTrainer.Options.NesterovMomentum), o => o.NesterovMomentum = true },
        { nameof(BackpropTrainer.Options.Momentum), o => { o.Solver = Solver.Adam; o.Momentum = 0.9; } },
        { nameof(BackpropTrainer.Options.Momentum), o => o.Momentum = 1 },
        { nameof(BackpropTrainer.Options.Beta2), o => o.Beta2 = 1 },
        { nameof(BackpropTrainer.Options.Epsilon), o => o.Epsilon = 0 },
        { nameof(BackpropTrainer.Options.PowerT), o => o.PowerT = -1 },
        { nameof(BackpropTrainer.Options.ValidationFraction), o => o.ValidationFraction = 0 },
        { nameof(BackpropTrainer.Options.IterationsWithoutImprovement), o => o.IterationsWithoutImprovement = 0 },
        { nameof(BackpropTrainer.Options.Tolerance), o => o.Tolerance = double.NaN },
        { nameof(BackpropTrainer.Options.DropoutRate), o => o.DropoutRate = 1 },
        { nameof(BackpropTrainer.Options.ClassWeights), o => { o.ClassWeights = [1, 2]; o.ClassWeighting = ClassWeighting.Balanced; } },
        { nameof(BackpropTrainer.Options.ClassWeights), o => o.ClassWeights = [0, 0] },
        { nameof(BackpropTrainer.Options.ClassWeighting), o => { o.Task = BackpropTask.Regression; o.ClassWeighting = ClassWeighting.Balanced; } },
        { nameof(BackpropTrainer.Options.Cost), o => { o.Task = BackpropTask.Regression; o.Cost = CostFunction.CrossEntropy; } },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Invalid_options_are_refused_naming_the_option(string option, Action<BackpropTrainer.Options> spoil)
    {
        var options = new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, Epochs = 100, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false };
        spoil(options);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new BackpropTrainer(options));
        Assert.Equal(option, e.ParamName);
        Assert.Contains(option, e.Message);
    }

    [Fact]
    public void The_cross_entropy_cost_on_a_regression_label_is_refused_naming_the_option()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(TestData.NonLinearRegression(20, seed: 1));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new BackpropTrainer(ml, new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, Epochs = 100, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, Cost = CostFunction.CrossEntropy }).Fit(data));
        Assert.Equal(nameof(BackpropTrainer.Options.Cost), e.ParamName);
        Assert.Contains("not defined for regression", e.Message);
    }

    [Fact]
    public void Scoring_data_with_another_feature_size_is_refused_in_memory_and_after_reload()
    {
        var ml = new MLContext(seed: 1);
        var model = new BackpropTrainer(ml, Quick).Fit(TestData.Xor(ml));
        var wider = ml.Data.LoadFromEnumerable(new[] { new WideRow { Features = [0, 1, 0], Label = true } });
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.Transform(wider));
        Assert.Contains("feature column 'Features'", e.Message);
        Assert.Contains("size 2", e.Message);
        Assert.Contains("Vector<Single, 3>", e.Message);

        string path = Path.Combine(Path.GetTempPath(), $"wrong-size-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, TestData.Xor(ml).Schema, path);
            var loaded = ml.Model.Load(path, out _);
            var scored = loaded.Transform(wider);
            var reloaded = Record.Exception(() => scored.GetColumn<float>("Score").ToArray());
            Assert.IsType<InvalidOperationException>(reloaded);
            // ML.NET's cursor wraps what the mapping threw; our message is in the chain of inner exceptions.
            var messages = new List<string>();
            for (var e2 = reloaded; e2 is not null; e2 = e2.InnerException) messages.Add(e2.Message);
            Assert.Contains(messages, m => m.Contains("trained on feature vectors of 2 values, but this row has 3"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Rows_with_NaN_features_or_missing_labels_are_skipped_and_counted_in_the_log()
    {
        var ml = new MLContext(seed: 1);
        var messages = new List<string>();
        ml.Log += (_, e) => { lock (messages) messages.Add(e.RawMessage); };
        var rows = new List<FloatLabelRow>
        {
            new() { Features = [float.NaN, 1], Label = 1 },
            new() { Features = [float.PositiveInfinity, 1], Label = 1 },
            new() { Features = [1, 1], Label = float.NaN },
        };
        rows.AddRange(Enumerable.Range(0, 20).Select(i => new FloatLabelRow { Features = [i / 20f, 1 - i / 20f], Label = i }));
        var model = new BackpropTrainer(ml, Quick).Fit(ml.Data.LoadFromEnumerable(rows));
        Assert.Contains(messages, m => m.Contains("Skipped 3 of 23 rows: 2 with NaN or infinite features, 1 with a missing label"));
        Assert.Contains(messages, m => m.Contains("on 20 rows"));
        Assert.Equal(2, model.History.Count);
    }

    [Fact]
    public void Divergence_stops_training_and_says_to_lower_the_learning_rate()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(TestData.NonLinearRegression(200, seed: 1));
        var trainer = new BackpropTrainer(ml, new BackpropTrainer.Options { Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, LearningRate = 1e6, Activation = HiddenActivation.Relu, Epochs = 5 });
        var e = Assert.Throws<InvalidOperationException>(() => trainer.Fit(data));
        Assert.Contains("diverged in epoch 1", e.Message);
        Assert.Contains("the cost of a mini-batch became", e.Message); // what stopped being finite, and not more
        Assert.Contains("Lower the LearningRate", e.Message);
        Assert.Contains("normalize the features", e.Message);
    }

    [Fact]
    public void A_cancelled_token_stops_training_promptly()
    {
        var ml = new MLContext(seed: 1);
        using var cancel = new CancellationTokenSource();
        int epochsLogged = 0;
        ml.Log += (_, e) =>
        {
            if (e.RawMessage.StartsWith("Epoch ") && Interlocked.Increment(ref epochsLogged) == 2)
                cancel.Cancel();
        };
        var trainer = new BackpropTrainer(ml, new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, Epochs = 1000, CancellationToken = cancel.Token });
        Assert.ThrowsAny<OperationCanceledException>(() => trainer.Fit(TestData.Iris(ml)));
        Assert.Equal(2, epochsLogged); // stopped within the third epoch, long before the thousandth

        using var already = new CancellationTokenSource();
        already.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new BackpropTrainer(ml, new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, Epochs = 100, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, CancellationToken = already.Token }).Fit(TestData.Iris(ml)));
    }

    [Fact]
    public void A_class_named_like_an_input_column_is_no_longer_a_problem()
    {
        // Once refused: Score's slots were named by columns of the classes' names, which hid the input's. They are not now.
        var ml = new MLContext(seed: 1);
        var rows = new[] { new NamedClassRow { Features = [0, 1], Class = "Features" }, new NamedClassRow { Features = [1, 0], Class = "other" } };
        var data = ml.Transforms.Conversion.MapValueToKey("Label", nameof(NamedClassRow.Class)).Fit(ml.Data.LoadFromEnumerable(rows))
            .Transform(ml.Data.LoadFromEnumerable(rows));
        var scored = new BackpropTrainer(ml, Quick).Fit(data).Transform(data);
        Assert.Equal(["Features", "other"], SchemaAssert.SlotNames(scored.Schema["Score"]));
        Assert.Equal(rows.Select(r => r.Features), scored.GetColumn<float[]>("Features"));
    }

    public sealed class TextFeatureRow
    {
        public string Features = "";
        public bool Label;
    }

    public sealed class WideRow
    {
        [VectorType(3)] public float[] Features = [];
        public bool Label;
    }

    public sealed class FloatLabelRow
    {
        [VectorType(2)] public float[] Features = [];
        public float Label;
    }

    public sealed class NamedClassRow
    {
        [VectorType(2)] public float[] Features = [];
        public string Class = "";
    }
}
