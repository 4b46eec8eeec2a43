using System.Text.Json;
using System.Text.Json.Serialization;
using MlNetBackprop.Network.Storage;

namespace MlNetBackprop.MlNet.Persistence;

/// <summary>
/// What a saved model carries besides the network, so that <see cref="BackpropTransformer.FromModel"/> can give back the
/// transformer that was saved: the task, the feature column and its size, the class names, the training history and how
/// training ended. Stored as UTF-8 JSON in a record of its own (<see cref="SavedRecords"/>); format 1.
/// </summary>
internal sealed record TrainingRecord(
    BackpropTask Task,
    string FeatureColumnName,
    int InputSize,
    string[]? ClassNames,
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

    /// <summary>The record as text.</summary>
    public string ToText() => RecordText.Wrap(Kind, Version, JsonSerializer.SerializeToUtf8Bytes(this, Json));

    /// <summary>A record read back, or <see cref="InvalidDataException"/> for text that is not a whole one.</summary>
    public static TrainingRecord FromText(ReadOnlySpan<char> text)
    {
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
            || record.History.Any(h => h is null) || record.ClassNames?.Any(c => c is null) == true)
            throw new InvalidDataException("The model's training record is damaged: a field is missing.");
        if (!Enum.IsDefined(record.Task) || record.Task == BackpropTask.Auto || record.InputSize < 1)
            throw new InvalidDataException($"The model's training record is damaged: task {record.Task}, input size {record.InputSize}.");
        return record;
    }
}
