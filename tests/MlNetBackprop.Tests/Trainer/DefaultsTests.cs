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
        var start = messages.First(m => m.StartsWith("Training a ", StringComparison.Ordinal));
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
    public void On_ten_thousand_rows_or_more_with_the_encoding_set_the_defaults_keep_every_row_and_stop_when_the_training_cost_stalls()
    {
        // Labels independent of the features: the training cost settles at once and stops falling.
        var random = new Random(5);
        var rows = Enumerable.Range(0, BackpropTrainer.AutomaticEarlyStoppingRows).Select(_ => new NoiseRow
        {
            Features = [(float)random.NextDouble(), (float)random.NextDouble(), (float)random.NextDouble()],
            Label = random.Next(2) == 1,
        }).ToList();
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.BinaryClassification.Trainers.Backprop(new BackpropTrainer.Options { HiddenLayerSizes = [2], PiecewiseLinearBins = 0 }).Fit(data);
        Assert.All(model.History, h => Assert.Null(h.ValidationLoss));
        Assert.True(model.Summary.StoppedEarly, "training ran all its epochs");
        Assert.True(model.History.Count < BackpropTrainer.DefaultEpochs, $"{model.History.Count} epochs");

        // With the encoding left to validation (the default) the same rows set a validation split aside to choose on.
        var messages = new List<string>();
        ml.Log += (_, e) => { lock (messages) messages.Add(e.RawMessage); };
        var chosen = ml.BinaryClassification.Trainers.Backprop(hiddenLayerSizes: [2]).Fit(data);
        Assert.All(chosen.History, h => Assert.NotNull(h.ValidationLoss));
        Assert.Contains(messages, m => m.StartsWith("Early stopping: set aside 1000 of 10000", StringComparison.Ordinal));
        Assert.Single(messages, m => m.StartsWith("Kept the ", StringComparison.Ordinal));
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
        var model = new BackpropTrainer(ml, new BackpropTrainer.Options { HiddenLayerSizes = [3], Epochs = 1, PiecewiseLinearBins = 0 }).Fit(TestData.Iris(ml));
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

    public sealed class StepRow
    {
        [VectorType(3)] public float[] Features { get; set; } = [];
        public float Label { get; set; }
    }

    /// <summary>A target that moves in 12 steps of its first feature (a tree's kind of table), the other two noise.</summary>
    internal static IDataView Steps(MLContext ml, int rows, int seed)
    {
        var random = new Random(seed);
        return ml.Data.LoadFromEnumerable(Enumerable.Range(0, rows).Select(_ =>
        {
            float x = (float)random.NextDouble();
            return new StepRow { Features = [x, (float)random.NextDouble(), (float)random.NextDouble()], Label = MathF.Floor(12 * x) % 3 };
        }).ToList());
    }

    /// <summary>The two validation losses of the log's "Kept the ..." line: the kept network's, then the other's.</summary>
    private static (double Kept, double Other, bool Encoded) Choice(List<string> messages)
    {
        string kept = Assert.Single(messages, m => m.StartsWith("Kept the ", StringComparison.Ordinal));
        var numbers = System.Text.RegularExpressions.Regex.Matches(kept, @"validation loss (\S+) against (\S+) for");
        var values = numbers[0].Groups;
        return (double.Parse(values[1].Value, System.Globalization.CultureInfo.InvariantCulture),
            double.Parse(values[2].Value, System.Globalization.CultureInfo.InvariantCulture), kept.Contains("piecewise-linear", StringComparison.Ordinal)
            && kept.IndexOf("piecewise-linear", StringComparison.Ordinal) < kept.IndexOf("validation loss", StringComparison.Ordinal));
    }

    [Fact]
    public void With_the_encoding_left_to_validation_Fit_keeps_the_encoded_network_where_validation_shows_it_better()
    {
        var ml = new MLContext(seed: 1);
        var messages = new List<string>();
        ml.Log += (_, e) => { lock (messages) messages.Add(e.RawMessage); };
        var train = Steps(ml, 800, 1);
        var model = ml.Regression.Trainers.Backprop().Fit(train);

        Assert.Equal(2, messages.Count(m => m.StartsWith("Training a ", StringComparison.Ordinal)));
        Assert.Contains(messages, m => m.StartsWith("Training a ", StringComparison.Ordinal) && m.Contains("early stopping after 50 epochs", StringComparison.Ordinal));
        var (kept, other, encoded) = Choice(messages);
        Assert.True(kept <= other, $"kept {kept}, other {other}");
        // Steps are what the encoding is for: its network fits them better, and is the one kept (its first layer reads the
        // 3 features and their bins).
        Assert.True(encoded, Assert.Single(messages, m => m.StartsWith("Kept the ", StringComparison.Ordinal)));
        Assert.True(model.Model.LayerSizes[0] > 3, $"first layer reads {model.Model.LayerSizes[0]} inputs");
        var test = Steps(ml, 400, 2);
        double encodedR2 = ml.Regression.Evaluate(model.Transform(test)).RSquared;
        var plain = new BackpropTrainer(ml, new BackpropTrainer.Options { PiecewiseLinearBins = 0 }).Fit(train);
        double plainR2 = ml.Regression.Evaluate(plain.Transform(test)).RSquared;
        Assert.True(encodedR2 > plainR2, $"encoded R² {encodedR2}, plain {plainR2}");

        // The kept network is saved and loaded like any other.
        using var stream = new MemoryStream();
        ml.Model.Save(model, train.Schema, stream);
        stream.Position = 0;
        var loaded = ml.Model.Load(stream, out _);
        Assert.Equal(model.Transform(test).GetColumn<float>("Score"), loaded.Transform(test).GetColumn<float>("Score"));

        // A warm start at the defaults goes on with the kept (encoded) network, and trains it alone.
        messages.Clear();
        var continued = new BackpropTrainer(ml, new BackpropTrainer.Options { Epochs = 5 }).Fit(train, null, model);
        Assert.Equal(model.Model.LayerSizes, continued.Model.LayerSizes);
        Assert.Single(messages, m => m.StartsWith("Training a ", StringComparison.Ordinal));
    }

    [Fact]
    public void The_plain_network_alone_trains_where_the_encoding_is_set_or_cannot_apply()
    {
        var ml = new MLContext(seed: 1);
        var train = Steps(ml, 600, 3);
        int Runs(BackpropTrainer.Options options)
        {
            var messages = new List<string>();
            var context = new MLContext(seed: 1);
            context.Log += (_, e) => { lock (messages) messages.Add(e.RawMessage); };
            new BackpropTrainer(context, options).Fit(train);
            Assert.Equal(messages.Any(m => m.StartsWith("Kept the ", StringComparison.Ordinal)), messages.Count(m => m.StartsWith("Training a ", StringComparison.Ordinal)) == 2);
            return messages.Count(m => m.StartsWith("Training a ", StringComparison.Ordinal));
        }
        Assert.Equal(2, Runs(new BackpropTrainer.Options()));
        Assert.Equal(1, Runs(new BackpropTrainer.Options { PiecewiseLinearBins = 0 }));
        Assert.Equal(1, Runs(new BackpropTrainer.Options { PiecewiseLinearBins = 8 }));
        Assert.Equal(1, Runs(new BackpropTrainer.Options { EarlyStopping = false }));        // no validation split to choose on
        Assert.Equal(1, Runs(new BackpropTrainer.Options { StandardizeFeatures = false }));
        Assert.Equal(1, Runs(BackpropTrainer.Options.NielsenChapter3()));
        Assert.Equal(1, Runs(new BackpropTrainer.Options { ValidationFraction = 0.05 }));   // 30 validation rows: too few to choose on

        // Left to validation, with the plain network kept, the model is the plain network trained alone, bit for bit.
        var xor = TestData.Xor(ml);   // 0/1 features only: there is nothing to encode
        var auto = new MLContext(seed: 2).BinaryClassification.Trainers.Backprop().Fit(xor);
        var alone = new BackpropTrainer(new MLContext(seed: 2), new BackpropTrainer.Options { PiecewiseLinearBins = 0 }).Fit(xor);
        Assert.Equal(alone.Model.GetWeights(0).ToArray(), auto.Model.GetWeights(0).ToArray());
        Assert.Equal(alone.History.Select(h => h.Loss), auto.History.Select(h => h.Loss));
    }

    [Fact]
    public void Label_smoothing_left_open_is_a_tenth_for_multiclass_and_none_for_binary()
    {
        float[] Weights(IDataView data, double? smoothing)
            => new BackpropTrainer(new MLContext(seed: 3), new BackpropTrainer.Options { HiddenLayerSizes = [4], Epochs = 3, EarlyStopping = false, LabelSmoothing = smoothing })
                .Fit(data).Model.GetWeights(1).ToArray();
        var ml = new MLContext(seed: 1);
        var iris = TestData.Iris(ml);
        Assert.Equal(Weights(iris, BackpropTrainer.AutomaticLabelSmoothing), Weights(iris, null));
        Assert.NotEqual(Weights(iris, 0), Weights(iris, null));
        var xor = TestData.Xor(ml);
        Assert.Equal(Weights(xor, 0), Weights(xor, null));
        Assert.NotEqual(Weights(xor, 0.1), Weights(xor, null));
    }

    [Fact]
    public void Classic_is_the_plain_network_alone_without_label_smoothing()
    {
        var messages = new List<string>();
        var ml = new MLContext(seed: 4);
        ml.Log += (_, e) => { lock (messages) messages.Add(e.RawMessage); };
        var train = Steps(new MLContext(seed: 0), 800, 1);
        var classic = ml.Regression.Trainers.Backprop(BackpropTrainer.Options.Classic()).Fit(train);
        Assert.Single(messages, m => m.StartsWith("Training a ", StringComparison.Ordinal));
        var plain = new BackpropTrainer(new MLContext(seed: 4), new BackpropTrainer.Options { PiecewiseLinearBins = 0, LabelSmoothing = 0 }).Fit(train);
        Assert.Equal(plain.Model.GetWeights(0).ToArray(), classic.Model.GetWeights(0).ToArray());
        Assert.NotSame(BackpropTrainer.Options.Classic(), BackpropTrainer.Options.Classic());
    }
}
