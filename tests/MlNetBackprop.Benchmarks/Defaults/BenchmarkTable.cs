using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace MlNetBackprop.Benchmarks.Defaults;

/// <summary>
/// One row of a benchmark table as an ML.NET user's loader would give it: numeric columns (NaN where missing),
/// category codes and strings, free text, the label as text, and the fold the row is tested in.
/// </summary>
public sealed class TableRow
{
    /// <summary>The numeric columns, NaN where a value is missing.</summary>
    public float[] Numbers { get; set; } = [];

    /// <summary>The categorical columns (codes or strings), as text.</summary>
    public string[] Categories { get; set; } = [];

    /// <summary>Free text, empty when the table has none.</summary>
    public string Text { get; set; } = "";

    /// <summary>The label: a class name, "True"/"False", or a number.</summary>
    public string LabelText { get; set; } = "";

    /// <summary>The label as a number (regression).</summary>
    public float LabelValue { get; set; }

    /// <summary>The label as a flag (binary classification).</summary>
    public bool LabelFlag { get; set; }

    /// <summary>The fold that tests this row (0–4), or, for a table with its own split, 0 for test rows and 1 for training rows.</summary>
    public int Fold { get; set; }
}

/// <summary>The kind of prediction a benchmark table asks for.</summary>
public enum TableTask
{
    /// <summary>Two classes; scored by AUC.</summary>
    Binary,

    /// <summary>Several classes; scored by accuracy.</summary>
    Multiclass,

    /// <summary>A number; scored by R².</summary>
    Regression,
}

/// <summary>A benchmark table: its rows, the names of its columns, and whether it has a split of its own.</summary>
public sealed record BenchmarkTable(string Name, TableTask Task, string[] NumericColumns, string[] CategoricalColumns,
    bool HasText, List<TableRow> Rows, bool OwnSplit)
{
    /// <summary>Folds for cross-validation: row i is tested in fold i mod 5, in the file's order, the same in scikit-learn's script.</summary>
    public const int Folds = 5;

    /// <summary>The metric of the task, higher is better.</summary>
    public string Metric => Task switch { TableTask.Binary => "AUC", TableTask.Multiclass => "accuracy", _ => "R²" };

    /// <summary>The splits to test on: five folds, or the table's own test set.</summary>
    public IEnumerable<int> TestFolds => OwnSplit ? [0] : Enumerable.Range(0, Folds);

    /// <summary>
    /// Writes the table for the scikit-learn script: a header of <c>num:</c>, <c>cat:</c> and <c>text</c> columns, then
    /// <c>label</c> and <c>fold</c>; tabs separate the fields (text and category strings hold commas).
    /// </summary>
    public void WriteForScript(string path)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        var header = NumericColumns.Select(c => "num:" + c).Concat(CategoricalColumns.Select(c => "cat:" + c));
        if (HasText) header = header.Append("text");
        writer.WriteLine(string.Join('\t', header.Append("label").Append("fold")));
        foreach (var row in Rows)
        {
            // Tables without numeric or categorical columns carry one placeholder slot for ML.NET; it is not written.
            var fields = row.Numbers.Take(NumericColumns.Length).Select(v => float.IsNaN(v) ? "" : v.ToString("R", CultureInfo.InvariantCulture))
                .Concat(row.Categories.Take(CategoricalColumns.Length));
            if (HasText) fields = fields.Append(row.Text.Replace('\t', ' '));
            string label = Task == TableTask.Binary ? (row.LabelFlag ? "1" : "0") : row.LabelText;
            writer.WriteLine(string.Join('\t', fields.Append(label).Append(row.Fold.ToString(CultureInfo.InvariantCulture))));
        }
    }
}

/// <summary>The benchmark's tables, read from <c>samples/data</c> (copied next to the program as <c>Data/</c>).</summary>
public static partial class BenchmarkTables
{
    private static string DataFile(string name) => Path.Combine(AppContext.BaseDirectory, "Data", name);

    /// <summary>Every table, by name.</summary>
    public static IReadOnlyList<(string Name, Func<BenchmarkTable> Load)> All { get; } =
    [
        ("anes96-vote", () => Anes96("vote")),
        ("anes96-pid", () => Anes96("PID")),
        ("fair-affairs", Fair),
        ("randhie-mdvis", Randhie),
        ("cars-mpg", () => Cars("Miles_per_Gallon")),
        ("cars-origin", () => Cars("Origin")),
        ("seattle-weather", SeattleWeather),
        ("iris", Iris),
        ("optdigits", Optdigits),
        ("debian-sections", DebianSections),
        .. Manifest().Select(entry => (entry.Name, (Func<BenchmarkTable>)(() => FromManifest(entry)))),
    ];

