using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;
using Xunit.Abstractions;

namespace MlNetBackprop.Tests.Trainer;

/// <summary>Save and load through MLContext: same schema, same bits, in this process and in a fresh one.</summary>
public sealed class PersistenceTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mlnetbackprop-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static IEstimator<ITransformer> IrisPipeline(MLContext ml, BackpropTrainer trainer)
        => ml.Transforms.Conversion.MapValueToKey("Label", nameof(IrisRow.Species))
            .Append(ml.Transforms.Concatenate("Features", nameof(IrisRow.SepalLength), nameof(IrisRow.SepalWidth),
                nameof(IrisRow.PetalLength), nameof(IrisRow.PetalWidth)))
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(trainer)
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedSpecies", "PredictedLabel"));

    /// <summary>The quickstart's pipeline fitted on iris and saved; returns the model and the raw data.</summary>
    private (ITransformer Model, IDataView Data) TrainAndSaveIris(MLContext ml, string path)
    {
        var data = TestData.IrisRaw(ml);
        var model = IrisPipeline(ml, new BackpropTrainer(ml, new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, HiddenLayerSizes = [10], Epochs = 20 })).Fit(data);
        ml.Model.Save(model, data.Schema, path);
        return (model, data);
    }

    /// <summary>
    /// A transformed view outlives the transformer that made it (<c>trainer.Fit(data).Transform(test)</c> keeps no
    /// reference to the transformer): the view must still score, with the trained network it holds.
    /// </summary>
    [Fact]
    public void A_transformed_view_scores_after_its_transformer_is_gone()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Iris(ml);
        var scored = ScoredWithoutKeepingTheTransformer(ml, data);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var metrics = ml.MulticlassClassification.Evaluate(scored);
        Assert.True(metrics.MicroAccuracy > 0.8, $"accuracy {metrics.MicroAccuracy}");
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static IDataView ScoredWithoutKeepingTheTransformer(MLContext ml, IDataView data)
        => new BackpropTrainer(ml, new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, HiddenLayerSizes = [8], Epochs = 30, Seed = 2 }).Fit(data).Transform(data);

    [Fact]
    public void The_quickstart_pipeline_reloads_with_identical_bits_and_works_with_the_evaluator()
    {
        var ml = new MLContext(seed: 1);
        string path = Path.Combine(_dir, "iris.zip");
        var (model, data) = TrainAndSaveIris(ml, path);

        var loaded = ml.Model.Load(path, out _);
        var original = model.Transform(data);
        var reloaded = loaded.Transform(data);
        Assert.Equal(ScoreDump.Rows(original, ["Score", "PredictedLabel"]).ToArray(), ScoreDump.Rows(reloaded, ["Score", "PredictedLabel"]).ToArray());
        Assert.Equal(original.GetColumn<string>("PredictedSpecies"), reloaded.GetColumn<string>("PredictedSpecies"));
        Assert.Equal(new[] { "setosa", "versicolor", "virginica" }, SchemaAssert.SlotNames(reloaded.Schema["Score"]));

        var before = ml.MulticlassClassification.Evaluate(original);
        var after = ml.MulticlassClassification.Evaluate(reloaded);
        Assert.Equal(before.MicroAccuracy, after.MicroAccuracy);
        Assert.Equal(before.LogLoss, after.LogLoss);
    }

    [Fact]
    public void A_fresh_process_loads_the_model_and_scores_identical_bits()
    {
        var ml = new MLContext(seed: 1);
        string modelPath = Path.Combine(_dir, "iris.zip"), dataPath = Path.Combine(_dir, "iris.idv"), dumpPath = Path.Combine(_dir, "scores.txt");
        var (model, data) = TrainAndSaveIris(ml, modelPath);
        using (var stream = File.Create(dataPath))
            ml.Data.SaveAsBinary(data, stream);

        string helper = Path.Combine(AppContext.BaseDirectory, "MlNetBackprop.ScoringHelper.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { helper, modelPath, dataPath, dumpPath, "Score", "PredictedLabel" })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"helper failed: {errors}");

        var expected = ScoreDump.Rows(model.Transform(data), ["Score", "PredictedLabel"]).ToArray();
        var actual = File.ReadAllLines(dumpPath);
        Assert.Equal(150, actual.Length);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void PredictionEngine_gives_what_Transform_gives_before_and_after_reload()
    {
        var ml = new MLContext(seed: 1);
        string path = Path.Combine(_dir, "iris.zip");
        var (model, data) = TrainAndSaveIris(ml, path);
        var loaded = ml.Model.Load(path, out _);

        var rows = ml.Data.CreateEnumerable<IrisRow>(data, reuseRowObject: false).ToArray();
        var transformed = TestData.Vectors(model.Transform(data), "Score");
        var engine = ml.Model.CreatePredictionEngine<IrisRow, IrisScore>(model);
        var loadedEngine = ml.Model.CreatePredictionEngine<IrisRow, IrisScore>(loaded);
        for (int i = 0; i < rows.Length; i++)
        {
            Assert.Equal(transformed[i], engine.Predict(rows[i]).Score);
            Assert.Equal(transformed[i], loadedEngine.Predict(rows[i]).Score);
        }
    }

    [Theory]
    [InlineData("binary")]
    [InlineData("regression")]
    public void Binary_and_regression_models_reload_with_identical_bits_and_metrics(string task)
    {
        var ml = new MLContext(seed: 1);
        IDataView data = task == "binary" ? TestData.Xor(ml) : ml.Data.LoadFromEnumerable(TestData.NonLinearRegression(400, seed: 4));
        var model = new BackpropTrainer(ml, new BackpropTrainer.Options
        { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, HiddenLayerSizes = [8], Epochs = task == "binary" ? 300 : 60, LearningRate = task == "binary" ? 2 : null, BatchSize = 4 }).Fit(data);
        string path = Path.Combine(_dir, task + ".zip");
        ml.Model.Save(model, data.Schema, path);
        var loaded = ml.Model.Load(path, out _);
        string[] columns = task == "binary" ? ["Score", "Probability", "PredictedLabel"] : ["Score"];
        Assert.Equal(ScoreDump.Rows(model.Transform(data), columns).ToArray(), ScoreDump.Rows(loaded.Transform(data), columns).ToArray());
        if (task == "binary")
        {
            var (before, after) = (ml.BinaryClassification.Evaluate(model.Transform(data)), ml.BinaryClassification.Evaluate(loaded.Transform(data)));
            output.WriteLine($"XOR: accuracy {before.Accuracy}, log-loss {before.LogLoss:F4}");
            Assert.Equal(1.0, after.Accuracy);
            Assert.Equal(before.LogLoss, after.LogLoss);
        }
        else
        {
            var (before, after) = (ml.Regression.Evaluate(model.Transform(data)), ml.Regression.Evaluate(loaded.Transform(data)));
            output.WriteLine($"regression: R² {before.RSquared:F4}");
            Assert.True(after.RSquared > 0.8, $"R² {after.RSquared}");
            Assert.Equal(before.RootMeanSquaredError, after.RootMeanSquaredError);
        }
    }

    [Fact]
    public void A_loaded_model_scores_the_same_from_many_threads_at_once()
    {
        var ml = new MLContext(seed: 1);
        string path = Path.Combine(_dir, "iris.zip");
        var (_, data) = TrainAndSaveIris(ml, path);
        var loaded = ml.Model.Load(path, out _);
        var rows = ml.Data.CreateEnumerable<IrisRow>(data, reuseRowObject: false).ToArray();
        var expected = TestData.Vectors(loaded.Transform(data), "Score");
        // Eight threads, each with its own PredictionEngine over the one loaded model, and a cursor set over its Transform.
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, t =>
        {
            var engine = ml.Model.CreatePredictionEngine<IrisRow, IrisScore>(loaded);
            for (int round = 0; round < 20; round++)
                for (int i = (t * 7) % rows.Length, n = 0; n < rows.Length; i = (i + 1) % rows.Length, n++)
                    if (!engine.Predict(rows[i]).Score.SequenceEqual(expected[i]))
                        failures.Add($"thread {t}, row {i}");
        });
        Assert.Empty(failures);
        var scored = loaded.Transform(data);
        var cursors = scored.GetRowCursorSet([scored.Schema["Score"]], 4);
        var fromCursors = new System.Collections.Concurrent.ConcurrentBag<float[]>();
        Parallel.ForEach(cursors, cursor =>
        {
            var getter = cursor.GetGetter<VBuffer<float>>(scored.Schema["Score"]);
            VBuffer<float> value = default;
            while (cursor.MoveNext())
            {
                getter(ref value);
                fromCursors.Add(value.DenseValues().ToArray());
            }
            cursor.Dispose();
        });
        Assert.Equal(expected.Length, fromCursors.Count);
        Assert.All(fromCursors, s => Assert.Contains(expected, e => e.SequenceEqual(s)));
    }

    /// <summary>Each size of the scoring chain's class slots (16, 64, 256, 1024) saves and reloads with names and bits.</summary>
    [Theory]
    [InlineData(40)]
    [InlineData(200)]
    [InlineData(1000)]
    public void Many_classes_train_save_and_reload(int classes)
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(1);
        var rows = Enumerable.Range(0, 3 * classes).Select(i =>
        {
            int c = i % classes;
            // Each class is a noisy code of its index in 12 bits.
            var features = Enumerable.Range(0, 12).Select(b => ((c >> (b % 10)) & 1) + (float)(random.NextDouble() * 0.1)).ToArray();
            return new ManyClassRow { Features = features, Class = "class" + c };
        }).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", nameof(ManyClassRow.Class))
            .Append(new BackpropTrainer(ml, new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, HiddenLayerSizes = [32], Epochs = 2 }));
        var model = pipeline.Fit(data);
        string path = Path.Combine(_dir, $"many-{classes}.zip");
        var timer = Stopwatch.StartNew();
        ml.Model.Save(model, data.Schema, path);
        var loaded = ml.Model.Load(path, out _);
        var reloaded = loaded.Transform(data);
        output.WriteLine($"save + load of a {classes}-class model: {timer.ElapsedMilliseconds} ms, zip {new FileInfo(path).Length / 1024} KiB");

        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, classes), reloaded.Schema["Score"].Type);
        Assert.Equal(Enumerable.Range(0, classes).Select(c => "class" + c), SchemaAssert.SlotNames(reloaded.Schema["Score"]));
        Assert.Equal(ScoreDump.Rows(model.Transform(data), ["Score", "PredictedLabel"]).Take(50).ToArray(),
            ScoreDump.Rows(reloaded, ["Score", "PredictedLabel"]).Take(50).ToArray());
        Assert.Equal(ml.MulticlassClassification.Evaluate(model.Transform(data)).LogLoss, ml.MulticlassClassification.Evaluate(reloaded).LogLoss);
    }

    public sealed class IrisScore
    {
        public float[] Score = [];
    }

    public sealed class ManyClassRow
    {
        [VectorType(12)] public float[] Features = [];
        public string Class = "";
    }
}
