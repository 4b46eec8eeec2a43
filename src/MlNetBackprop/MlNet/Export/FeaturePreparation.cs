using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace MlNetBackprop.MlNet.Export;

/// <summary>
/// The part of a pipeline that the network's features depend on: walking back from the feature column, the transforms
/// that make a column the features are made from, and nothing else (the label's mappings, weights, columns the network
/// never reads are left out, whatever they are). Columns are followed by their place in each schema, not by name, so a
/// transform that writes a column in place, hiding the one it read, is followed to the column it read.
/// </summary>
internal static class FeaturePreparation
{
    /// <summary>
    /// The transforms among <paramref name="parts"/> (those before the network, in order) that the column
    /// <paramref name="featureColumnName"/> after the last of them depends on, in pipeline order, and the columns of the
    /// data it is made from.
    /// </summary>
    /// <param name="parts">The fitted transforms in front of the network.</param>
    /// <param name="input">The schema of the data the pipeline reads.</param>
    /// <param name="featureColumnName">The network's feature column.</param>
    public static (List<ITransformer> Parts, HashSet<string> RawColumns) Of(IReadOnlyList<ITransformer> parts, DataViewSchema input, string featureColumnName)
    {
        var schemas = new List<DataViewSchema> { input };
        foreach (var part in parts) schemas.Add(part.GetOutputSchema(schemas[^1]));
        var features = schemas[^1].GetColumnOrNull(featureColumnName)
            ?? throw new InvalidOperationException($"The pipeline in front of the network makes no column '{featureColumnName}', which the network reads.");

        // The columns still to be traced, by their index in the schema after part k. A transform that only adds columns
        // keeps its input's at their indices (hidden when written over in place) and adds its own after them: a column at
        // an index below the input's count passes it by. Any other (one that drops, selects or reorders columns) is
        // followed through its dependencies for every column, and kept unless it only selects columns.
        var needed = new HashSet<int> { features.Index };
        var kept = new List<ITransformer>();
        for (int k = parts.Count - 1; k >= 0 && needed.Count > 0; k--)
        {
            var (before, after) = (schemas[k], schemas[k + 1]);
            bool adds = after.Count >= before.Count
                && Enumerable.Range(0, before.Count).All(j => after[j].Name == before[j].Name && after[j].Type.Equals(before[j].Type));
            if (adds && needed.All(i => i < before.Count)) continue;
            var made = needed.Select(i => after[i]).ToArray();
            needed.Clear();
            // A selection (SelectColumns, DropColumns) computes nothing: it is followed, not kept, since it may name
            // columns (the label) that the parts left out make.
            if (parts[k] is not ColumnSelectingTransformer) kept.Add(parts[k]);
            foreach (var source in parts[k].GetRowToRowMapper(before).GetDependencies(made))
                needed.Add(source.Index);
        }
        kept.Reverse();
        return (kept, needed.Select(i => input[i].Name).ToHashSet());
    }
}
