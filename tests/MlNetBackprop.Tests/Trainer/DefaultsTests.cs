using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace MlNetBackprop.Tests.Trainer;

/// <summary>What <c>new BackpropTrainer()</c> does, and the book's settings one call away.</summary>
public sealed class DefaultsTests
{
    public sealed class NoiseRow
    {
        [VectorType(3)] public float[] Features { get; set; } = [];
        public bool Label { get; set; }
    }

    [Fact]
    public void On_a_small_table_the_defaults_stop_early_on_a_validation_split_and_say_what_they_used()
    {
        var ml = new MLContext(seed: 1);
        var messages = new List<string>();
        ml.Log += (_, e) => { lock (messages) messages.Add(e.RawMessage); };
        var model = ml.MulticlassClassification.Trainers.Backprop().Fit(TestData.Iris(ml));
        var start = Assert.Single(messages, m => m.StartsWith("Training a ", StringComparison.Ordinal));
        Assert.Contains("with Adam on 135 rows", start);                  // 150 rows less the 15 set aside
        Assert.Contains("η = 0.001", start);
        Assert.Contains("batch 64", start);
        Assert.Contains("validation on 15 rows", start);
        Assert.Contains("early stopping after 20 epochs", start);
        Assert.Contains("features standardized", start);
        Assert.Contains("Glorot initialization", start);
        Assert.All(model.History, h => Assert.NotNull(h.ValidationLoss));
        Assert.True(ml.MulticlassClassification.Evaluate(model.Transform(TestData.Iris(ml))).MicroAccuracy > 0.9);
    }

    [Fact]
    public void On_ten_thousand_rows_or_more_the_defaults_keep_every_row_and_stop_when_the_training_cost_stalls()
    {
        // Labels independent of the features: the training cost settles at once and stops falling.
        var random = new Random(5);
        var rows = Enumerable.Range(0, BackpropTrainer.AutomaticEarlyStoppingRows).Select(_ => new NoiseRow
        {
            Features = [(float)random.NextDouble(), (float)random.NextDouble(), (float)random.NextDouble()],
            Label = random.Next(2) == 1,
        }).ToList();
        var ml = new MLContext(seed: 1);
        var model = ml.BinaryClassification.Trainers.Backprop(hiddenLayerSizes: [2]).Fit(ml.Data.LoadFromEnumerable(rows));
        Assert.All(model.History, h => Assert.Null(h.ValidationLoss));
        Assert.True(model.Summary.StoppedEarly, "training ran all its epochs");
        Assert.True(model.History.Count < BackpropTrainer.DefaultEpochs, $"{model.History.Count} epochs");
    }

    public sealed class WideNoiseRow
    {
        [VectorType(20)] public float[] Features { get; set; } = [];
        public bool Label { get; set; }
    }

    [Fact]
    public void On_many_rows_a_network_with_more_weights_than_rows_stops_early_on_a_validation_split()
    {
        var random = new Random(6);
        var rows = Enumerable.Range(0, BackpropTrainer.AutomaticEarlyStoppingRows).Select(_ => new WideNoiseRow
        {
            Features = Enumerable.Range(0, 20).Select(_ => (float)random.NextDouble()).ToArray(),
            Label = random.Next(2) == 1,
        }).ToList();
        var ml = new MLContext(seed: 1);
        // 20·600 + 600 = 12,600 weights for 10,000 rows: the kind of network that memorizes while its training cost falls.
        var model = ml.BinaryClassification.Trainers.Backprop(hiddenLayerSizes: [600]).Fit(ml.Data.LoadFromEnumerable(rows));
        Assert.All(model.History, h => Assert.NotNull(h.ValidationLoss));
        Assert.True(model.Summary.StoppedEarly, "training ran all its epochs");
    }

    [Fact]
    public void The_default_learning_rate_needs_a_resolved_task_and_the_layer_sizes_cannot_be_changed()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => BackpropTrainer.DefaultLearningRate(BackpropTask.Auto, CostFunction.CrossEntropy));
        Assert.Equal("task", e.ParamName);
        Assert.Equal(0.5, BackpropTrainer.DefaultLearningRate(BackpropTask.MulticlassClassification, CostFunction.CrossEntropy));
        var ml = new MLContext(seed: 1);
        var model = new BackpropTrainer(ml, new BackpropTrainer.Options { HiddenLayerSizes = [3], Epochs = 1 }).Fit(TestData.Iris(ml));
        Assert.Throws<NotSupportedException>(() => ((IList<int>)model.Model.LayerSizes)[1] = 5);
        Assert.Equal([4, 3, 3], model.Model.LayerSizes);
    }

    [Fact]
    public void Early_stopping_set_either_way_overrides_the_choice()
    {
        var ml = new MLContext(seed: 1);
        var off = new BackpropTrainer(ml, new BackpropTrainer.Options { EarlyStopping = false, Epochs = 7 }).Fit(TestData.Iris(ml));
        Assert.Equal(7, off.History.Count);
        Assert.All(off.History, h => Assert.Null(h.ValidationLoss));
    }

    [Fact]
    public void The_Nielsen_presets_are_the_books_settings_and_train_without_standardizing()
    {
        var one = BackpropTrainer.Options.NielsenChapter1();
        Assert.Equal([30], one.HiddenLayerSizes);
        Assert.Equal((HiddenActivation.Sigmoid, MulticlassOutput.Sigmoid, CostFunction.Quadratic, WeightInitialization.Gaussian),
            (one.Activation, one.MulticlassOutput, one.Cost, one.WeightInitialization));
        Assert.Equal((Solver.Sgd, 3.0, 10, 30, 0.0, false, false), (one.Solver, one.LearningRate, one.BatchSize, one.Epochs, one.L2Regularization, one.StandardizeFeatures, one.EarlyStopping));
        var three = BackpropTrainer.Options.NielsenChapter3();
        Assert.Equal([100], three.HiddenLayerSizes);
        Assert.Equal((HiddenActivation.Sigmoid, MulticlassOutput.Sigmoid, (CostFunction?)null, WeightInitialization.ScaledGaussian),
            (three.Activation, three.MulticlassOutput, three.Cost, three.WeightInitialization));
        Assert.Equal((Solver.Sgd, (double?)null, 10, 30, 5.0, false, false), (three.Solver, three.LearningRate, three.BatchSize, three.Epochs, three.L2Regularization, three.StandardizeFeatures, three.EarlyStopping));
        Assert.NotSame(three, BackpropTrainer.Options.NielsenChapter3());

        // Chapter 3's method on iris: SGD at Nielsen's η = 0.5 (the rate the null learning rate means for it) learns it.
        var ml = new MLContext(seed: 1);
        var messages = new List<string>();
        ml.Log += (_, e) => { lock (messages) messages.Add(e.RawMessage); };
        (three.HiddenLayerSizes, three.L2Regularization) = ([10], 0.5); // λ = 5 is for 50,000 images: on 150 rows it is a strong pull to zero
        var model = new BackpropTrainer(ml, three).Fit(TestData.Iris(ml));
        var start = Assert.Single(messages, m => m.StartsWith("Training a ", StringComparison.Ordinal));
        Assert.Contains("with Sgd", start);
        Assert.Contains("η = 0.5", start);
        Assert.Contains("all epochs run", start);
        Assert.Equal(30, model.History.Count);
        Assert.True(ml.MulticlassClassification.Evaluate(model.Transform(TestData.Iris(ml))).MicroAccuracy > 0.9);
    }
}
