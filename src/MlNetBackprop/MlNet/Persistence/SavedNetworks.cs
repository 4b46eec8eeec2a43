using MlNetBackprop.Internal;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetBackprop.MlNet.Data;
using MlNetBackprop.Network.Storage;

namespace MlNetBackprop.MlNet.Persistence;

/// <summary>
/// Finds the networks in a fitted or loaded model: the <see cref="BackpropTransformer"/>s of a fitted pipeline, and in a
/// model from <c>MLContext.Model.Load</c> the scoring chains <see cref="ScoringPipeline"/> saved, recognised by the
/// value mapping that holds the network's text.
/// </summary>
internal static class SavedNetworks
{
    /// <summary>Every trained network in <paramref name="model"/>, in pipeline order, as a transformer.</summary>
    public static List<BackpropTransformer> In(ITransformer model) => Parts(model).OfType<BackpropTransformer>().ToList();

    /// <summary>
    /// The parts of <paramref name="model"/> in pipeline order, nested chains flattened, with each trained network (a
    /// saved scoring chain too) as one <see cref="BackpropTransformer"/>.
    /// </summary>
    public static List<ITransformer> Parts(ITransformer model)
    {
        var parts = new List<ITransformer>();
        void Add(ITransformer part)
        {
            if (part is not BackpropTransformer && part is IEnumerable<ITransformer> chain)
            {
                if (Loaded(chain) is { } loaded) parts.Add(loaded);
                else foreach (var inner in chain) Add(inner);
            }
            else parts.Add(part);
        }
        Add(model);
        return parts;
    }

    /// <summary>
    /// The transformer a loaded scoring chain was saved from, or null when <paramref name="chain"/> is not one. The
    /// saved chain is recognised whole: a value mapping somewhere inside it yields the network's text, and its last
    /// transform drops the working columns (so a user's chain around it, or a part inside it, is not taken for it).
    /// </summary>
    private static BackpropTransformer? Loaded(IEnumerable<ITransformer> chain)
    {
        var parts = chain.ToList();
        if (parts.Count < 2 || Text(parts) is not { } text) return null;
        var stored = NetworkSerializer.FromText(text);
        if (stored.Attachment.Length == 0)
            throw new InvalidOperationException(
                "The model's network was saved by an earlier version of MlNetBackprop, which stored the network but not its task, " +
                "feature column and history: it still loads and scores, but FromModel and ExportToOnnx need a model saved by this version. " +
                "Train it again (or continue training the in-memory transformer) and save it.");
        var card = ModelCard.FromBytes(stored.Attachment);
        var input = ScoringPipeline.SchemaOnly(card.FeatureColumnName, card.InputSize).Schema;
        DataViewSchema beforeLast, output;
        try
        {
            beforeLast = parts.SkipLast(1).Aggregate(input, (schema, part) => part.GetOutputSchema(schema));
            output = parts[^1].GetOutputSchema(beforeLast);
        }
        catch (ArgumentException)
        {
            return null; // the chain needs more than the features: a user's chain around the scoring chain
        }
        if (beforeLast.GetColumnOrNull(ScoringColumns.Model) is null || output.GetColumnOrNull(ScoringColumns.Model) is not null
            || output.GetColumnOrNull(DefaultColumnNames.Score) is null)
            return null;
        var scorer = (ITransformer)chain;
        return new BackpropTransformer(card.Task, card.FeatureColumnName, card.InputSize, card.ClassNames,
            new NetworkParameters(stored.Network, stored.Standardization), card.History, card.Summary, scorer, () => scorer, stored.Checkpoint);
    }

    /// <summary>The network text inside <paramref name="parts"/>, nested chains included; null when there is none.</summary>
    private static string? Text(IEnumerable<ITransformer> parts)
    {
        foreach (var part in parts)
        {
            var text = part is IEnumerable<ITransformer> inner ? Text(inner) : NetworkText(part);
            if (text is not null) return text;
        }
        return null;
    }

    /// <summary>
    /// The network text that <paramref name="part"/> maps the model key to, when it is the value mapping of a saved
    /// scoring chain; null for any other transform. The mapping is asked for its value on one row holding the key.
    /// </summary>
    private static string? NetworkText(ITransformer part)
    {
        var probe = new LookupDataView([(ScoringColumns.ModelKey, NumberDataViewType.UInt32, new uint[] { 0 }, null)]);
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
            return null; // a transform that needs columns the probe lacks (ML.NET's schema mismatch): not the network's mapping
        }
        catch (InvalidOperationException)
        {
            return null;
        }
        var column = mapped.Schema[ScoringColumns.Model];
        using var cursor = mapped.GetRowCursor([column]);
        var getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);
        var value = default(ReadOnlyMemory<char>);
        if (!cursor.MoveNext()) return null;
        getter(ref value);
        return value.ToString();
    }
}
