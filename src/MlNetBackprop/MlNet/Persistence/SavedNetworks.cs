using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetBackprop.MlNet.Scoring;
using MlNetBackprop.Network;
using MlNetBackprop.Network.Storage;
using MlNetBackprop.Network.Training;

namespace MlNetBackprop.MlNet.Persistence;

/// <summary>
/// Finds the networks in a fitted or loaded model: the <see cref="BackpropTransformer"/>s of a fitted pipeline, and in a
/// model from <c>MLContext.Model.Load</c> the scoring chains <see cref="ScoringChain"/> saved, recognised by the
/// value mapping that holds the model's records.
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
    /// saved chain is recognised whole: a value mapping somewhere inside it yields the model's records, and its last
    /// transform drops the working columns (so a user's chain around it, or a part inside it, is not taken for it).
    /// </summary>
    private static BackpropTransformer? Loaded(IEnumerable<ITransformer> chain)
    {
        var parts = chain.ToList();
        if (parts.Count < 2 || Records(parts) is not { } records) return null;
        TrainingRecord record;
        Predictor predictor;
        ResumeState? resume;
        try
        {
            record = TrainingRecord.FromText(records.TrainingRecord);
            predictor = NetworkSource.Of(records.Network);
            var network = predictor.Network;
            record.CheckAgainst(network.Layout);
            resume = records.ResumeState is { } text
                ? ResumeRecord.FromText(text, network.Parameters.Count, network.Parameters.Sum(p => (long)p.Length))
                : null;
        }
        catch (InvalidDataException e)
        {
            throw new InvalidOperationException(WhatToDo.After(e.Message), e);
        }
        var input = ScoringChain.SchemaOnly(record.FeatureColumnName, record.InputSize).Schema;
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
        return new BackpropTransformer(record.Task, record.FeatureColumnName, record.InputSize, record.SlotNames,
            new NetworkParameters(predictor.Network, predictor.Standardization), record.History, record.Summary, scorer, () => scorer, resume);
    }

    /// <summary>The records inside <paramref name="parts"/>, nested chains included; null when there are none.</summary>
    private static SavedRecords? Records(IEnumerable<ITransformer> parts)
    {
        foreach (var part in parts)
        {
            var records = part is IEnumerable<ITransformer> inner ? Records(inner) : SavedRecords.In(part);
            if (records is not null) return records;
        }
        return null;
    }
}
