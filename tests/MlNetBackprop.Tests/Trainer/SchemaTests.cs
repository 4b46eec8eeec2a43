using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace MlNetBackprop.Tests.Trainer;

/// <summary>Output columns as ML.NET's own trainers give them, and ML.NET's "workout" checks (TestEstimatorCore).</summary>
public sealed class SchemaTests
{
    private static readonly BackpropTrainer.Options Quick = new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, HiddenLayerSizes = [8], Epochs = 3 };

    [Fact]
    public void Multiclass_gives_class_probabilities_named_after_the_classes_and_a_key_PredictedLabel()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Iris(ml);
        var scored = new BackpropTrainer(ml, Quick).Fit(data).Transform(data);

        var score = scored.Schema["Score"];
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 3), score.Type);
        Assert.Equal(new[] { "setosa", "versicolor", "virginica" }, SchemaAssert.SlotNames(score));
        var predicted = scored.Schema["PredictedLabel"];
        Assert.Equal(new KeyDataViewType(typeof(uint), 3), predicted.Type);
        Assert.Equal(SchemaAssert.KeyValues(data.Schema["Label"]), SchemaAssert.KeyValues(predicted));
        // Nothing else is added: the scoring chain's working columns are gone, visible or hidden.
        Assert.Equal(data.Schema.Select(c => c.Name).Concat(["Score", "PredictedLabel"]), scored.Schema.Select(c => c.Name));
        foreach (var probabilities in TestData.Vectors(scored, "Score"))
            Assert.Equal(1.0, probabilities.Sum(), 5);
    }

    [Fact]
    public void Binary_gives_Score_Probability_and_a_Boolean_PredictedLabel()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Xor(ml);
        var scored = new BackpropTrainer(ml, Quick).Fit(data).Transform(data);
        Assert.Equal(NumberDataViewType.Single, scored.Schema["Score"].Type);
        Assert.Equal(NumberDataViewType.Single, scored.Schema["Probability"].Type);
        Assert.Equal(BooleanDataViewType.Instance, scored.Schema["PredictedLabel"].Type);
        Assert.Equal(data.Schema.Select(c => c.Name).Concat(["Score", "Probability", "PredictedLabel"]), scored.Schema.Select(c => c.Name));
        var scores = scored.GetColumn<float>("Score").ToArray();
        var probabilities = scored.GetColumn<float>("Probability").ToArray();
        var labels = scored.GetColumn<bool>("PredictedLabel").ToArray();
        for (int i = 0; i < scores.Length; i++)
        {
            Assert.Equal(1 / (1 + Math.Exp(-scores[i])), probabilities[i], 5);
            Assert.Equal(scores[i] > 0, labels[i]);
        }
    }

    [Fact]
    public void Regression_gives_a_Single_Score()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(TestData.NonLinearRegression(100, seed: 1));
        var scored = new BackpropTrainer(ml, Quick).Fit(data).Transform(data);
        Assert.Equal(NumberDataViewType.Single, scored.Schema["Score"].Type);
        Assert.Equal(data.Schema.Select(c => c.Name).Append("Score"), scored.Schema.Select(c => c.Name));
    }

    public static TheoryData<string> Tasks() => new() { "multiclass", "binary", "regression" };

    /// <summary>ML.NET's TestEstimatorCore, step by step, for each task.</summary>
    [Theory]
    [MemberData(nameof(Tasks))]
    public void Workout(string task)
    {
        var ml = new MLContext(seed: 1);
        IDataView data = task switch
        {
            "multiclass" => TestData.Iris(ml),
            "binary" => TestData.Xor(ml),
            _ => ml.Data.LoadFromEnumerable(TestData.NonLinearRegression(100, seed: 1)),
        };
        var invalid = ml.Data.LoadFromEnumerable(new[] { new TextFeatures { Features = "a", Label = 1 } });
        var estimator = new BackpropTrainer(ml, Quick);

        var promised = estimator.GetOutputSchema(TestData.ShapeOf(data.Schema));
        MustFail(() => estimator.GetOutputSchema(TestData.ShapeOf(invalid.Schema)));
        MustFail(() => estimator.Fit(invalid));

        var transformer = estimator.Fit(data);
        string path = Path.Combine(Path.GetTempPath(), $"workout-{task}-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(transformer, data.Schema, path);
            var loaded = ml.Model.Load(path, out var loadedInputSchema);

            var schema = transformer.GetOutputSchema(data.Schema);
            Assert.True(transformer.IsRowToRowMapper);
            var mapper = transformer.GetRowToRowMapper(data.Schema);
            Assert.Same(data.Schema, mapper.InputSchema);
            SchemaAssert.Same(schema, mapper.OutputSchema);
            SchemaAssert.Same(schema, loaded.GetOutputSchema(data.Schema));
            SchemaAssert.Same(data.Schema, loadedInputSchema);

            var scored = transformer.Transform(data);
            var scored2 = loaded.Transform(data);
            SchemaAssert.Same(schema, scored.Schema);
            SchemaAssert.Same(scored.Schema, scored2.Schema);
            Assert.Equal(Dump(scored), Dump(scored2));

            MustFail(() => transformer.GetOutputSchema(invalid.Schema));
            MustFail(() => transformer.Transform(invalid));
            MustFail(() => loaded.GetOutputSchema(invalid.Schema));
            MustFail(() => loaded.Transform(invalid));

            SchemaAssert.Delivers(promised, schema);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string[] Dump(IDataView scored)
        => ScoreDump.Rows(scored, scored.Schema.Where(c => c.Name is "Score" or "Probability" or "PredictedLabel" && !c.IsHidden)
            .Select(c => c.Name).ToArray()).ToArray();

    /// <summary>What TestEstimatorCore accepts as a failure: ArgumentOutOfRangeException or InvalidOperationException.</summary>
    private static void MustFail(Action action)
    {
        var e = Record.Exception(action);
        Assert.NotNull(e);
        while (e is System.Reflection.TargetInvocationException { InnerException: not null }) e = e.InnerException;
        Assert.True(e is ArgumentOutOfRangeException or InvalidOperationException, $"{e.GetType().Name}: {e.Message}");
    }

    public sealed class TextFeatures
    {
        public string Features = "";
        public float Label;
    }
}
