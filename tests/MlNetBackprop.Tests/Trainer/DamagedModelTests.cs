using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetBackprop.MlNet.Persistence;
using MlNetBackprop.MlNet.Scoring;
using MlNetBackprop.Network;
using MlNetBackprop.Network.Layers;
using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Costs;
using MlNetBackprop.Network.Storage;
using MlNetBackprop.Network.Targets;
using MlNetBackprop.Tests.Network;
using Xunit;

namespace MlNetBackprop.Tests.Trainer;

/// <summary>
/// Model zips made as a hostile or unlucky user would (records with a valid checksum but a damaged content, or that
/// disagree with each other), saved with <c>Model.Save</c> and loaded with <c>Model.Load</c>: scoring and
/// <see cref="BackpropTransformer.FromModel"/> refuse each with a message that says what is wrong and what to do.
/// </summary>
public sealed class DamagedModelTests
{
    private static readonly string[] IrisClasses = ["0", "1", "2"];

    private sealed record Trained(MLContext Ml, IDataView Data, BackpropTransformer Model, TrainingRecord Record);

    private static Trained Iris()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Iris(ml);
        var model = new BackpropTrainer(ml, new BackpropTrainer.Options { HiddenLayerSizes = [8], Epochs = 5, PiecewiseLinearBins = 0 }).Fit(data);
        var record = new TrainingRecord(model.Task, "Features", 4, IrisClasses, model.History.ToArray(), model.Summary);
        return new Trained(ml, data, model, record);
    }

    /// <summary>The model zip a user would receive: the scoring chain carrying these records, saved and loaded.</summary>
    private static ITransformer SavedAndLoaded(MLContext ml, BackpropTask task, string network, string record, int inputSize = 4, string? resume = null,
        string[]? slots = null)
    {
        var chain = ScoringChain.Create(ml, task, "Features", new SavedRecords(network, record, resume),
                slots ?? (task == BackpropTask.MulticlassClassification ? IrisClasses : null))
            .Fit(ScoringChain.SchemaOnly("Features", inputSize));
        using var stream = new MemoryStream();
        ml.Model.Save(chain, ScoringChain.SchemaOnly("Features", inputSize).Schema, stream);
        stream.Position = 0;
        return ml.Model.Load(stream, out _);
    }

    /// <summary>The messages of the exception and its inner ones (ML.NET wraps what a cursor's worker thread throws).</summary>
    private static string Message(Action action)
    {
        Exception? e = Assert.Throws<InvalidOperationException>(action);
        var messages = new List<string>();
        for (; e is not null; e = e.InnerException) messages.Add(e.Message);
        return string.Join(" | ", messages);
    }

    /// <summary>The record of <paramref name="network"/> with every weight and bias replaced as <paramref name="replace"/> says; the network is left as it was.</summary>
    private static string RecordWithEveryNumber(FeedForwardNetwork<float> network, Func<float, float> replace)
    {
        var saved = network.Parameters.Select(p => p.Values.ToArray()).ToArray();
        foreach (var parameter in network.Parameters)
            foreach (ref float v in parameter.Values.Span) v = replace(v);
        string text = NetworkRecord.ToText(network, LabelStandardization.None);
        for (int i = 0; i < saved.Length; i++) saved[i].CopyTo(network.Parameters[i].Values);
        return text;
    }

    private static void Score(ITransformer model, IDataView data, string column = "Score")
        => _ = model.Transform(data).GetColumn<float[]>(column).ToArray();

    [Fact]
    public void An_undamaged_crafted_model_scores_as_the_trained_one()
    {
        // The harness itself: the same records as the trainer writes score the same numbers.
        var (ml, data, model, record) = Iris();
        var loaded = SavedAndLoaded(ml, model.Task, NetworkRecord.ToText(model.Model.Network, LabelStandardization.None), record.ToText());
        Assert.Equal(model.Transform(data).GetColumn<float[]>("Score").ToArray(), loaded.Transform(data).GetColumn<float[]>("Score").ToArray());
        Assert.Equal(3, BackpropTransformer.FromModel(loaded).SlotNames!.Count);
    }

    [Fact]
    public void A_NaN_weight_behind_a_valid_checksum_is_refused_at_the_first_row_and_by_FromModel()
    {
        var (ml, data, model, record) = Iris();
        var bytes = NetworkRecord.ToBytes(model.Model.Network, LabelStandardization.None);
        BitConverter.GetBytes(float.NaN).CopyTo(bytes, bytes.Length - 8);
        var loaded = SavedAndLoaded(ml, model.Task, RecordText.Wrap(NetworkRecord.Kind, NetworkRecord.Version, bytes), record.ToText());
        Assert.Contains("NaN or infinite", Message(() => Score(loaded, data)));
        string message = Message(() => BackpropTransformer.FromModel(loaded));
        Assert.Contains("NaN or infinite", message);
        Assert.Contains("Load an undamaged copy of the model, or train and save it again.", message);
    }

    [Fact]
    public void Finite_weights_too_large_to_compute_with_are_refused_at_the_first_row_not_scored_as_NaN()
    {
        // Every weight and bias finite (the reader checks that), but so large that the products overflow single precision.
        var (ml, data, model, record) = Iris();
        var loaded = SavedAndLoaded(ml, model.Task, RecordWithEveryNumber(model.Model.Network, v => v >= 0 ? 3e38f : -3e38f), record.ToText());
        string message = Message(() => Score(loaded, data));
        Assert.Contains("computed NaN or infinity from finite features", message);
        Assert.Contains("load an undamaged copy", message);
        // A NaN feature is the row's own: it scores NaN, as ML.NET's trainers do, without a word.
        var nanRow = ml.Data.LoadFromEnumerable(new[] { new FromModelTests.IrisFeatures { Features = [float.NaN, 0.5f, 0.5f, 0.5f] } });
        Assert.Contains(loaded.Transform(nanRow).GetColumn<float[]>("Score").Single(), float.IsNaN);
    }

    [Fact]
    public void A_binary_score_that_overflows_to_infinity_is_refused_although_its_probability_is_finite()
    {
        // Binary's Score is z itself: weights of 3e38 make it infinite while σ(z) is 1, a finite number.
        var (ml, data, _, _) = Iris();
        var binaryData = ml.Transforms.CustomMapping<FromModelTests.IrisKey, FromModelTests.BinaryLabel>((i, o) => o.IsVirginica = i.Label == 3, null).Fit(data).Transform(data);
        var model = ml.BinaryClassification.Trainers.Backprop(new BackpropTrainer.Options { HiddenLayerSizes = [4], Epochs = 2, LabelColumnName = nameof(FromModelTests.BinaryLabel.IsVirginica) }).Fit(binaryData);
        var record = new TrainingRecord(model.Task, "Features", 4, null, model.History.ToArray(), model.Summary);
        var loaded = SavedAndLoaded(ml, model.Task, RecordWithEveryNumber(model.Model.Network, _ => 3e38f), record.ToText());
        Assert.Contains("computed NaN or infinity from finite features", Message(() => _ = loaded.Transform(data).GetColumn<float>("Score").ToArray()));
    }

    [Fact]
    public void An_output_layer_of_another_width_than_the_classes_is_refused_by_FromModel()
    {
        var (ml, data, model, record) = Iris();
        var wider = Engine.Network<float>(NetworkLayout.FullyConnected([4, 8, 4], [ActivationKind.Relu, ActivationKind.Softmax], CostKind.LogLikelihood), 1);
        var loaded = SavedAndLoaded(ml, model.Task, NetworkRecord.ToText(wider, LabelStandardization.None), record.ToText());
        string message = Message(() => BackpropTransformer.FromModel(loaded));
        Assert.Contains("the model has 3 classes, but its network has 4 outputs", message);
        Assert.Contains("load an undamaged copy", message);
    }

    [Fact]
    public void A_network_that_does_not_fit_the_task_is_refused_at_the_first_row()
    {
        var (ml, data, _, _) = Iris();
        // A regression chain around a 3-output softmax network: scores would be the first class's probability.
        var softmax = Engine.Network<float>(NetworkLayout.FullyConnected([4, 8, 3], [ActivationKind.Relu, ActivationKind.Softmax], CostKind.LogLikelihood), 1);
        var record = new TrainingRecord(BackpropTask.Regression, "Features", 4, null, [], new TrainingSummary { EpochsRun = 0, StoppedEarly = false, RestoredBestWeights = false });
        var loaded = SavedAndLoaded(ml, BackpropTask.Regression, NetworkRecord.ToText(softmax, LabelStandardization.None), record.ToText());
        Assert.Contains("a regression model has one linear output, but this network has 3 Softmax outputs",
            Message(() => _ = loaded.Transform(data).GetColumn<float>("Score").ToArray()));
        Assert.Contains("a regression model has one linear output", Message(() => BackpropTransformer.FromModel(loaded)));
        // A multiclass chain around a network of more outputs than its scoring rows hold.
        var wide = Engine.Network<float>(NetworkLayout.FullyConnected([4, 20], [ActivationKind.Softmax], CostKind.LogLikelihood), 1);
        var multiclass = SavedAndLoaded(ml, BackpropTask.MulticlassClassification, NetworkRecord.ToText(wide, LabelStandardization.None), Iris().Record.ToText());
        Assert.Contains("scores 2 to 16 classes, but this network has 20 outputs", Message(() => Score(multiclass, data)));
    }

    [Fact]
    public void A_training_record_that_disagrees_with_the_network_or_lacks_a_field_is_refused_by_FromModel()
    {
        var (ml, _, model, record) = Iris();
        string network = NetworkRecord.ToText(model.Model.Network, LabelStandardization.None);
        var otherInput = SavedAndLoaded(ml, model.Task, network, (record with { InputSize = 5 }).ToText(), inputSize: 5);
        Assert.Contains("the record says 5 features, the network reads 4", Message(() => BackpropTransformer.FromModel(otherInput)));
        var noHistory = SavedAndLoaded(ml, model.Task, network, (record with { History = null! }).ToText());
        Assert.Contains("a field is missing", Message(() => BackpropTransformer.FromModel(noHistory)));
        var oneClass = SavedAndLoaded(ml, model.Task, network, (record with { SlotNames = ["0", "0", "1"] }).ToText());
        Assert.Contains("two or more distinct class names", Message(() => BackpropTransformer.FromModel(oneClass)));
        var binary = SavedAndLoaded(ml, model.Task, network, (record with { Task = BackpropTask.BinaryClassification }).ToText());
        Assert.Contains("a binary classification model has one sigmoid output", Message(() => BackpropTransformer.FromModel(binary)));
    }

    [Fact]
    public void A_multi_output_record_whose_targets_are_not_the_networks_outputs_is_refused_and_its_missing_slots_score_NaN()
    {
        var ml = new MLContext(seed: 1);
        var (_, data, _, _) = Iris();
        // A network of 2 linear outputs, saved in a chain that names 3 targets, with a record that says 3 targets.
        var network = Engine.Network<float>(NetworkLayout.Uniform([4, 5, 2], ActivationKind.Relu, ActivationKind.Identity, CostKind.Quadratic), 3);
        string text = NetworkRecord.ToText(network, new LabelStandardization([1f, 2f], [3f, 4f]));
        string[] three = ["a", "b", "c"];
        var record = new TrainingRecord(BackpropTask.MultiOutputRegression, "Features", 4, three, [], new TrainingSummary { EpochsRun = 0, StoppedEarly = false, RestoredBestWeights = false });
        var loaded = SavedAndLoaded(ml, BackpropTask.MultiOutputRegression, text, record.ToText(), slots: three);
        Assert.Contains("the model has 3 targets, but its network has 2 outputs", Message(() => BackpropTransformer.FromModel(loaded)));
        Assert.All(TestData.Vectors(loaded.Transform(data), "Score"), score => Assert.True(float.IsNaN(score[2]) && float.IsFinite(score[0]) && float.IsFinite(score[1])));
        // The same network without its scaling back to the targets' units: refused, not scored in standardised units.
        var unscaled = SavedAndLoaded(ml, BackpropTask.MultiOutputRegression, NetworkRecord.ToText(network, LabelStandardization.None), (record with { SlotNames = ["a", "b"] }).ToText(), slots: ["a", "b"]);
        Assert.Contains("its 2 regression outputs have 0 scalings back to the targets' units", Message(() => Score(unscaled, data)));
        // Slot names that repeat, or a linear network saved as multi-label.
        var twice = SavedAndLoaded(ml, BackpropTask.MultiOutputRegression, text, (record with { SlotNames = ["a", "a"] }).ToText(), slots: ["a", "b"]);
        Assert.Contains("one or more distinct slot names", Message(() => BackpropTransformer.FromModel(twice)));
        var labels = SavedAndLoaded(ml, BackpropTask.MultiLabelClassification, text, (record with { Task = BackpropTask.MultiLabelClassification, SlotNames = ["a", "b"] }).ToText(), slots: ["a", "b"]);
        Assert.Contains("a multi-label model has sigmoid outputs", Message(() => BackpropTransformer.FromModel(labels)));
        Assert.Contains("a multi-label model has sigmoid outputs", Message(() => Score(labels, data)));
    }

    [Fact]
    public void Outputs_each_finite_are_scored_even_where_their_sum_would_overflow()
    {
        // Three linear outputs of 1.5e38 each (the largest float is 3.4e38): a damaged-model check on their sum would refuse them.
        var ml = new MLContext(seed: 1);
        var (_, data, _, _) = Iris();
        var network = Engine.Network<float>(NetworkLayout.Uniform([4, 2, 3], ActivationKind.Relu, ActivationKind.Identity, CostKind.Quadratic), 3);
        foreach (var parameter in network.Parameters.Skip(2)) parameter.Values.Span.Fill(parameter.Role == ParameterRole.Biases ? 1.5e38f : 0f);
        string[] three = ["a", "b", "c"];
        var record = new TrainingRecord(BackpropTask.MultiOutputRegression, "Features", 4, three, [], new TrainingSummary { EpochsRun = 0, StoppedEarly = false, RestoredBestWeights = false });
        var loaded = SavedAndLoaded(ml, BackpropTask.MultiOutputRegression, NetworkRecord.ToText(network, new LabelStandardization([0f, 0f, 0f], [1f, 1f, 1f])), record.ToText(), slots: three);
        Assert.All(TestData.Vectors(loaded.Transform(data), "Score"), score => Assert.Equal([1.5e38f, 1.5e38f, 1.5e38f], score));
    }

    [Fact]
    public void Records_longer_than_any_the_network_needs_are_refused_before_they_are_decoded()
    {
        var (_, _, model, _) = Iris();
        var network = model.Model.Network;
        long before = GC.GetAllocatedBytesForCurrentThread();
        string huge = "MlNetBackprop.TrainingRecord;v1;sha256=00;" + new string('A', TrainingRecord.MaxTextLength);
        long text = GC.GetAllocatedBytesForCurrentThread() - before;
        string resume = "MlNetBackprop.ResumeState;v1;sha256=00;" + new string('A', 1 << 20);
        before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Contains("more than the", Assert.Throws<InvalidDataException>(() => TrainingRecord.FromText(huge)).Message);
        Assert.Contains("more than a state of this network's", Assert.Throws<InvalidDataException>(
            () => ResumeRecord.FromText(resume, network.Parameters.Count, network.Parameters.Sum(p => (long)p.Length))).Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < text / 100, "the refusal decoded the text");
    }
}
