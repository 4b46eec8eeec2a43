using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit;
using Xunit.Abstractions;

namespace MlNetBackprop.Tests.Trainer;

/// <summary>Multi-output regression and multi-label classification, end to end: training, outputs, saving, loading, export, evaluation.</summary>
public sealed class MultiOutputTests(ITestOutputHelper log) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mlnetbackprop-multi").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Three targets of very different units that share the features' structure.</summary>
    internal static List<TargetsRow> Targets(int rows, int seed, double missing = 0)
    {
        var random = new Random(seed);
        var list = new List<TargetsRow>(rows);
        for (int i = 0; i < rows; i++)
        {
            var x = new float[5];
            for (int j = 0; j < x.Length; j++) x[j] = (float)(random.NextDouble() * 2 - 1);
            double shared = Math.Sin(3 * x[0]) + x[1] * x[1];
            float Noise(double scale) => (float)(scale * (random.NextDouble() - 0.5));
            var row = new TargetsRow
            {
                Features = x,
                Fare = (float)(1000 + 300 * shared - 150 * x[2]) + Noise(10),
                Tip = (float)(0.02 * shared + 0.01 * x[3]) + Noise(0.001),
                Total = (float)(50 * shared * x[4] + 20 * x[2]) + Noise(1),
            };
            if (random.NextDouble() < missing) row.Tip = float.NaN;
            list.Add(row);
        }
        return list;
    }

    /// <summary>Three labels decided by the features, one of them rare.</summary>
    internal static List<LabelsRow> Labels(int rows, int seed)
    {
        var random = new Random(seed);
        var list = new List<LabelsRow>(rows);
        for (int i = 0; i < rows; i++)
        {
            var x = new float[5];
            for (int j = 0; j < x.Length; j++) x[j] = (float)(random.NextDouble() * 2 - 1);
            double noise = 0.2 * (random.NextDouble() - 0.5);
            list.Add(new LabelsRow
            {
                Features = x,
                Urgent = x[0] + x[1] + noise > 0,
                Billing = x[2] * x[3] + noise > 0,
                Refund = x[0] + x[4] + noise > 1.2,
            });
        }
        return list;
    }

    private static IDataView TargetsData(MLContext ml, IEnumerable<TargetsRow> rows)
    {
        var raw = ml.Data.LoadFromEnumerable(rows);
        return ml.Transforms.Concatenate("Label", nameof(TargetsRow.Fare), nameof(TargetsRow.Tip), nameof(TargetsRow.Total)).Fit(raw).Transform(raw);
    }

    private static IDataView LabelsData(MLContext ml, IEnumerable<LabelsRow> rows)
    {
        var raw = ml.Data.LoadFromEnumerable(rows);
        return ml.Transforms.Concatenate("Label", nameof(LabelsRow.Urgent), nameof(LabelsRow.Billing), nameof(LabelsRow.Refund)).Fit(raw).Transform(raw);
    }

    private static BackpropTrainer.Options Quick(int epochs = 60) => new() { HiddenLayerSizes = [32], Epochs = epochs, Seed = 3, EarlyStopping = false };

    [Fact]
    public void Multi_output_regression_learns_each_target_in_its_own_units_with_the_labels_slot_names()
    {
        var ml = new MLContext(seed: 1);
        var train = TargetsData(ml, Targets(600, seed: 1));
        var test = TargetsData(ml, Targets(300, seed: 2));
        var model = ml.Regression.Trainers.BackpropMultiOutput(Quick()).Fit(train);
        Assert.Equal(BackpropTask.MultiOutputRegression, model.Task);

        var scored = model.Transform(test);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 3), scored.Schema["Score"].Type);
        Assert.Equal(["Fare", "Tip", "Total"], SchemaAssert.SlotNames(scored.Schema["Score"]));
        var metrics = ml.Regression.EvaluateMultiOutput(scored);
        for (int j = 0; j < 3; j++)
            log.WriteLine($"{metrics.TargetNames[j]}: R² {metrics.PerTarget[j].RSquared:0.000}, MAE {metrics.PerTarget[j].MeanAbsoluteError:G3}");
        Assert.Equal(["Fare", "Tip", "Total"], metrics.TargetNames);
        // Tip is in hundredths: without each target's own standardization it would not be learnt alongside Fare's thousands.
        Assert.All(metrics.PerTarget, m => Assert.True(m.RSquared > 0.7, $"R² {m.RSquared}"));
        Assert.Equal(metrics.PerTarget.Average(m => m.RSquared), metrics.MeanRSquared, 12);

        // Each target's scores are the values in its units: the per-target metrics are ML.NET's on that slot alone.
        var fare = ml.Data.CreateEnumerable<TargetsRow>(test, reuseRowObject: false).Select(r => r.Fare).ToArray();
        var scores = TestData.Vectors(scored, "Score");
        var single = ml.Regression.Evaluate(ml.Data.LoadFromEnumerable(fare.Select((y, i) => new ScalarScore { Label = y, Score = scores[i][0] })));
        Assert.Equal(single.RSquared, metrics.PerTarget[0].RSquared, 12);
        Assert.Equal(single.MeanAbsoluteError, metrics.PerTarget[0].MeanAbsoluteError, 9);
    }

    [Theory]
    [InlineData(Solver.Sgd)]
    [InlineData(Solver.Lbfgs)]
    public void Every_solver_trains_several_targets(Solver solver)
    {
        var ml = new MLContext(seed: 1);
        var options = new BackpropTrainer.Options { HiddenLayerSizes = [16], Epochs = solver == Solver.Lbfgs ? 100 : 60, Seed = 3, EarlyStopping = false, Solver = solver };
        var model = ml.Regression.Trainers.BackpropMultiOutput(options).Fit(TargetsData(ml, Targets(400, seed: 1, missing: 0.2)));
        var metrics = ml.Regression.EvaluateMultiOutput(model.Transform(TargetsData(ml, Targets(200, seed: 2))));
        log.WriteLine($"{solver}: R² [{string.Join(", ", metrics.PerTarget.Select(m => m.RSquared.ToString("0.000")))}]");
        Assert.All(metrics.PerTarget, m => Assert.True(m.RSquared > 0.6, $"R² {m.RSquared}"));
    }

    [Fact]
    public void A_label_vector_of_size_one_trains_exactly_as_the_scalar_label_does()
    {
        var ml = new MLContext(seed: 1);
        var rows = TestData.NonLinearRegression(300, seed: 4);
        var scalar = ml.Data.LoadFromEnumerable(rows);
        var vector = ml.Transforms.Concatenate("LabelVector", "Label").Fit(scalar).Transform(scalar);
        var options = Quick(20);
        var scalarModel = new BackpropTrainer(ml, options).Fit(scalar);
        var vectorOptions = Quick(20);
        vectorOptions.LabelColumnName = "LabelVector";
        var vectorModel = new BackpropTrainer(ml, vectorOptions).Fit(vector);

        Assert.Equal(BackpropTask.MultiOutputRegression, vectorModel.Task);
        var a = scalarModel.Transform(scalar).GetColumn<float>("Score").ToArray();
        var b = TestData.Vectors(vectorModel.Transform(vector), "Score");
        Assert.Equal(a, b.Select(v => Assert.Single(v)).ToArray());
    }

    [Fact]
    public void A_missing_target_leaves_only_its_own_error_out_of_the_cost()
    {
        // Where Tip is missing, the row still teaches Fare and Total: the model trained with 40% of Tips missing predicts
        // Fare and Total about as well as with none missing, and Tip from the rows that have it.
        var ml = new MLContext(seed: 1);
        var test = TargetsData(ml, Targets(300, seed: 2));
        var complete = ml.Regression.Trainers.BackpropMultiOutput(Quick()).Fit(TargetsData(ml, Targets(600, seed: 1)));
        var gappy = ml.Regression.Trainers.BackpropMultiOutput(Quick()).Fit(TargetsData(ml, Targets(600, seed: 1, missing: 0.4)));
        var full = ml.Regression.EvaluateMultiOutput(complete.Transform(test));
        var partial = ml.Regression.EvaluateMultiOutput(gappy.Transform(test));
        log.WriteLine($"R² complete [{string.Join(", ", full.PerTarget.Select(m => m.RSquared.ToString("0.000")))}], 40% Tip missing [{string.Join(", ", partial.PerTarget.Select(m => m.RSquared.ToString("0.000")))}]");
        for (int j = 0; j < 3; j++)
            Assert.True(partial.PerTarget[j].RSquared > Math.Max(0.7, full.PerTarget[j].RSquared - 0.05), $"{partial.TargetNames[j]}: R² {partial.PerTarget[j].RSquared} against {full.PerTarget[j].RSquared}");
        Assert.True(gappy.History.All(h => double.IsFinite(h.Loss)));

        // Rows missing a target are kept, not skipped; a row missing every target is.
        var rows = Targets(50, seed: 5);
        rows[0].Fare = rows[0].Tip = rows[0].Total = float.NaN;
        rows[1].Tip = float.NaN;
        var trainer = ml.Regression.Trainers.BackpropMultiOutput(Quick(1));
        var checkedRows = trainer.CheckGradient(TargetsData(ml, rows), rows: 50);
        Assert.Equal(49, checkedRows.Rows);
    }

    [Fact]
    public void Backprop_matches_finite_differences_on_several_linear_outputs_with_missing_targets_and_on_sigmoid_labels()
    {
        var ml = new MLContext(seed: 1);
        var options = new BackpropTrainer.Options { HiddenLayerSizes = [7, 5], Seed = 2, L2Regularization = 0.01 };
        var targets = Targets(24, seed: 3, missing: 0.3);
        Assert.Contains(targets, r => float.IsNaN(r.Tip));
        var regression = new BackpropTrainer(ml, options).CheckGradient(TargetsData(ml, targets), rows: 24);
        log.WriteLine($"multi-output: {string.Join(", ", regression.MaxRelativeErrorPerLayer.Select(e => e.ToString("E2")))} over {regression.ParametersChecked} parameters");
        Assert.All(regression.MaxRelativeErrorPerLayer, e => Assert.True(e < 1e-6, $"relative error {e}"));

        var multiLabel = new BackpropTrainer(ml, options).CheckGradient(LabelsData(ml, Labels(24, seed: 3)), rows: 24);
        log.WriteLine($"multi-label: {string.Join(", ", multiLabel.MaxRelativeErrorPerLayer.Select(e => e.ToString("E2")))}");
        Assert.All(multiLabel.MaxRelativeErrorPerLayer, e => Assert.True(e < 1e-6, $"relative error {e}"));

        // Example weights and label smoothing enter the checked cost too.
        var weighted = ml.Transforms.CustomMapping<LabelsRow, WeightRow>((r, w) => w.Weight = r.Urgent ? 3 : 0.5f, null)
            .Fit(LabelsData(ml, Labels(24, seed: 4))).Transform(LabelsData(ml, Labels(24, seed: 4)));
        var weightedCheck = new BackpropTrainer(ml, new BackpropTrainer.Options
        { HiddenLayerSizes = [6], Seed = 2, ExampleWeightColumnName = "Weight", LabelSmoothing = 0.1 }).CheckGradient(weighted, rows: 24);
        Assert.All(weightedCheck.MaxRelativeErrorPerLayer, e => Assert.True(e < 1e-6, $"relative error {e}"));
    }

    [Fact]
    public void Multi_label_outputs_are_a_binary_classifiers_per_slot_and_evaluate_with_MLNETs_metrics()
    {
        var ml = new MLContext(seed: 1);
        var train = LabelsData(ml, Labels(800, seed: 1));
        var test = LabelsData(ml, Labels(400, seed: 2));
        var model = ml.BinaryClassification.Trainers.BackpropMultiLabel(Quick(80)).Fit(train);
        Assert.Equal(BackpropTask.MultiLabelClassification, model.Task);
        var scored = model.Transform(test);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 3), scored.Schema["Score"].Type);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 3), scored.Schema["Probability"].Type);
        Assert.Equal(new VectorDataViewType(BooleanDataViewType.Instance, 3), scored.Schema["PredictedLabel"].Type);
        foreach (var column in new[] { "Score", "Probability", "PredictedLabel" })
            Assert.Equal(["Urgent", "Billing", "Refund"], SchemaAssert.SlotNames(scored.Schema[column]));

        var scores = TestData.Vectors(scored, "Score");
        var probabilities = TestData.Vectors(scored, "Probability");
        var decisions = scored.GetColumn<bool[]>("PredictedLabel").ToArray();
        for (int r = 0; r < scores.Length; r++)
            for (int j = 0; j < 3; j++)
            {
                Assert.Equal(1 / (1 + Math.Exp(-scores[r][j])), probabilities[r][j], 5);
                Assert.Equal(scores[r][j] > 0, decisions[r][j]);
            }

        var metrics = ml.BinaryClassification.EvaluateMultiLabel(scored);
        for (int j = 0; j < 3; j++)
            log.WriteLine($"{metrics.LabelNames[j]}: AUC {metrics.PerLabel[j].AreaUnderRocCurve:0.000}, F1 {metrics.PerLabel[j].F1Score:0.000}");
        log.WriteLine($"macro AUC {metrics.MacroAreaUnderRocCurve:0.000}, micro F1 {metrics.MicroF1Score:0.000}, macro F1 {metrics.MacroF1Score:0.000}, Hamming {metrics.HammingLoss:0.000}, subset {metrics.SubsetAccuracy:0.000}");
        Assert.All(metrics.PerLabel, m => Assert.True(m.AreaUnderRocCurve > 0.9, $"AUC {m.AreaUnderRocCurve}"));

        // The aggregates by their definitions, counted here from the columns.
        var truth = ml.Data.CreateEnumerable<LabelsRow>(test, reuseRowObject: false).Select(r => new[] { r.Urgent, r.Billing, r.Refund }).ToArray();
        int wrong = 0, exact = 0, tp = 0, fp = 0, fn = 0;
        for (int r = 0; r < truth.Length; r++)
        {
            exact += truth[r].SequenceEqual(decisions[r]) ? 1 : 0;
            for (int j = 0; j < 3; j++)
            {
                wrong += truth[r][j] != decisions[r][j] ? 1 : 0;
                tp += truth[r][j] && decisions[r][j] ? 1 : 0;
                fp += !truth[r][j] && decisions[r][j] ? 1 : 0;
                fn += truth[r][j] && !decisions[r][j] ? 1 : 0;
            }
        }
        Assert.Equal(wrong / (3.0 * truth.Length), metrics.HammingLoss, 12);
        Assert.Equal(exact / (double)truth.Length, metrics.SubsetAccuracy, 12);
        Assert.Equal(2.0 * tp / (2.0 * tp + fp + fn), metrics.MicroF1Score, 12);
        Assert.Equal(metrics.PerLabel.Average(m => m.F1Score), metrics.MacroF1Score, 9);

        // A label of one class in the evaluated rows has no AUC: refused by name, as ML.NET refuses it for one label.
        var noRefunds = LabelsData(ml, Labels(400, seed: 2).Where(r => !r.Refund));
        var error = Assert.Throws<InvalidOperationException>(() => ml.BinaryClassification.EvaluateMultiLabel(model.Transform(noRefunds)));
        Assert.Contains("Slot 'Refund' of label column 'Label' is false in every row", error.Message);
    }

    [Fact]
    public void Single_labels_of_0_and_1_train_multi_label_when_asked_and_other_values_are_refused_by_row_and_slot()
    {
        var ml = new MLContext(seed: 1);
        var rows = Labels(200, seed: 1);
        var raw = ml.Data.LoadFromEnumerable(rows.Select(r => new NumericLabelsRow { Features = r.Features, Label = [r.Urgent ? 1 : 0, r.Billing ? 1 : 0, r.Refund ? 1 : float.NaN] }));
        var options = Quick(5);
        options.Task = BackpropTask.MultiLabelClassification;
        var model = new BackpropTrainer(ml, options).Fit(raw);
        Assert.Equal(BackpropTask.MultiLabelClassification, model.Task);
        // Without the task named, a vector of Single is several regression targets.
        var auto = new BackpropTrainer(ml, Quick(1)).Fit(ml.Data.LoadFromEnumerable(rows.Select(r => new NumericLabelsRow { Features = r.Features, Label = [1, 0, 1] })));
        Assert.Equal(BackpropTask.MultiOutputRegression, auto.Task);

        var bad = rows.Select((r, i) => new NumericLabelsRow { Features = r.Features, Label = [i == 7 ? 2 : 1, 0, 1] });
        var error = Assert.Throws<InvalidOperationException>(() => new BackpropTrainer(ml, options).Fit(ml.Data.LoadFromEnumerable(bad)));
        Assert.Contains("Row 7 of label column 'Label' holds 2 in slot 0", error.Message);
    }

    [Theory]
    [InlineData(BackpropTask.MultiOutputRegression)]
    [InlineData(BackpropTask.MultiLabelClassification)]
    public void Saved_models_load_in_a_fresh_process_with_identical_bits_schema_and_slot_names(BackpropTask task)
    {
        var ml = new MLContext(seed: 1);
        var (model, data, columns) = Trained(ml, task);
        string modelPath = Path.Combine(_dir, "model.zip"), dataPath = Path.Combine(_dir, "data.idv"), dumpPath = Path.Combine(_dir, "scores.txt");
        ml.Model.Save(model, data.Schema, modelPath);
        using (var stream = File.Create(dataPath))
            ml.Data.SaveAsBinary(data, stream);

        var loaded = ml.Model.Load(modelPath, out _);
        SchemaAssert.Same(model.GetOutputSchema(data.Schema), loaded.GetOutputSchema(data.Schema));
        var expected = ScoreDump.Rows(model.Transform(data), columns).ToArray();
        Assert.Equal(expected, ScoreDump.Rows(loaded.Transform(data), columns).ToArray());

        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "MlNetBackprop.ScoringHelper.dll"), modelPath, dataPath, dumpPath }.Concat(columns))
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"helper failed: {errors}");
        Assert.Equal(expected, File.ReadAllLines(dumpPath));

        // FromModel gives back the task, the slot names and the very network.
        var back = BackpropTransformer.FromModel(loaded);
        Assert.Equal(task, back.Task);
        Assert.Equal(model.History.Count, back.History.Count);
        Assert.Equal(model.Model.GetWeights(1).ToArray(), back.Model.GetWeights(1).ToArray());
        Assert.Equal(model.Model.OutputScales, back.Model.OutputScales);
        Assert.Equal(expected, ScoreDump.Rows(back.Transform(data), columns).ToArray());
    }

    [Fact]
    public void PredictionEngine_fills_float_and_bool_arrays_in_memory_and_after_loading()
    {
        var ml = new MLContext(seed: 1);
        var (regression, targetsData, _) = Trained(ml, BackpropTask.MultiOutputRegression);
        var (labels, labelsData, _) = Trained(ml, BackpropTask.MultiLabelClassification);
        string regressionPath = Path.Combine(_dir, "regression.zip"), labelsPath = Path.Combine(_dir, "labels.zip");
        ml.Model.Save(regression, targetsData.Schema, regressionPath);
        ml.Model.Save(labels, labelsData.Schema, labelsPath);

        var scores = TestData.Vectors(regression.Transform(targetsData), "Score");
        var inputs = ml.Data.CreateEnumerable<FeaturesOnly>(targetsData, reuseRowObject: false).ToArray();
        foreach (var model in new ITransformer[] { regression, ml.Model.Load(regressionPath, out _) })
        {
            var engine = ml.Model.CreatePredictionEngine<FeaturesOnly, TargetsPrediction>(model);
            for (int r = 0; r < 20; r++)
                Assert.Equal(scores[r], engine.Predict(inputs[r]).Score);
        }

        var labelScored = labels.Transform(labelsData);
        var probabilities = TestData.Vectors(labelScored, "Probability");
        var decisions = labelScored.GetColumn<bool[]>("PredictedLabel").ToArray();
        var labelInputs = ml.Data.CreateEnumerable<FeaturesOnly>(labelsData, reuseRowObject: false).ToArray();
        foreach (var model in new ITransformer[] { labels, ml.Model.Load(labelsPath, out _) })
        {
            var engine = ml.Model.CreatePredictionEngine<FeaturesOnly, LabelsPrediction>(model);
            for (int r = 0; r < 20; r++)
            {
                var prediction = engine.Predict(labelInputs[r]);
                Assert.Equal(probabilities[r], prediction.Probability);
                Assert.Equal(decisions[r], prediction.PredictedLabel);
                Assert.Equal(3, prediction.Score.Length);
            }
        }
    }

    [Theory]
    [InlineData(BackpropTask.MultiOutputRegression)]
    [InlineData(BackpropTask.MultiLabelClassification)]
    public void Training_resumed_from_a_saved_model_equals_training_without_a_stop_bit_for_bit(BackpropTask task)
    {
        var ml = new MLContext(seed: 1);
        var data = task == BackpropTask.MultiOutputRegression ? TargetsData(ml, Targets(200, seed: 1)) : LabelsData(ml, Labels(200, seed: 1));
        BackpropTrainer.Options Options(int epochs) => new() { HiddenLayerSizes = [12], Epochs = epochs, Seed = 4, EarlyStopping = false, KeepTrainingState = true };
        var straight = new BackpropTrainer(ml, Options(6)).Fit(data);
        var first = new BackpropTrainer(ml, Options(3)).Fit(data);
        string path = Path.Combine(_dir, "first.zip");
        ml.Model.Save(first, data.Schema, path);
        var resumed = new BackpropTrainer(ml, Options(3)).Fit(data, null, BackpropTransformer.FromModel(ml.Model.Load(path, out _)));
        for (int layer = 0; layer < straight.Model.LayerCount; layer++)
        {
            Assert.Equal(straight.Model.GetWeights(layer).ToArray(), resumed.Model.GetWeights(layer).ToArray());
            Assert.Equal(straight.Model.GetBiases(layer).ToArray(), resumed.Model.GetBiases(layer).ToArray());
        }
        Assert.Equal(6, resumed.History.Count);
    }

    [Theory]
    [InlineData(BackpropTask.MultiOutputRegression)]
    [InlineData(BackpropTask.MultiLabelClassification)]
    public void ONNX_Runtime_gives_the_exported_models_outputs(BackpropTask task)
    {
        var ml = new MLContext(seed: 1);
        var (model, data, columns) = Trained(ml, task);
        using var stream = new MemoryStream();
        ml.Model.ExportToOnnx(model, data, stream);
        var features = data.GetColumn<float[]>("Features").ToArray();
        using var session = new InferenceSession(stream.ToArray());
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("Features", new DenseTensor<float>(features.SelectMany(f => f).ToArray(), [features.Length, 5]))]);
        var outputs = results.ToDictionary(r => r.Name);
        var scored = model.Transform(data);
        foreach (var column in columns)
        {
            var dimensions = outputs[column].AsTensor<float>() is { } t && column != "PredictedLabel" ? t.Dimensions.ToArray() : outputs[column].AsTensor<bool>().Dimensions.ToArray();
            Assert.Equal([features.Length, 3], dimensions);
            if (column == "PredictedLabel")
                Assert.Equal(scored.GetColumn<bool[]>(column).SelectMany(v => v), outputs[column].AsEnumerable<bool>());
            else
            {
                var expected = TestData.Vectors(scored, column).SelectMany(v => v).ToArray();
                var actual = outputs[column].AsEnumerable<float>().ToArray();
                for (int i = 0; i < expected.Length; i++)
                    Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * Math.Max(1, Math.Abs(expected[i])), $"{column} value {i}: {expected[i]} against {actual[i]}");
            }
        }
    }

    [Fact]
    public void Example_weights_and_early_stopping_with_validation_data_work_for_several_outputs()
    {
        var ml = new MLContext(seed: 1);
        // A fifth of the rows have every target scrambled; weighing them 0 recovers the clean fit.
        var rows = Targets(600, seed: 1);
        var scrambled = new Random(9);
        var weighted = rows.Select((r, i) => new WeightedTargetsRow
        {
            Features = r.Features, Fare = i % 5 == 0 ? (float)(scrambled.NextDouble() * 5000) : r.Fare, Tip = r.Tip, Total = r.Total,
            Weight = i % 5 == 0 ? 0 : 1,
        });
        var raw = ml.Data.LoadFromEnumerable(weighted);
        var data = ml.Transforms.Concatenate("Label", "Fare", "Tip", "Total").Fit(raw).Transform(raw);
        var test = TargetsData(ml, Targets(300, seed: 2));
        var withWeights = Quick();
        withWeights.ExampleWeightColumnName = "Weight";
        double Fare(BackpropTransformer model) => ml.Regression.EvaluateMultiOutput(model.Transform(test)).PerTarget[0].RSquared;
        double clean = Fare(new BackpropTrainer(ml, withWeights).Fit(data)), dirty = Fare(new BackpropTrainer(ml, Quick()).Fit(data));
        log.WriteLine($"Fare R² weighted {clean:0.000}, unweighted {dirty:0.000}");
        Assert.True(clean > dirty + 0.05, $"weighted {clean}, unweighted {dirty}");

        // Early stopping measures the validation data's cost over every target and keeps the best epoch's weights.
        var stopping = new BackpropTrainer(ml, new BackpropTrainer.Options { HiddenLayerSizes = [32], Epochs = 100, Seed = 3, EarlyStopping = true, IterationsWithoutImprovement = 5 })
            .Fit(TargetsData(ml, Targets(300, seed: 1, missing: 0.2)), TargetsData(ml, Targets(100, seed: 7, missing: 0.2)));
        Assert.All(stopping.History, h => Assert.True(double.IsFinite(h.ValidationLoss!.Value)));
        Assert.Equal(stopping.History.Min(h => h.ValidationLoss), stopping.Summary.BestValidationLoss);
        Assert.True(stopping.Summary.RestoredBestWeights || stopping.Summary.BestEpoch == stopping.History[^1].Epoch);
    }

    [Fact]
    public void Cross_validation_of_several_outputs_gives_each_folds_metrics()
    {
        var ml = new MLContext(seed: 1);
        var regression = ml.Regression.CrossValidateMultiOutput(TargetsData(ml, Targets(300, seed: 1)), ml.Regression.Trainers.BackpropMultiOutput(Quick()), numberOfFolds: 3, seed: 5);
        Assert.Equal(3, regression.Count);
        Assert.Equal([0, 1, 2], regression.Select(f => f.Fold));
        Assert.All(regression, f => Assert.True(f.Metrics.MeanRSquared > 0.5, $"fold {f.Fold}: {f.Metrics.MeanRSquared}"));
        Assert.Equal(300, regression.Sum(f => f.ScoredHoldOutSet.GetColumn<float[]>("Score").Count()));

        var labels = ml.BinaryClassification.CrossValidateMultiLabel(LabelsData(ml, Labels(300, seed: 1)), ml.BinaryClassification.Trainers.BackpropMultiLabel(Quick()), numberOfFolds: 3, seed: 5);
        Assert.Equal(3, labels.Count);
        Assert.All(labels, f => Assert.Equal(3, f.Metrics.PerLabel.Count));
        Assert.All(labels, f => Assert.True(f.Metrics.MacroAreaUnderRocCurve > 0.7, $"fold {f.Fold}: {f.Metrics.MacroAreaUnderRocCurve}"));
    }

    [Fact]
    public void The_promised_schema_is_the_delivered_one_and_bad_labels_fail_in_GetOutputSchema_and_Fit_in_MLNETs_words()
    {
        var ml = new MLContext(seed: 1);
        foreach (var task in new[] { BackpropTask.MultiOutputRegression, BackpropTask.MultiLabelClassification })
        {
            var data = task == BackpropTask.MultiOutputRegression ? TargetsData(ml, Targets(100, seed: 1)) : LabelsData(ml, Labels(100, seed: 1));
            var trainer = new BackpropTrainer(ml, Quick(2));
            SchemaAssert.Delivers(trainer.GetOutputSchema(TestData.ShapeOf(data.Schema)), trainer.Fit(data).Transform(data).Schema);
        }

        // A label vector of unknown size, of another item type, or a size that differs in the validation data.
        var raw = ml.Data.LoadFromEnumerable(Targets(50, seed: 1));
        var variable = ml.Data.LoadFromEnumerable(Targets(50, seed: 1).Select(r => new VariableLabelRow { Features = r.Features, Label = [r.Fare, r.Tip] }));
        var integers = ml.Data.LoadFromEnumerable(Targets(50, seed: 1).Select(r => new IntegerLabelsRow { Features = r.Features, Label = [1, 2] }));
        foreach (var (data, got) in new[] { (variable, "Vector<Single>"), (integers, "Vector<Int32, 2>") })
        {
            var trainer = new BackpropTrainer(ml, Quick(1));
            var inShape = Assert.Throws<ArgumentOutOfRangeException>(() => trainer.GetOutputSchema(TestData.ShapeOf(data.Schema)));
            var inFit = Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(data));
            Assert.StartsWith("Schema mismatch for label column 'Label': expected", inFit.Message);
            Assert.Contains($"got {got}", inFit.Message);
            Assert.StartsWith("Schema mismatch for label column 'Label'", inShape.Message);
        }
        var asked = new BackpropTrainer(ml, new BackpropTrainer.Options { Task = BackpropTask.Regression, Epochs = 1 });
        Assert.Contains("expected Single or Double, got Vector<Single, 3>", Assert.Throws<ArgumentOutOfRangeException>(() => asked.Fit(TargetsData(ml, Targets(20, seed: 1)))).Message);

        var two = ml.Transforms.Concatenate("Label", "Fare", "Tip").Fit(raw).Transform(raw);
        var mismatch = Assert.Throws<ArgumentOutOfRangeException>(() => new BackpropTrainer(ml, Quick(1)).Fit(TargetsData(ml, Targets(50, seed: 1)), two));
        Assert.Contains("Schema mismatch for label column 'Label' of the validation data: expected known-size vector of Single of size 3 (as in the training data), got Vector<Single, 2>", mismatch.Message);

        // Class weights are for the classes of one label.
        var weighted = new BackpropTrainer(ml, new BackpropTrainer.Options { ClassWeighting = ClassWeighting.Balanced, Epochs = 1 });
        Assert.Equal("ClassWeighting", Assert.Throws<ArgumentOutOfRangeException>(() => weighted.Fit(LabelsData(ml, Labels(20, seed: 1)))).ParamName);
        // A target with no value in any row cannot be learnt.
        var noTip = Targets(30, seed: 1);
        noTip.ForEach(r => r.Tip = float.NaN);
        Assert.Contains("Slot 1 ('Tip')", Assert.Throws<InvalidOperationException>(() => new BackpropTrainer(ml, Quick(1)).Fit(TargetsData(ml, noTip))).Message);
    }

    [Fact]
    public void Rows_streamed_beyond_the_memory_budget_and_sparse_rows_train_several_outputs()
    {
        var ml = new MLContext(seed: 1);
        var messages = new List<string>();
        ml.Log += (_, e) => { lock (messages) messages.Add(e.RawMessage); };
        // 6,000 dense rows of 300 values (7.2 MB) against a budget of 4 MB: streamed, three targets each.
        var random = new Random(3);
        var wide = Enumerable.Range(0, 6000).Select(_ =>
        {
            var x = Enumerable.Range(0, 300).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
            return new WideTargetsRow { Features = x, Label = [x[0] + x[1], 100 * x[2], x[3] - 0.5f * x[4]] };
        }).ToList();
        var streamed = new BackpropTrainer(ml, new BackpropTrainer.Options { HiddenLayerSizes = [32], Epochs = 8, Seed = 3, EarlyStopping = false, MemoryBudgetMegabytes = 4 })
            .Fit(ml.Data.LoadFromEnumerable(wide.Take(5000)));
        Assert.Contains(messages, m => m.Contains("stream", StringComparison.OrdinalIgnoreCase));
        var metrics = ml.Regression.EvaluateMultiOutput(streamed.Transform(ml.Data.LoadFromEnumerable(wide.Skip(5000))));
        log.WriteLine($"streamed: R² [{string.Join(", ", metrics.PerTarget.Select(m => m.RSquared.ToString("0.000")))}]");
        var held = new BackpropTrainer(ml, new BackpropTrainer.Options { HiddenLayerSizes = [32], Epochs = 8, Seed = 3, EarlyStopping = false })
            .Fit(ml.Data.LoadFromEnumerable(wide.Take(5000)));
        var heldMetrics = ml.Regression.EvaluateMultiOutput(held.Transform(ml.Data.LoadFromEnumerable(wide.Skip(5000))));
        log.WriteLine($"held in memory: R² [{string.Join(", ", heldMetrics.PerTarget.Select(m => m.RSquared.ToString("0.000")))}]");
        for (int j = 0; j < 3; j++)
            Assert.True(metrics.PerTarget[j].RSquared > Math.Max(0.5, heldMetrics.PerTarget[j].RSquared - 0.05), $"target {j}: streamed R² {metrics.PerTarget[j].RSquared}, held {heldMetrics.PerTarget[j].RSquared}");

        // Sparse rows of 1,200 slots (a bag of words), three labels each decided by a word being present.
        var words = Enumerable.Range(0, 4500).Select(_ =>
        {
            var present = Enumerable.Range(0, 8).Select(_ => random.Next(1200)).Distinct().Order().ToArray();
            return new SparseLabelsRow
            {
                Features = new VBuffer<float>(1200, present.Length, present.Select(_ => 1f).ToArray(), present),
                Label = [present.Any(w => w < 200), present.Any(w => w >= 600 && w < 800), present.Any(w => w % 7 == 0)],
            };
        }).ToList();
        var sparse = ml.BinaryClassification.Trainers.BackpropMultiLabel(new BackpropTrainer.Options { HiddenLayerSizes = [16], Epochs = 20, Seed = 3, EarlyStopping = false })
            .Fit(ml.Data.LoadFromEnumerable(words.Take(4000)));
        Assert.Contains(messages, m => m.Contains("sparse rows", StringComparison.OrdinalIgnoreCase));
        var labels = ml.BinaryClassification.EvaluateMultiLabel(sparse.Transform(ml.Data.LoadFromEnumerable(words.Skip(4000))));
        log.WriteLine($"sparse: AUC [{string.Join(", ", labels.PerLabel.Select(m => m.AreaUnderRocCurve.ToString("0.000")))}]");
        Assert.All(labels.PerLabel, m => Assert.True(m.AreaUnderRocCurve > 0.9, $"AUC {m.AreaUnderRocCurve}"));
    }

    [Fact]
    public void A_wide_label_counts_in_the_memory_budget()
    {
        // 3,000 rows of 4 features and 256 targets: 6 MB of labels against a budget of 1 MB, so the rows are streamed.
        var ml = new MLContext(seed: 1);
        var messages = new List<string>();
        ml.Log += (_, e) => { lock (messages) messages.Add(e.RawMessage); };
        var random = new Random(2);
        var rows = Enumerable.Range(0, 3000).Select(_ =>
        {
            var x = Enumerable.Range(0, 4).Select(_ => (float)random.NextDouble()).ToArray();
            return new WideLabelRow { Features = x, Label = Enumerable.Range(0, 256).Select(j => x[j % 4] * (j + 1)).ToArray() };
        });
        var model = new BackpropTrainer(ml, new BackpropTrainer.Options { HiddenLayerSizes = [8], Epochs = 1, Seed = 1, EarlyStopping = false, MemoryBudgetMegabytes = 1 })
            .Fit(ml.Data.LoadFromEnumerable(rows));
        Assert.Contains(messages, m => m.StartsWith("Streaming the training data", StringComparison.Ordinal));
        Assert.Equal(256, model.Model.OutputScales.Count);
        Assert.Throws<InvalidOperationException>(() => model.Model.OutputScale);
    }

    [Fact]
    public void Slots_named_in_another_order_are_refused_in_validation_and_evaluation_and_infinite_labels_are_refused()
    {
        var ml = new MLContext(seed: 1);
        var raw = ml.Data.LoadFromEnumerable(Targets(100, seed: 1));
        var reordered = ml.Transforms.Concatenate("Label", "Total", "Tip", "Fare").Fit(raw).Transform(raw);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new BackpropTrainer(ml, Quick(1)).Fit(TargetsData(ml, Targets(100, seed: 2)), reordered));
        Assert.Contains("label column 'Label' of the validation data: expected the slots [Fare, Tip, Total] (as in the training data), got [Total, Tip, Fare]", error.Message);
        var model = ml.Regression.Trainers.BackpropMultiOutput(Quick(1)).Fit(TargetsData(ml, Targets(100, seed: 2)));
        var evaluation = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Regression.EvaluateMultiOutput(model.Transform(reordered)));
        Assert.Contains("its slots are [Fare, Tip, Total] but label column 'Label''s are [Total, Tip, Fare]", evaluation.Message);
        // A scalar validation label for a vector training label is named as the validation data's.
        var scalar = Assert.Throws<ArgumentOutOfRangeException>(() => new BackpropTrainer(ml, Quick(1)).Fit(TargetsData(ml, Targets(100, seed: 2)),
            ml.Transforms.CopyColumns("Label", "Fare").Fit(raw).Transform(raw)));
        Assert.StartsWith("Schema mismatch for label column 'Label' of the validation data: expected known-size vector of Single or Double, got Single", scalar.Message);
        Assert.Equal("validationData", scalar.ParamName);

        // An infinite multi-label value is neither a label nor an unknown one.
        var labels = Labels(50, seed: 1).Select((r, i) => new NumericLabelsRow { Features = r.Features, Label = [i == 4 ? float.PositiveInfinity : 1, 0, 1] });
        var options = Quick(1);
        options.Task = BackpropTask.MultiLabelClassification;
        Assert.Contains("Row 4 of label column 'Label' holds ∞ in slot 0",
            Assert.Throws<InvalidOperationException>(() => new BackpropTrainer(ml, options).Fit(ml.Data.LoadFromEnumerable(labels))).Message.Replace("Infinity", "∞"));

        // Class weights are refused under the option's own name.
        var weights = new BackpropTrainer(ml, new BackpropTrainer.Options { ClassWeights = [1, 2], Epochs = 1 });
        Assert.Equal("ClassWeights", Assert.Throws<ArgumentOutOfRangeException>(() => weights.Fit(LabelsData(ml, Labels(20, seed: 1)))).ParamName);
    }

    [Fact]
    public void Input_columns_named_like_the_scorings_working_columns_are_refused_rather_than_dropped()
    {
        var ml = new MLContext(seed: 1);
        var data = TargetsData(ml, Targets(60, seed: 1));
        var taken = ml.Transforms.CopyColumns("BackpropProbability0001", "Fare").Fit(data).Transform(data);
        var trainer = ml.Regression.Trainers.BackpropMultiOutput(Quick(1));
        foreach (var attempt in new Action[] { () => trainer.GetOutputSchema(TestData.ShapeOf(taken.Schema)), () => trainer.Fit(taken), () => trainer.Fit(data).Transform(taken) })
            Assert.Contains("Column 'BackpropProbability0001' of the input has the name of a working column", Assert.Throws<ArgumentOutOfRangeException>(attempt).Message);
        // Names that only look alike are the user's.
        var alike = ml.Transforms.CopyColumns("BackpropScore1", "Fare").Fit(data).Transform(data);
        Assert.NotNull(trainer.Fit(alike).Transform(alike).Schema.GetColumnOrNull("BackpropScore1"));
    }

    private static (BackpropTransformer Model, IDataView Data, string[] Columns) Trained(MLContext ml, BackpropTask task)
        => task == BackpropTask.MultiOutputRegression
            ? (ml.Regression.Trainers.BackpropMultiOutput(Quick(15)).Fit(TargetsData(ml, Targets(200, seed: 1))), TargetsData(ml, Targets(60, seed: 2)), ["Score"])
            : (ml.BinaryClassification.Trainers.BackpropMultiLabel(Quick(15)).Fit(LabelsData(ml, Labels(200, seed: 1))), LabelsData(ml, Labels(60, seed: 2)),
                ["Score", "Probability", "PredictedLabel"]);

    public sealed class TargetsRow
    {
        [VectorType(5)] public float[] Features = [];
        public float Fare, Tip, Total;
    }

    public sealed class WeightedTargetsRow
    {
        [VectorType(5)] public float[] Features = [];
        public float Fare, Tip, Total, Weight;
    }

    public sealed class LabelsRow
    {
        [VectorType(5)] public float[] Features = [];
        public bool Urgent, Billing, Refund;
    }

    public sealed class NumericLabelsRow
    {
        [VectorType(5)] public float[] Features = [];
        [VectorType(3)] public float[] Label = [];
    }

    public sealed class VariableLabelRow
    {
        [VectorType(5)] public float[] Features = [];
        public float[] Label = [];
    }

    public sealed class IntegerLabelsRow
    {
        [VectorType(5)] public float[] Features = [];
        [VectorType(2)] public int[] Label = [];
    }

    public sealed class WideLabelRow
    {
        [VectorType(4)] public float[] Features = [];
        [VectorType(256)] public float[] Label = [];
    }

    public sealed class WideTargetsRow
    {
        [VectorType(300)] public float[] Features = [];
        [VectorType(3)] public float[] Label = [];
    }

    public sealed class SparseLabelsRow
    {
        [VectorType(1200)] public VBuffer<float> Features;
        [VectorType(3)] public bool[] Label = [];
    }

    public sealed class WeightRow
    {
        public float Weight;
    }

    public sealed class ScalarScore
    {
        public float Label, Score;
    }

    public sealed class FeaturesOnly
    {
        [VectorType(5)] public float[] Features = [];
    }

    public sealed class TargetsPrediction
    {
        public float[] Score = [];
    }

    public sealed class LabelsPrediction
    {
        public float[] Score = [];
        public float[] Probability = [];
        public bool[] PredictedLabel = [];
    }
}
