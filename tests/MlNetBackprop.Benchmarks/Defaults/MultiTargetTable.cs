using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetBackprop.Benchmarks.Defaults;

/// <summary>
/// One row of a multi-output or multi-label table: the features as in <see cref="TableRow"/>, up to
/// <see cref="MultiTargetTable.MostTargets"/> targets as numbers (regression) and as flags (multi-label), and its fold.
/// The schema of <see cref="MultiTargetTable.Schema"/> names the used target columns after the table's targets.
/// </summary>
public sealed class MultiTargetRow
{
    /// <summary>The numeric columns, NaN where a value is missing (one placeholder slot when the table has none).</summary>
    public float[] Numbers { get; set; } = [];

    /// <summary>The categorical columns as text (one empty slot when the table has none).</summary>
    public string[] Categories { get; set; } = [];

    /// <summary>The first target's value (regression), NaN where missing.</summary>
    public float Target0 { get; set; }

    /// <summary>The second target's value.</summary>
    public float Target1 { get; set; }

    /// <summary>The third target's value.</summary>
    public float Target2 { get; set; }

    /// <summary>The first label (multi-label).</summary>
    public bool Flag0 { get; set; }

    /// <summary>The second label.</summary>
    public bool Flag1 { get; set; }

    /// <summary>The third label.</summary>
    public bool Flag2 { get; set; }

    /// <summary>The fold that tests this row (row i in fold i mod 5).</summary>
    public int Fold { get; set; }
}

/// <summary>A table of <c>tables.json</c> with several targets: "multi-output" (numbers) or "multi-label" (flags).</summary>
public sealed record MultiTargetTable(string Name, bool MultiLabel, string[] Targets, string[] NumericColumns,
    string[] CategoricalColumns, List<MultiTargetRow> Rows)
{
    /// <summary>The most targets a row holds (the manifest's tables have two or three).</summary>
    public const int MostTargets = 3;

    /// <summary>Whether a target value is missing in some row (regression; a missing label is refused when reading).</summary>
    public bool HasMissingTargets => Rows.Any(r => float.IsNaN(r.Target0) || float.IsNaN(r.Target1) || float.IsNaN(r.Target2));

    /// <summary>
    /// The schema of the rows: the vector sizes, and the targets' columns named after the targets (Target0… for
    /// regression, Flag0… for multi-label), so that the concatenated label's slots carry the targets' names.
    /// </summary>
    public SchemaDefinition Schema()
    {
        var definition = SchemaDefinition.Create(typeof(MultiTargetRow));
        definition[nameof(MultiTargetRow.Numbers)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Rows[0].Numbers.Length);
        definition[nameof(MultiTargetRow.Categories)].ColumnType = new VectorDataViewType(TextDataViewType.Instance, Rows[0].Categories.Length);
        for (int j = 0; j < Targets.Length; j++)
            definition[(MultiLabel ? "Flag" : "Target") + j].ColumnName = Targets[j];
        return definition;
    }
}

public static partial class BenchmarkTables
{
    /// <summary>The multi-output and multi-label tables of <c>tabular/tables.json</c>, by name.</summary>
    public static IReadOnlyList<(string Name, Func<MultiTargetTable> Load)> MultiTarget { get; } =
        [.. ManifestEntries().Where(e => e.Task is "multi-output" or "multi-label")
            .Select(entry => (entry.Name, (Func<MultiTargetTable>)(() => MultiTargetFromManifest(entry))))];

    /// <summary>
    /// A multi-target table: numbers as in <see cref="Build"/> ("" or NA missing); targets as numbers, or labels as flags
    /// from 1/0, yes/no or true/false. None of the tables lacks a label, so a missing one is refused rather than handled.
    /// </summary>
    private static MultiTargetTable MultiTargetFromManifest(ManifestEntry entry)
    {
        if (entry.Labels.Length > MultiTargetTable.MostTargets)
            throw new NotSupportedException($"{entry.Name}: {entry.Labels.Length} targets, at most {MultiTargetTable.MostTargets}.");
        var (header, lines) = Csv("tabular/" + entry.File);
        bool multiLabel = entry.Task == "multi-label";
        int At(string column) => Array.IndexOf(header, column) is var i and >= 0 ? i : throw new InvalidDataException($"{entry.Name}: no column {column}.");
        int[] numericAt = entry.Numeric.Select(At).ToArray(), categoricalAt = entry.Categorical.Select(At).ToArray(), targetAt = entry.Labels.Select(At).ToArray();
        static bool Missing(string field) => field is "" or "NA";
        var rows = new List<MultiTargetRow>(lines.Count);
        foreach (var fields in lines)
        {
            var values = new float[MultiTargetTable.MostTargets];
            var flags = new bool[MultiTargetTable.MostTargets];
            for (int j = 0; j < targetAt.Length; j++)
            {
                string field = fields[targetAt[j]];
                if (multiLabel)
                    flags[j] = field.ToLowerInvariant() switch
                    {
                        "1" or "yes" or "true" => true,
                        "0" or "no" or "false" => false,
                        _ => throw new InvalidDataException($"{entry.Name}, row {rows.Count}: label {entry.Labels[j]} is '{field}'."),
                    };
                else
                    values[j] = Missing(field) ? float.NaN : float.Parse(field, CultureInfo.InvariantCulture);
            }
            rows.Add(new MultiTargetRow
            {
                // A table without numeric or categorical columns still has one slot: ML.NET's vector types need a size.
                Numbers = numericAt.Length == 0 ? [0]
                    : numericAt.Select(i => Missing(fields[i]) ? float.NaN : float.Parse(fields[i], CultureInfo.InvariantCulture)).ToArray(),
                Categories = categoricalAt.Length == 0 ? [""] : categoricalAt.Select(i => fields[i]).ToArray(),
                Target0 = values[0], Target1 = values[1], Target2 = values[2],
                Flag0 = flags[0], Flag1 = flags[1], Flag2 = flags[2],
                Fold = rows.Count % BenchmarkTable.Folds,
            });
        }
        return new MultiTargetTable(entry.Name, multiLabel, entry.Labels, entry.Numeric, entry.Categorical, rows);
    }
}
