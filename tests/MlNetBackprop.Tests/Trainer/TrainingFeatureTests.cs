using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;
using Xunit.Abstractions;

namespace MlNetBackprop.Tests.Trainer;

/// <summary>Each training feature shows its effect: optimizers, schedules, early stopping, class weights, warm start, dropout.</summary>
public sealed class TrainingFeatureTests(ITestOutputHelper output)
{
    /// <summary>optdigits with a key label and min-max features.</summary>
    private static (IDataView Train, IDataView Test) Digits(MLContext ml)
    {
        var prepare = TestData.DigitsPreparation(ml);
        var raw = TestData.Digits(ml, "optdigits.tra");
        var fitted = prepare.Fit(raw);
        return (fitted.Transform(raw), fitted.Transform(TestData.Digits(ml, "optdigits.tes")));
    }

    private static int EpochsToReach(BackpropTransformer model, double loss)
        => model.History.FirstOrDefault(h => h.Loss <= loss)?.Epoch ?? int.MaxValue;

    [Fact]
    public void Momentum_Nesterov_and_Adam_reach_plain_SGDs_final_loss_in_fewer_epochs()
    {
        var ml = new MLContext(seed: 1);
        var (train, _) = Digits(ml);
        BackpropTransformer Train(BackpropTrainer.Options o)
        {
            o.HiddenLayerSizes = [30];
            o.Epochs = 20;
            o.Seed = 4;
            return new BackpropTrainer(ml, o).Fit(train);
        }
        var sgd = Train(new() { Activation = HiddenActivation.Sigmoid, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, StandardizeFeatures = false, Solver = Solver.Sgd, LearningRate = 0.05 });
        var momentum = Train(new() { Activation = HiddenActivation.Sigmoid, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, StandardizeFeatures = false, Solver = Solver.Sgd, LearningRate = 0.05, Momentum = 0.9 });
        var nesterov = Train(new() { Activation = HiddenActivation.Sigmoid, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, StandardizeFeatures = false, Solver = Solver.Sgd, LearningRate = 0.05, Momentum = 0.9, NesterovMomentum = true });
        var adam = Train(new() { Activation = HiddenActivation.Sigmoid, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, StandardizeFeatures = false, LearningRate = 0.001, Solver = Solver.Adam });
        double target = sgd.History[^1].Loss;
        output.WriteLine($"SGD's loss after 20 epochs {target:F4}; epochs to reach it: momentum {EpochsToReach(momentum, target)}, " +
            $"Nesterov {EpochsToReach(nesterov, target)}, Adam {EpochsToReach(adam, target)}");
        Assert.True(EpochsToReach(momentum, target) < 20);
        Assert.True(EpochsToReach(nesterov, target) < 20);
        Assert.True(EpochsToReach(adam, target) < 20);
        Assert.NotEqual(momentum.History[^1].Loss, nesterov.History[^1].Loss); // Nesterov is a different rule
    }