    /// <summary>A table described in <c>tabular/tables.json</c>: its file, task, label, numeric and categorical columns.</summary>
    private sealed record ManifestEntry(string Name, string File, string Task, string[] Labels, string[] Numeric, string[] Categorical, string? Positive);

    /// <summary>The single-label tables of <c>tabular/tables.json</c> (the multi-output and multi-label ones serve other benchmarks).</summary>
    private static IEnumerable<ManifestEntry> Manifest() => ManifestEntries().Where(e => e.Task is "binary" or "multiclass" or "regression");

    /// <summary>Every table of <c>tabular/tables.json</c>, whatever its task.</summary>
    private static IEnumerable<ManifestEntry> ManifestEntries()
    {
        string path = DataFile("tabular/tables.json");
        if (!File.Exists(path)) return [];
        var options = new System.Text.Json.JsonSerializerOptions { PropertyNameCaseInsensitive = true };
        return System.Text.Json.JsonSerializer.Deserialize<ManifestEntry[]>(File.ReadAllText(path), options)!;
    }

    /// <summary>A manifest table: its numeric and categorical columns as listed; a binary label is its positive class or not.</summary>
    private static BenchmarkTable FromManifest(ManifestEntry entry)
    {
        var (header, lines) = Csv("tabular/" + entry.File);
        var task = entry.Task switch { "binary" => TableTask.Binary, "multiclass" => TableTask.Multiclass, _ => TableTask.Regression };
        return Build(entry.Name, task, header, lines, entry.Numeric, entry.Categorical, entry.Labels[0],
            label => task == TableTask.Binary ? (label == entry.Positive).ToString() : label);
    }

    /// <summary>The election study: vote (binary) or party identification (7 classes); education and income one-hot, as their codes are ordinal groups.</summary>
    private static BenchmarkTable Anes96(string target)
    {
        var (header, lines) = Csv("tabular/anes96.csv");
        string[] categorical = target == "vote" ? ["PID", "educ", "income"] : ["educ", "income"];
        var numeric = header.Where(c => c != target && !categorical.Contains(c)).ToArray();
        return Build("anes96-" + target.ToLowerInvariant(), target == "vote" ? TableTask.Binary : TableTask.Multiclass,
            header, lines, numeric, categorical, target, label => label);
    }

    /// <summary>The affairs survey: any affairs (binary); the two occupations are category codes.</summary>
    private static BenchmarkTable Fair()
    {
        var (header, lines) = Csv("tabular/fair.csv");
        string[] categorical = ["occupation", "occupation_husb"];
        var numeric = header.Where(c => c != "affairs" && !categorical.Contains(c)).ToArray();
        return Build("fair-affairs", TableTask.Binary, header, lines, numeric, categorical, "affairs",
            label => (float.Parse(label, CultureInfo.InvariantCulture) > 0).ToString());
    }

    /// <summary>The health insurance experiment: doctor visits (regression) from nine numeric columns.</summary>
    private static BenchmarkTable Randhie()
    {
        var (header, lines) = Csv("tabular/randhie.csv");
        var numeric = header.Where(c => c != "mdvis").ToArray();
        return Build("randhie-mdvis", TableTask.Regression, header, lines, numeric, [], "mdvis", label => label);
    }

    /// <summary>The auto-mpg cars: fuel use (regression, rows without it left out) or origin (3 classes); the model year from the date; the name left out.</summary>
    private static BenchmarkTable Cars(string target)
    {
        var (header, lines) = Csv("tabular/cars.csv");
        // The date column holds only the model year (1970-01-01 …): the year is the number a user would take.
        int year = Array.IndexOf(header, "Year");
        lines = lines.Select(l => { var f = (string[])l.Clone(); f[year] = f[year][..4]; return f; }).ToList();
        string[] categorical = target == "Origin" ? [] : ["Origin"];
        var numeric = header.Where(c => c != target && c != "Name" && !categorical.Contains(c)).ToArray();
        int label = Array.IndexOf(header, target);
        lines = lines.Where(l => l[label] != "").ToList();
        return Build(target == "Origin" ? "cars-origin" : "cars-mpg", target == "Origin" ? TableTask.Multiclass : TableTask.Regression,
            header, lines, numeric, categorical, target, l => l);
    }

