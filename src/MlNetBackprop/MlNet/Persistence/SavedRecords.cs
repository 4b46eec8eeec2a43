using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetBackprop.MlNet.Data;
using MlNetBackprop.MlNet.Scoring;

namespace MlNetBackprop.MlNet.Persistence;

/// <summary>
/// The records a saved model carries, each its own text, under its own key in the scoring chain's value mapping: the
/// network (key <see cref="NetworkKey"/>, the only one scoring reads), the training record (what <c>FromModel</c> gives
/// back besides the network) and, when the trainer was asked to keep it, the resume state. Splitting them keeps
/// scoring from decoding anything but the network.
/// </summary>
/// <param name="Network">The network's text (<see cref="Network.Storage.NetworkRecord"/>), or the in-memory marker.</param>
/// <param name="TrainingRecord">The training record's text (<see cref="Persistence.TrainingRecord"/>); empty in memory.</param>
/// <param name="ResumeState">The resume state's text (<see cref="Network.Storage.ResumeRecord"/>), or null when not kept.</param>
internal sealed record SavedRecords(string Network, string TrainingRecord, string? ResumeState)
{
    /// <summary>The key of the network's text: the one every row looks up.</summary>
    public const uint NetworkKey = 0;

    /// <summary>The key of the training record's text.</summary>
    public const uint TrainingRecordKey = 1;

    /// <summary>The key of the resume state's text.</summary>
    public const uint ResumeStateKey = 2;

    private const string LookupKey = "Key";
    private const string LookupValue = "Value";

    /// <summary>The records of a fitted transformer's in-memory chain: a marker in place of the network, nothing else.</summary>
    public static SavedRecords InMemory { get; } = new(NetworkSource.InMemoryMarker, string.Empty, null);

    /// <summary>The value mapping that adds the network's text to every row under <see cref="ScoringColumns.Model"/>, holding every record.</summary>
    public IEstimator<ITransformer> Mapping(MLContext ml)
    {
        var keys = new List<uint> { NetworkKey, TrainingRecordKey };
        var texts = new List<ReadOnlyMemory<char>> { Network.AsMemory(), TrainingRecord.AsMemory() };
        if (ResumeState is not null)
        {
            keys.Add(ResumeStateKey);
            texts.Add(ResumeState.AsMemory());
        }
        var lookup = new LookupDataView([
            (LookupKey, NumberDataViewType.UInt32, keys.ToArray(), null),
            (LookupValue, TextDataViewType.Instance, texts.ToArray(), null),
        ]);
        return ml.Transforms.Conversion.MapValue(ScoringColumns.Model, lookup, lookup.Schema[LookupKey], lookup.Schema[LookupValue], ScoringColumns.ModelKey);
    }

    /// <summary>
    /// The records <paramref name="part"/> holds, when it is the value mapping of a saved scoring chain; null for any
    /// other transform. The mapping is asked for its value on one row per key.
    /// </summary>
    public static SavedRecords? In(ITransformer part)
    {
        var probe = new LookupDataView([(ScoringColumns.ModelKey, NumberDataViewType.UInt32, new[] { NetworkKey, TrainingRecordKey, ResumeStateKey }, null)]);
        IDataView mapped;
        try
        {
            var schema = part.GetOutputSchema(probe.Schema);
            if (schema.GetColumnOrNull(ScoringColumns.Model) is not { Type: TextDataViewType }
                || probe.Schema.GetColumnOrNull(ScoringColumns.Model) is not null)
                return null;
            mapped = part.Transform(probe);
        }
        catch (ArgumentException)
        {
            return null; // a transform that needs columns the probe lacks (ML.NET's schema mismatch): not the records' mapping
        }
        catch (InvalidOperationException)
        {
            return null;
        }
        var column = mapped.Schema[ScoringColumns.Model];
        using var cursor = mapped.GetRowCursor([column]);
        var getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);
        var texts = new string[3];
        var value = default(ReadOnlyMemory<char>);
        for (int key = 0; key < texts.Length && cursor.MoveNext(); key++)
        {
            getter(ref value);
            texts[key] = Text(value);
        }
        return texts[NetworkKey] is { Length: > 0 } network
            ? new SavedRecords(network, texts[TrainingRecordKey] ?? string.Empty, string.IsNullOrEmpty(texts[ResumeStateKey]) ? null : texts[ResumeStateKey])
            : null;
    }

    /// <summary>The string behind a mapped value: the lookup's own when the value is all of it (no copy), else a copy.</summary>
    private static string Text(ReadOnlyMemory<char> value)
        => System.Runtime.InteropServices.MemoryMarshal.TryGetString(value, out var text, out int start, out int length) && start == 0 && length == text.Length
            ? text
            : value.ToString();
}
