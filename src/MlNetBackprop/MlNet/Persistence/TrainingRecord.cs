using System.Text.Json;
using System.Text.Json.Serialization;
using MlNetBackprop.Network;
using MlNetBackprop.Network.Storage;
using MlNetBackprop.Network.Targets;

namespace MlNetBackprop.MlNet.Persistence;

/// <summary>
/// What a saved model carries besides the network, so that <see cref="BackpropTransformer.FromModel"/> can give back the
/// transformer that was saved: the task, the feature column and its size, Score's slot names (the classes, targets or
/// labels), the training history and how
/// training ended. Stored as UTF-8 JSON in a record of its own (<see cref="SavedRecords"/>); format 1.
/// </summary>
internal sealed record TrainingRecord(
    BackpropTask Task,
    string FeatureColumnName,
    int InputSize,
    // Stored under the name it had when only multiclass models had slot names: format 1 is frozen.
    [property: JsonPropertyName("ClassNames")] string[]? SlotNames,
    EpochReport[] History,
    TrainingSummary Summary)
{
    /// <summary>The record's kind in its text.</summary>
    public const string Kind = "TrainingRecord";

    /// <summary>The format this version writes, and the newest it reads.</summary>
    public const int Version = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter() },
        // Costs and accuracies are finite, but a diverged run's history may not be: keep them as written.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>
    /// The longest training record text read, in characters (48 MB of JSON: hundreds of thousands of epochs of history);
    /// a longer one is refused before it is decoded, so that a hostile file cannot make a load allocate gigabytes.
    /// </summary>
    public const int MaxTextLength = 64 << 20;

    /// <summary>The record as text.</summary>
    public string ToText() => RecordText.Wrap(Kind, Version, JsonSerializer.SerializeToUtf8Bytes(this, Json));

    /// <summary>A record read back, or <see cref="InvalidDataException"/> for text that is not a whole one.</summary>
    public static TrainingRecord FromText(ReadOnlySpan<char> text)
    {
        if (text.Length > MaxTextLength)
            throw new InvalidDataException($"The model's training record is damaged: {text.Length:N0} characters, more than the {MaxTextLength:N0} any model writes.");
        var (_, bytes) = RecordText.Unwrap(text, Kind, Version);
        TrainingRecord? record;
        try
        {
            record = JsonSerializer.Deserialize<TrainingRecord>(bytes, Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException("The model's training record is damaged.", e);
        }
        if (record is null || record.FeatureColumnName is null || record.History is null || record.Summary is null
            || record.History.Any(h => h is null) || record.SlotNames?.Any(c => c is null) == true)
            throw new InvalidDataException("The model's training record is damaged: a field is missing.");
        if (!Enum.IsDefined(record.Task) || record.Task == BackpropTask.Auto || record.InputSize < 1)
            throw new InvalidDataException($"The model's training record is damaged: task {record.Task}, input size {record.InputSize}.");
        if (record.Task == BackpropTask.MulticlassClassification
            && (record.SlotNames is not { Length: >= 2 } names || names.Distinct(StringComparer.Ordinal).Count() != names.Length))
            throw new InvalidDataException("The model's training record is damaged: a multiclass model needs two or more distinct class names.");
        if (OutputPairing.HasSeveralOutputs(record.Task)
            && (record.SlotNames is not { Length: >= 1 } slots || slots.Distinct(StringComparer.Ordinal).Count() != slots.Length))
            throw new InvalidDataException($"The model's training record is damaged: a {record.Task} model needs one or more distinct slot names.");
        return record;
    }

    /// <summary>
    /// Throws <see cref="InvalidDataException"/> unless <paramref name="network"/> is one this record could describe: the
    /// same input width, and the output layer of the record's task and classes.
    /// </summary>
    public void CheckAgainst(NetworkLayout network)
    {
        if (network.InputSize != InputSize)
            throw new InvalidDataException($"The model's training record and network disagree: the record says {InputSize} features, the network reads {network.InputSize}. The model file is damaged or was edited: load an undamaged copy, or train and save the model again.");
        int? slots = Task == BackpropTask.MulticlassClassification || OutputPairing.HasSeveralOutputs(Task) ? SlotNames?.Length : null;
        if (OutputPairing.Misfit(Task, network.Output, network.OutputSize, slots) is { } misfit)
            throw new InvalidDataException($"The model's training record and network disagree: {misfit}. The model file is damaged or was edited: load an undamaged copy, or train and save the model again.");
    }
}