    /// <summary>Seattle's weather (5 classes) from the four measurements and the month of the date.</summary>
    private static BenchmarkTable SeattleWeather()
    {
        var (header, lines) = Csv("tabular/seattle-weather.csv");
        int date = Array.IndexOf(header, "date");
        header = header.Append("month").ToArray();
        lines = lines.Select(l => l.Append(l[date].Split('/')[1]).ToArray()).ToList();
        string[] numeric = ["precipitation", "temp_max", "temp_min", "wind"];
        return Build("seattle-weather", TableTask.Multiclass, header, lines, numeric, ["month"], "weather", l => l);
    }

    /// <summary>Fisher's iris: 3 classes from 4 measurements.</summary>
    private static BenchmarkTable Iris()
    {
        var (header, lines) = Csv("iris/iris.csv");
        return Build("iris", TableTask.Multiclass, header, lines, header[..4], [], "Species", l => l);
    }

    /// <summary>UCI optdigits: 10 digits from 64 pixel counts, with the dataset's own training and test files.</summary>
    private static BenchmarkTable Optdigits()
    {
        string[] header = [.. Enumerable.Range(0, 64).Select(i => $"p{i}"), "digit"];
        var rows = new List<TableRow>();
        foreach (var (file, fold) in new[] { ("optdigits/optdigits.tra", 1), ("optdigits/optdigits.tes", 0) })
            foreach (var line in File.ReadLines(DataFile(file)).Where(l => l.Length > 0))
            {
                var fields = line.Split(',');
                rows.Add(new TableRow
                {
                    Numbers = fields[..64].Select(f => float.Parse(f, CultureInfo.InvariantCulture)).ToArray(),
                    Categories = [""],
                    LabelText = fields[64],
                    Fold = fold,
                });
            }
        return new BenchmarkTable("optdigits", TableTask.Multiclass, header[..64], [], false, rows, OwnSplit: true);
    }

    /// <summary>
    /// The Debian package descriptions: the section (58 classes) from the one-line description, as sparse text
    /// features; one split, every fifth row tested (five folds of 64k rows for every trainer would take hours).
    /// </summary>
    private static BenchmarkTable DebianSections()
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(DataFile("packages.csv.gz")), CompressionMode.Decompress), Encoding.UTF8);
        reader.ReadLine();
        var rows = new List<TableRow>();
        while (reader.ReadLine() is { } line)
        {
            // Package,Section,Description: the first two never hold commas; the description may, quoted.
            int first = line.IndexOf(','), second = line.IndexOf(',', first + 1);
            string text = line[(second + 1)..];
            if (text.Length >= 2 && text[0] == '"') text = text[1..^1].Replace("\"\"", "\"");
            rows.Add(new TableRow { Numbers = [0], Categories = [""], Text = text, LabelText = line[(first + 1)..second],
                Fold = rows.Count % BenchmarkTable.Folds == 0 ? 0 : 1 });
        }
        return new BenchmarkTable("debian-sections", TableTask.Multiclass, [], [], true, rows, OwnSplit: true);
    }

    private static BenchmarkTable Build(string name, TableTask task, string[] header, List<string[]> lines,
        string[] numeric, string[] categorical, string target, Func<string, string> label)
    {
        int[] numericAt = numeric.Select(c => Array.IndexOf(header, c)).ToArray();
        int[] categoricalAt = categorical.Select(c => Array.IndexOf(header, c)).ToArray();
        int labelAt = Array.IndexOf(header, target);
        var rows = new List<TableRow>(lines.Count);
        foreach (var fields in lines)
        {
            string labelText = label(fields[labelAt]);
            rows.Add(new TableRow
            {
                Numbers = numericAt.Select(i => fields[i] == "" ? float.NaN : float.Parse(fields[i], CultureInfo.InvariantCulture)).ToArray(),
                // A table without categorical columns still has one (empty) slot: ML.NET's vector types need a size.
                Categories = categoricalAt.Length == 0 ? [""] : categoricalAt.Select(i => fields[i]).ToArray(),
                LabelText = labelText,
                LabelValue = task == TableTask.Regression ? float.Parse(labelText, CultureInfo.InvariantCulture) : 0,
                LabelFlag = task == TableTask.Binary && (labelText == "True" || labelText == "1"),
                Fold = rows.Count % BenchmarkTable.Folds,
            });
        }
        return new BenchmarkTable(name, task, numeric, categorical, false, rows, OwnSplit: false);
    }

    private static (string[] Header, List<string[]> Lines) Csv(string file)
    {
        var lines = File.ReadLines(DataFile(file)).Where(l => l.Length > 0).Select(Fields).ToList();
        return (lines[0], lines.Skip(1).ToList());
    }

    /// <summary>A CSV line's fields: commas separate them, double quotes enclose one that holds a comma, "" is a quote.</summary>
    private static string[] Fields(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
            else if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return fields.ToArray();
    }
}