    [Fact]
    public void Each_schedule_changes_the_learning_rate_as_documented()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Iris(ml);
        var rates = new Dictionary<LearningRateSchedule, double[]>();
        foreach (var schedule in Enum.GetValues<LearningRateSchedule>())
        {
            var model = new BackpropTrainer(ml, new BackpropTrainer.Options
            { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, StandardizeFeatures = false,
                HiddenLayerSizes = [5], Epochs = 10, LearningRate = 0.3, LearningRateSchedule = schedule, PowerT = 0.25,
                // Every epoch counts as a stall, so the adaptive schedule acts after Patience + 1 epochs.
                Tolerance = 1e9, IterationsWithoutImprovement = 2,
            }).Fit(data);
            rates[schedule] = model.History.Select(h => h.LearningRate).ToArray();
        }
        Assert.All(rates[LearningRateSchedule.Constant], r => Assert.Equal(0.3, r));
        // η after k epochs of 150 examples: 0.3 / (150k + 1)^0.25
        Assert.Equal(Enumerable.Range(0, 10).Select(k => k == 0 ? 0.3 : 0.3 / Math.Pow(150 * k + 1, 0.25)), rates[LearningRateSchedule.InverseScaling]);
        Assert.Equal(new[] { 0.3, 0.3, 0.3, 0.3, 0.06, 0.06, 0.06, 0.012, 0.012, 0.012 }, rates[LearningRateSchedule.Adaptive].Select(r => Math.Round(r, 10)));
    }

    [Fact]
    public void Early_stopping_stops_and_keeps_the_best_epochs_weights()
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = Digits(ml);
        var options = new BackpropTrainer.Options
        { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, StandardizeFeatures = false,
            HiddenLayerSizes = [40], Epochs = 200, LearningRate = 0.5, Seed = 7, EarlyStopping = true, IterationsWithoutImprovement = 3,
        };
        var stopped = new BackpropTrainer(ml, options).Fit(train, test);
        var summary = stopped.Summary;
        output.WriteLine($"{summary}");
        Assert.True(summary.StoppedEarly);
        Assert.True(summary.EpochsRun < 200);
        Assert.Equal(summary.EpochsRun, stopped.History.Count);
        int best = summary.BestEpoch!.Value;
        Assert.Equal(stopped.History.Min(h => h.ValidationLoss), summary.BestValidationLoss);
        Assert.Equal(best, stopped.History.MinBy(h => h.ValidationLoss)!.Epoch);
        Assert.True(summary.EpochsRun > best + 3, "it waited for the patience to run out");

        // The same training for exactly the best epoch's count ends with the very weights early stopping restored.
        options.EarlyStopping = false;
        options.Epochs = best;
        var straight = new BackpropTrainer(ml, options).Fit(train, test);
        for (int l = 0; l < stopped.Model.LayerCount; l++)
        {
            Assert.Equal(straight.Model.GetWeights(l).ToArray(), stopped.Model.GetWeights(l).ToArray());
            Assert.Equal(straight.Model.GetBiases(l).ToArray(), stopped.Model.GetBiases(l).ToArray());
        }
        Assert.True(summary.RestoredBestWeights);
    }

    [Fact]
    public void Early_stopping_without_validation_data_sets_aside_a_stratified_fraction()
    {
        var ml = new MLContext(seed: 1);
        var messages = new List<string>();
        ml.Log += (_, e) => { lock (messages) messages.Add(e.RawMessage); };
        var (train, _) = Digits(ml);
        var model = new BackpropTrainer(ml, new BackpropTrainer.Options
        { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, IterationsWithoutImprovement = 10, StandardizeFeatures = false, HiddenLayerSizes = [20], Epochs = 5, EarlyStopping = true, ValidationFraction = 0.2 }).Fit(train);
        Assert.All(model.History, h => Assert.NotNull(h.ValidationLoss));
        // Stratified: a fifth of every class, rounded, is set aside.
        int expected = ml.Data.CreateEnumerable<DigitRow>(TestData.Digits(ml, "optdigits.tra"), reuseRowObject: false)
            .GroupBy(r => r.Digit).Sum(g => (int)Math.Round(g.Count() * 0.2));
        Assert.Contains(messages, m => m.Contains($"set aside {expected} of 3823 training rows for validation, stratified by class"));
    }

    [Fact]
    public void Balanced_class_weights_raise_the_minority_recall()
    {
        var ml = new MLContext(seed: 1);
        // Digit 3 against 5 and 8 (digits easily confused with it), with only one 3 in twelve kept for training.
        var keep = 0;
        IDataView Prepare(string file, bool thin) => ml.Data.LoadFromEnumerable(
            ml.Data.CreateEnumerable<DigitRow>(TestData.Digits(ml, file), reuseRowObject: false)
                .Where(r => r.Digit is 3 or 5 or 8)
                .Where(r => !thin || r.Digit != 3 || keep++ % 12 == 0)
                .Select(r => new BinaryRow { Features = r.Pixels.Select(p => p / 16f).ToArray(), Label = r.Digit == 3 }));
        var train = Prepare("optdigits.tra", thin: true);
        var test = Prepare("optdigits.tes", thin: false);
        double Recall(ClassWeighting weighting)
        {
            var model = new BackpropTrainer(ml, new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, HiddenLayerSizes = [10], Epochs = 10, Seed = 3, ClassWeighting = weighting }).Fit(train);
            return ml.BinaryClassification.Evaluate(model.Transform(test)).PositiveRecall;
        }
        double plain = Recall(ClassWeighting.None), balanced = Recall(ClassWeighting.Balanced);
        output.WriteLine($"recall of the rare class: unweighted {plain:F3}, balanced {balanced:F3}");
        Assert.True(balanced > plain + 0.02, $"{plain} -> {balanced}");
    }

    [Fact]
    public void Explicit_class_weights_must_match_the_classes()
    {
        var ml = new MLContext(seed: 1);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new BackpropTrainer(ml, new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, ClassWeights = [1, 2], Epochs = 1 }).Fit(TestData.Iris(ml)));
        Assert.Equal(nameof(BackpropTrainer.Options.ClassWeights), e.ParamName);
        Assert.Contains("has 2 weights but label column 'Label' has 3 classes", e.Message);
    }

    [Fact]
    public void Warm_start_continues_the_loss_curve()
    {
        var ml = new MLContext(seed: 1);
        var (train, _) = Digits(ml);
        var trainer = new BackpropTrainer(ml, new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, HiddenLayerSizes = [20], Epochs = 5, LearningRate = 0.1 });
        var first = trainer.Fit(train);
        var continued = trainer.Fit(train, null, first);
        var fresh = trainer.Fit(train);
        output.WriteLine($"losses: {string.Join(", ", continued.History.Select(h => h.Loss.ToString("F4")))}; a fresh start's first epoch {fresh.History[0].Loss:F4}");
        Assert.Equal(Enumerable.Range(1, 10), continued.History.Select(h => h.Epoch));
        Assert.Equal(first.History, continued.History.Take(5));
        Assert.True(continued.History[5].Loss < first.History[4].Loss * 1.1, "epoch 6 goes on from epoch 5");
        Assert.True(continued.History[5].Loss < fresh.History[0].Loss / 2, "not a fresh start");
        Assert.True(continued.History[^1].Loss < first.History[^1].Loss);

        var other = new BackpropTrainer(ml, new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, HiddenLayerSizes = [21], Epochs = 1 });
        var e = Assert.Throws<InvalidOperationException>(() => other.Fit(train, null, first));
        Assert.Contains("64-20-10", e.Message);
        Assert.Contains("64-21-10", e.Message);
    }

    [Fact]
    public void Lbfgs_learns_iris_in_few_iterations_and_refuses_dropout()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Iris(ml);
        var model = new BackpropTrainer(ml, new BackpropTrainer.Options { Solver = Solver.Lbfgs, HiddenLayerSizes = [10], EarlyStopping = false, Epochs = 100, LabelSmoothing = 0 }).Fit(data);
        double accuracy = ml.MulticlassClassification.Evaluate(model.Transform(data)).MicroAccuracy;
        output.WriteLine($"L-BFGS on iris: {model.History.Count} iterations, training accuracy {accuracy:P1}, final loss {model.History[^1].Loss:F4}");
        Assert.True(accuracy > 0.96, $"accuracy {accuracy}");
        Assert.True(model.History[^1].Loss < 0.1, $"loss {model.History[^1].Loss}");
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new BackpropTrainer(new BackpropTrainer.Options { Solver = Solver.Lbfgs, DropoutRate = 0.2 }));
        Assert.Equal("DropoutRate", e.ParamName);
    }

    [Fact]
    public void Warm_start_on_other_classes_is_refused_naming_both_sets()
    {
        // Three classes each, but {0, 1, 2} against {0, 1, 3}: same count, other values.
        var ml = new MLContext(seed: 1);
        IDataView Rows(params string[] classes)
        {
            var random = new Random(2);
            var rows = Enumerable.Range(0, 60).Select(i => new LabelledRow
            {
                Features = [(float)random.NextDouble(), (float)random.NextDouble()], Digit = classes[i % 3],
            }).ToList();
            var data = ml.Data.LoadFromEnumerable(rows);
            return ml.Transforms.Conversion.MapValueToKey("Label", nameof(LabelledRow.Digit)).Fit(data).Transform(data);
        }
        var trainer = new BackpropTrainer(ml, new BackpropTrainer.Options { HiddenLayerSizes = [4], Epochs = 2 });
        var first = trainer.Fit(Rows("0", "1", "2"));
        var e = Assert.Throws<InvalidOperationException>(() => trainer.Fit(Rows("0", "1", "3"), null, first));
        Assert.Contains("[0, 1, 2]", e.Message);
        Assert.Contains("[0, 1, 3]", e.Message);
        Assert.Equal(4, trainer.Fit(Rows("0", "1", "2"), null, first).History.Count); // the same classes go on
    }

    public sealed class LabelledRow
    {
        [VectorType(2)] public float[] Features { get; set; } = [];
        public string Digit { get; set; } = "";
    }

    [Fact]
    public void The_update_rules_state_is_kept_only_when_asked_and_then_without_a_copy_and_the_gradients_not_at_all()
    {
        var ml = new MLContext(seed: 1);
        var (train, _) = Digits(ml);
        var plain = new BackpropTrainer(ml, new BackpropTrainer.Options { HiddenLayerSizes = [20], Epochs = 2 }).Fit(train);
        Assert.Null(plain.ResumeState);
        // Adam read a gradient per parameter; the fitted network keeps none (a second copy of its weights otherwise).
        Assert.All(plain.Model.Network.Parameters, p => Assert.False(p.HoldsGradient));
        var reloaded = BackpropTransformer.FromModel(SaveAndLoad(ml, plain, train.Schema));
        Assert.Null(reloaded.ResumeState);

        var kept = new BackpropTrainer(ml, new BackpropTrainer.Options { HiddenLayerSizes = [20], Epochs = 2, KeepTrainingState = true }).Fit(train);
        var state = kept.ResumeState!;
        Assert.Equal(2 * 4, state.Optimizer.Blocks.Length); // Adam's m and v for two layers' weights and biases
        Assert.True(state.ExamplesSeen > 0 && state.ExamplesSeen % kept.History.Count == 0, $"{state.ExamplesSeen} examples over {kept.History.Count} epochs");
        var back = BackpropTransformer.FromModel(SaveAndLoad(ml, kept, train.Schema)).ResumeState!;
        Assert.Equal(state.Optimizer.Steps, back.Optimizer.Steps);
        Assert.Equal(state.Optimizer.Blocks.Select(b => b.ToArray()), back.Optimizer.Blocks.Select(b => b.ToArray()));
    }

    private static ITransformer SaveAndLoad(MLContext ml, ITransformer model, DataViewSchema schema)
    {
        using var stream = new MemoryStream();
        ml.Model.Save(model, schema, stream);
        stream.Position = 0;
        return ml.Model.Load(stream, out _);
    }

    [Fact]
    public void Dropout_trains_but_scoring_uses_the_whole_network()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Iris(ml);
        var model = new BackpropTrainer(ml, new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, HiddenLayerSizes = [16], DropoutRate = 0.5, Epochs = 30, LabelSmoothing = 0 }).Fit(data);
        var features = TestData.Vectors(data, "Features");
        var scores = TestData.Vectors(model.Transform(data), "Score");
        Assert.Equal(scores, TestData.Vectors(model.Transform(data), "Score")); // no randomness at scoring
        var w0 = model.Model.GetWeights(0).ToArray(); var b0 = model.Model.GetBiases(0).ToArray();
        var w1 = model.Model.GetWeights(1).ToArray(); var b1 = model.Model.GetBiases(1).ToArray();
        for (int row = 0; row < features.Length; row++)
        {
            // z = w·a + b through the whole network, sigmoid hidden layer, softmax output, no mask and no scaling.
            var hidden = Enumerable.Range(0, 16).Select(j => 1 / (1 + Math.Exp(-(b0[j] + Enumerable.Range(0, 4).Sum(k => w0[j * 4 + k] * (double)features[row][k]))))).ToArray();
            var z = Enumerable.Range(0, 3).Select(j => b1[j] + Enumerable.Range(0, 16).Sum(k => w1[j * 16 + k] * hidden[k])).ToArray();
            var softmax = z.Select(v => Math.Exp(v - z.Max())).ToArray();
            for (int c = 0; c < 3; c++)
                Assert.Equal(softmax[c] / softmax.Sum(), scores[row][c], 4);
        }
        Assert.True(ml.MulticlassClassification.Evaluate(model.Transform(data)).MicroAccuracy > 0.9);
    }

    [Theory]
    [InlineData(WeightInitialization.ScaledGaussian)]
    [InlineData(WeightInitialization.Gaussian)]
    [InlineData(WeightInitialization.Glorot)]
    [InlineData(WeightInitialization.He)]
    public void Weight_initialisations_draw_from_their_distributions(WeightInitialization kind)
    {
        var ml = new MLContext(seed: 1);
        var (train, _) = Digits(ml);
        // One epoch at a vanishing learning rate leaves the initial weights (64 → 200) as they were drawn.
        var model = new BackpropTrainer(ml, new BackpropTrainer.Options
        { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, HiddenLayerSizes = [200], Epochs = 1, LearningRate = 1e-12, WeightInitialization = kind }).Fit(train);
        var w = model.Model.GetWeights(0).ToArray();
        var b = model.Model.GetBiases(0).ToArray();
        double std = Math.Sqrt(w.Average(v => (double)v * v));
        double expected = kind switch
        {
            WeightInitialization.Gaussian => 1,
            WeightInitialization.He => Math.Sqrt(2.0 / 64),
            WeightInitialization.Glorot => Math.Sqrt(6.0 / (64 + 200)) / Math.Sqrt(3), // uniform on ±limit
            _ => 1 / Math.Sqrt(64),
        };
        output.WriteLine($"{kind}: weight sd {std:F4}, expected {expected:F4}; bias sd {Math.Sqrt(b.Average(v => (double)v * v)):F4}");
        Assert.InRange(std, expected * 0.95, expected * 1.05);
        if (kind is WeightInitialization.Glorot or WeightInitialization.He)
            Assert.All(b, v => Assert.InRange(v, -1e-6, 1e-6));
        else
            Assert.InRange(Math.Sqrt(b.Average(v => (double)v * v)), 0.8, 1.2);
        if (kind == WeightInitialization.Glorot)
            Assert.All(w, v => Assert.InRange(v, -Math.Sqrt(6.0 / 264) - 1e-6, Math.Sqrt(6.0 / 264) + 1e-6));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    public void The_public_gradient_check_passes_on_real_data_and_times_both_methods(double dropout)
    {
        var ml = new MLContext(seed: 1);
        var trainer = new BackpropTrainer(ml, new BackpropTrainer.Options
        { Solver = Solver.Sgd, BatchSize = 10, Epochs = 100, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, HiddenLayerSizes = [12, 7], DropoutRate = dropout, L2Regularization = 1, ClassWeighting = ClassWeighting.Balanced, Activation = HiddenActivation.Tanh });
        var report = trainer.CheckGradient(TestData.Iris(ml), rows: 20);
        output.WriteLine(report.ToString());
        Assert.Equal(12 * 4 + 12 + 7 * 12 + 7 + 3 * 7 + 3, report.ParametersChecked);
        Assert.Equal(3, report.MaxRelativeErrorPerLayer.Count);
        Assert.True(report.MaxRelativeError < 1e-4, report.ToString());
        // Both methods are timed for the report; how much faster backprop is belongs to benchmarks, not to a test's verdict.
        Assert.True(report.BackpropTime > TimeSpan.Zero && report.FiniteDifferenceTime > TimeSpan.Zero, report.ToString());

        var trained = trainer.Fit(TestData.Iris(ml));
        Assert.True(trainer.CheckGradient(TestData.Iris(ml), 20, trained).MaxRelativeError < 1e-4);
    }

    [Fact]
    public void L2_regularisation_shrinks_the_weights_but_not_the_biases()
    {
        var ml = new MLContext(seed: 1);
        var (train, _) = Digits(ml);
        double SumOfSquares(ReadOnlyMemory<float> values) => values.ToArray().Sum(v => (double)v * v);
        (double Weights, double Biases, double Loss) Train(double lambda)
        {
            var model = new BackpropTrainer(ml, new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, HiddenLayerSizes = [30], Epochs = 10, Seed = 2, L2Regularization = lambda }).Fit(train);
            var m = model.Model;
            return (Enumerable.Range(0, m.LayerCount).Sum(l => SumOfSquares(m.GetWeights(l))),
                Enumerable.Range(0, m.LayerCount).Sum(l => SumOfSquares(m.GetBiases(l))), model.History[^1].Loss);
        }
        var plain = Train(0);
        var decayed = Train(50);
        output.WriteLine($"Σw²: λ = 0 → {plain.Weights:F1}, λ = 50 → {decayed.Weights:F1}; Σb²: {plain.Biases:F2} → {decayed.Biases:F2}");
        Assert.True(decayed.Weights < plain.Weights / 2, $"{plain.Weights} -> {decayed.Weights}");
        // The biases are not decayed: they stay of the same order (N(0, 1) at the start, 40 of them).
        Assert.InRange(decayed.Biases, plain.Biases / 3, plain.Biases * 3);
        // The reported loss carries the L2 term λ/(2n)·Σw².
        Assert.True(decayed.Loss >= 50 / (2.0 * 3823) * decayed.Weights);
    }

    [Fact]
    public void An_adaptive_schedule_stops_training_once_its_rate_runs_out()
    {
        var ml = new MLContext(seed: 1);
        var messages = new List<string>();
        ml.Log += (_, e) => { lock (messages) messages.Add(e.RawMessage); };
        // Every epoch counts as a stall (the tolerance is huge), so η is divided by 5 every second epoch until it is spent.
        var model = new BackpropTrainer(ml, new BackpropTrainer.Options
        { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, StandardizeFeatures = false,
            HiddenLayerSizes = [5], Epochs = 100, LearningRate = 0.3, LearningRateSchedule = LearningRateSchedule.Adaptive,
            Tolerance = 1e9, IterationsWithoutImprovement = 1,
        }).Fit(TestData.Iris(ml));
        var rates = model.History.Select(h => h.LearningRate).ToArray();
        output.WriteLine($"{model.Summary.EpochsRun} epochs, last η {rates[^1]:E2}");
        Assert.True(model.Summary.StoppedEarly);
        Assert.True(model.Summary.EpochsRun < 100);
        Assert.True(rates[^1] <= 1e-6, $"the last rate {rates[^1]}");
        Assert.True(rates.Count(r => r > 1e-6) == model.Summary.EpochsRun - 2, "it stopped at the first stall after the rate ran out");
        Assert.Contains(messages, m => m.StartsWith($"Stopped after epoch {model.Summary.EpochsRun}"));
    }

    [Fact]
    public void Regression_warm_start_keeps_the_label_scaling_and_continues_the_curve()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Transforms.NormalizeMinMax("Features").Fit(ml.Data.LoadFromEnumerable(TestData.NonLinearRegression(1000, seed: 7)))
            .Transform(ml.Data.LoadFromEnumerable(TestData.NonLinearRegression(1000, seed: 7)));
        var trainer = ml.Regression.Trainers.Backprop(new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, Epochs = 5 });
        var first = trainer.Fit(data);
        // Continued on data of other units: the network keeps its scaling, or its outputs would change meaning.
        var shifted = ml.Transforms.CustomMapping<RegressionRow, RegressionRow>((i, o) => { o.Features = i.Features; o.Label = i.Label + 500; }, null)
            .Fit(data).Transform(data);
        var continued = trainer.Fit(shifted, null, first);
        Assert.Equal(first.Model.OutputOffset, continued.Model.OutputOffset);
        Assert.Equal(first.Model.OutputScale, continued.Model.OutputScale);
        Assert.Equal(Enumerable.Range(1, 10), continued.History.Select(h => h.Epoch));
        var again = trainer.Fit(data, null, first);
        output.WriteLine($"losses: {string.Join(", ", again.History.Select(h => h.Loss.ToString("F4")))}");
        // SGD's epoch losses bounce by 10% from epoch to epoch here; a network started afresh would begin near epoch 1's.
        Assert.True(again.History[5].Loss < first.History[0].Loss * 0.8, "epoch 6 goes on from epoch 5");

        // Continued with a vanishing learning rate, the model predicts what the first one did, in the label's units, even
        // on data whose labels are 500 higher: the weights and the label scaling both carried over.
        var still = ml.Regression.Trainers.Backprop(new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, Epochs = 1, LearningRate = 1e-9 }).Fit(shifted, null, first);
        var expected = first.Transform(data).GetColumn<float>("Score").ToArray();
        var actual = still.Transform(data).GetColumn<float>("Score").ToArray();
        for (int i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], actual[i], 0.01);
    }

    public sealed class BinaryRow
    {
        [VectorType(64)] public float[] Features = [];
        public bool Label;
    }
}
