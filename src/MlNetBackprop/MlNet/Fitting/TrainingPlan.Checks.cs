using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetBackprop.MlNet.Data;
using MlNetBackprop.MlNet.Scoring;
using MlNetBackprop.Network;
using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Costs;
using MlNetBackprop.Network.Inputs;
using MlNetBackprop.Network.Layers;
using MlNetBackprop.Network.Optimizers;
using MlNetBackprop.Network.Targets;
using MlNetBackprop.Network.Training;

namespace MlNetBackprop.MlNet.Fitting;

/// <summary>
/// The plan's checks of what it is given against what it plans: the options against the task, the label's classes or
/// outputs against what one network scores, a model to continue and validation data against the training data.
/// </summary>
internal sealed partial class TrainingPlan
{
    /// <summary>
    /// The options that cannot go with <paramref name="task"/>, refused with <see cref="ArgumentOutOfRangeException"/>
    /// naming them: the one place of these rules, used when the options name a task and when the data resolves one.
    /// </summary>
    public static void CheckOptions(BackpropTrainer.Options options, BackpropTask task)
    {
        if (task == BackpropTask.MultiLabelClassification && ClassWeightsSet(options) is { } named)
            throw new ArgumentOutOfRangeException(named.Name, named.Value,
                $"Option {named.Name} weighs the classes of one label, not the labels of a multi-label model: leave it unset, and weigh rows with an example weight column.");
        if (!OutputPairing.IsRegression(task)) return;
        if (options.Cost == CostFunction.CrossEntropy)
            throw new ArgumentOutOfRangeException(nameof(BackpropTrainer.Options.Cost), options.Cost,
                "Option Cost = CrossEntropy is not defined for regression: use Quadratic (or leave Cost null).");
        if (ClassWeightsSet(options) is { } weights)
            throw new ArgumentOutOfRangeException(weights.Name, weights.Value,
                $"Option {weights.Name} applies to classification, not regression: leave it unset.");
        if (options.LabelSmoothing > 0)
            throw new ArgumentOutOfRangeException(nameof(BackpropTrainer.Options.LabelSmoothing), options.LabelSmoothing,
                "Option LabelSmoothing applies to classification, not regression: leave it at 0.");
    }

    /// <summary>The class weighting option that is set (ClassWeights, else ClassWeighting), to name in a refusal; null when neither is.</summary>
    private static (string Name, object Value)? ClassWeightsSet(BackpropTrainer.Options options)
        => options.ClassWeights is { } weights ? (nameof(BackpropTrainer.Options.ClassWeights), $"[{string.Join(", ", weights)}]")
            : options.ClassWeighting != ClassWeighting.None ? (nameof(BackpropTrainer.Options.ClassWeighting), options.ClassWeighting)
            : null;

    /// <summary>
    /// Throws <see cref="InvalidOperationException"/> unless <paramref name="initial"/> is a network this plan can train on:
    /// the same task, the same classes (their values, not only their number) and the same layers.
    /// </summary>
    public void CheckWarmStart(BackpropTransformer initial, bool sparse)
    {
        var had = initial.Model.Network.Layout;
        var (selected, bins) = PreparationOf(had);
        var want = LayoutFor(sparse || selected > 0, selected, bins);
        if (initial.Task != Task || !had.SameShape(want))
            throw new InvalidOperationException(
                $"Cannot continue training the given model: it is a {had} network for {initial.Task}, but these options and data make a " +
                $"{want} network for {Task}. Use the options the model was trained with.");
        if (OutputNames is not null && initial.SlotNames is { } slots && !slots.SequenceEqual(OutputNames))
            throw new InvalidOperationException(
                $"Cannot continue training the given model: it was trained on the slots [{string.Join(", ", slots)}] of its label, but label column " +
                $"'{Options.LabelColumnName}' has the slots [{string.Join(", ", OutputNames)}]. Make the label the way the model's was made.");
        if (ClassNames is not null && initial.SlotNames is { } classes && !classes.SequenceEqual(ClassNames))
            throw new InvalidOperationException(
                $"Cannot continue training the given model: it was trained on the classes [{string.Join(", ", classes)}] of its label, but label column " +
                $"'{Options.LabelColumnName}' has the classes [{string.Join(", ", ClassNames)}]. Map the label with the MapValueToKey the model was trained with.");
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> unless validation data of <paramref name="schema"/> has the training data's columns.</summary>
    public void CheckValidationSchema(DataViewSchema schema)
    {
        SchemaChecks.CheckFeatures(schema, Options.FeatureColumnName, InputSize, "of the validation data", "validationData");
        var task = SchemaChecks.ResolveTask(schema, Options.LabelColumnName, Task, "of the validation data", "validationData");
        SchemaChecks.CheckSameWidth(schema[Options.LabelColumnName], Label);
        // Slots are paired by position: a label whose named slots are in another order would teach each output another target.
        if (OutputNames is not null && LabelSlots.NamesIfAny(Label, OutputNames.Length) is { } trained
            && LabelSlots.NamesIfAny(schema[Options.LabelColumnName], OutputNames.Length) is { } validated && !validated.SequenceEqual(trained))
            throw new ArgumentOutOfRangeException("validationData",
                $"Schema mismatch for label column '{Options.LabelColumnName}' of the validation data: expected the slots [{string.Join(", ", trained)}] " +
                $"(as in the training data), got [{string.Join(", ", validated)}]. Make both labels the same way.");
        if (task == BackpropTask.MulticlassClassification
            && !schema[Options.LabelColumnName].Type.Equals(Label.Type))
            throw new ArgumentOutOfRangeException("validationData",
                $"Schema mismatch for label column '{Options.LabelColumnName}' of the validation data: expected {Label.Type} (as in the training data), got {schema[Options.LabelColumnName].Type}. Map both with the same fitted MapValueToKey.");
        SchemaChecks.CheckWeight(schema, Options.ExampleWeightColumnName);
    }

    private static int CountOutputs(DataViewSchema.Column label, string labelName, BackpropTask task)
    {
        int count = SchemaChecks.LabelWidth(label.Type), most = ScoringChain.MostOutputs(task);
        if (count > most)
            throw new ArgumentOutOfRangeException("trainData",
                $"Label column '{labelName}' has {count} {(task == BackpropTask.MultiLabelClassification ? "labels" : "targets")}; BackpropTrainer supports 1 to {most}.");
        return count;
    }

    private static int CountClasses(DataViewSchema.Column label, string labelName)
    {
        ulong count = ((KeyDataViewType)label.Type).Count;
        if (count < 2 || count > MulticlassScores1024.MaxClasses)
            throw new ArgumentOutOfRangeException("trainData",
                $"Label column '{labelName}' has {count} classes; BackpropTrainer supports 2 to {MulticlassScores1024.MaxClasses}.");
        return (int)count;
    }
}
