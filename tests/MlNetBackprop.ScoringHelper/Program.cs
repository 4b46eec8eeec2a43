// Loads a saved model in a fresh process, scores a binary .idv data file with it, and writes every value of the
// requested output columns as exact bit patterns, one row per line, so that a test can compare them bit for bit
// with the scores of the process that trained the model. With "resume" first, it continues the model's training
// instead (options as "Solver Momentum Epochs"; the rest as ResumeTests sets them) and saves the result.
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetBackprop;

if (args.Length == 3 && args[0] == "export-onnx")
{
    // export-onnx <iris.csv> <directory>: one small model per task, hidden activation and multiclass output, exported
    // for the ONNX checker (tests/onnx/check.sh).
    var context = new MLContext(seed: 1);
    var raw = context.Data.LoadFromTextFile(args[1], [
        new TextLoader.Column("SepalLength", DataKind.Single, 0), new TextLoader.Column("SepalWidth", DataKind.Single, 1),
        new TextLoader.Column("PetalLength", DataKind.Single, 2), new TextLoader.Column("PetalWidth", DataKind.Single, 3),
        new TextLoader.Column("Species", DataKind.String, 4)], separatorChar: ',', hasHeader: true);
    var prepared = context.Transforms.Concatenate("Features", "SepalLength", "SepalWidth", "PetalLength", "PetalWidth")
        .Append(context.Transforms.CustomMapping<SpeciesRow, Targets>((i, o) => { o.IsVirginica = i.Species == "virginica"; o.Width = i.PetalWidth; }, null))
        .Append(context.Transforms.CustomMapping<SpeciesRow, SeveralTargets>((i, o) =>
        {
            o.Widths = [i.SepalWidth, i.PetalWidth];
            o.SpeciesFlags = [i.Species == "setosa", i.Species == "versicolor", i.Species == "virginica"];
        }, null))
        .Fit(raw).Transform(raw);
    Directory.CreateDirectory(args[2]);
    int written = 0;
    foreach (var activation in Enum.GetValues<HiddenActivation>())
        foreach (var (task, output) in new[] { ("multiclass", MulticlassOutput.Softmax), ("multiclass", MulticlassOutput.Sigmoid), ("binary", MulticlassOutput.Softmax), ("regression", MulticlassOutput.Softmax) })
        {
            var options = new BackpropTrainer.Options
            {
                HiddenLayerSizes = [5], Activation = activation, MulticlassOutput = output, Epochs = 3,
                LabelColumnName = task switch { "binary" => "IsVirginica", "regression" => "Width", _ => "Label" },
            };
            ITransformer exported = task switch
            {
                "binary" => context.BinaryClassification.Trainers.Backprop(options).Fit(prepared),
                "regression" => context.Regression.Trainers.Backprop(options).Fit(prepared),
                _ => context.Transforms.Conversion.MapValueToKey("Label", "Species").Append(context.MulticlassClassification.Trainers.Backprop(options))
                    .Append(context.Transforms.Conversion.MapKeyToValue("PredictedLabel")).Fit(prepared),
            };
            using var file = File.Create(Path.Combine(args[2], $"{task}-{output}-{activation}.onnx".ToLowerInvariant()));
            context.Model.ExportToOnnx(exported, prepared, file);
            written++;
        }
    // Several outputs at once: two widths (multi-output regression), three species flags (multi-label).
    foreach (var (task, label) in new[] { ("multi-output", "Widths"), ("multi-label", "SpeciesFlags") })
    {
        var options = new BackpropTrainer.Options { HiddenLayerSizes = [5], Epochs = 3, LabelColumnName = label };
        var trainer = task == "multi-output" ? context.Regression.Trainers.BackpropMultiOutput(options) : context.BinaryClassification.Trainers.BackpropMultiLabel(options);
        using var file = File.Create(Path.Combine(args[2], $"{task}.onnx"));
        context.Model.ExportToOnnx(trainer.Fit(prepared), prepared, file);
        written++;
    }
    Console.WriteLine($"{written} models exported to {args[2]}");
    return 0;
}

if (args.Length == 3 && args[0] == "write-fixtures")
{
    // write-fixtures <iris.csv> <directory>: the models FormatCompatibilityTests keeps loading, one per task, with the
    // scores they give now. Run once per storage format; after the first release, never regenerate a fixture.
    var context = new MLContext(seed: 1);
    var raw = context.Data.LoadFromTextFile(args[1], [
        new TextLoader.Column("SepalLength", DataKind.Single, 0), new TextLoader.Column("SepalWidth", DataKind.Single, 1),
        new TextLoader.Column("PetalLength", DataKind.Single, 2), new TextLoader.Column("PetalWidth", DataKind.Single, 3),
        new TextLoader.Column("Species", DataKind.String, 4)], separatorChar: ',', hasHeader: true);
    var features = context.Transforms.Concatenate("Features", "SepalLength", "SepalWidth", "PetalLength", "PetalWidth")
        .Append(context.Transforms.NormalizeMinMax("Features"));
    var targets = context.Transforms.CustomMapping<SpeciesRow, Targets>((i, o) => { o.IsVirginica = i.Species == "virginica"; o.Width = i.PetalWidth; },
        null);
    var multiclass = context.Transforms.Conversion.MapValueToKey("Label", "Species").Append(features)
        .Append(context.MulticlassClassification.Trainers.Backprop(new BackpropTrainer.Options
        {
            HiddenLayerSizes = [10, 6], HiddenLayerActivations = [HiddenActivation.Tanh, HiddenActivation.LeakyRelu],
            MulticlassOutput = MulticlassOutput.Sigmoid, Epochs = 40, KeepTrainingState = true,
        }))
        .Append(context.Transforms.Conversion.MapKeyToValue("PredictedSpecies", "PredictedLabel"));
    var binary = features.Append(context.BinaryClassification.Trainers.Backprop(new BackpropTrainer.Options
        { HiddenLayerSizes = [8], LabelColumnName = "IsVirginica" }));
    var regression = features.Append(context.Regression.Trainers.Backprop(new BackpropTrainer.Options
        { HiddenLayerSizes = [8], LabelColumnName = "Width" }));
    Directory.CreateDirectory(args[2]);
    foreach (var (name, estimator, columns) in new (string, IEstimator<ITransformer>, string[])[]
    {
        ("iris-multiclass", multiclass, ["Score", "PredictedSpecies"]),
        ("iris-binary", binary, ["Score", "Probability", "PredictedLabel"]),
        ("iris-regression", regression, ["Score"]),
    })
    {
        var rows = name == "iris-multiclass" ? raw : targets.Fit(raw).Transform(raw);
        var fitted = estimator.Fit(rows);
        context.Model.Save(fitted, rows.Schema, Path.Combine(args[2], name + ".zip"));
        File.WriteAllLines(Path.Combine(args[2], name + ".expected.txt"), ScoreDump.Rows(fitted.Transform(rows), columns));
    }
    Console.WriteLine($"fixtures written to {args[2]}");
    return 0;
}

if (args.Length == 6 && args[0] == "resume")
{
    // resume <model.zip> <data.idv> <continued.zip> <solver> <momentum>
    var context = new MLContext(seed: 1);
    var trained = BackpropTransformer.FromModel(context.Model.Load(args[1], out _));
    var rows = context.Data.LoadFromBinary(args[2]);
    var solver = Enum.Parse<Solver>(args[4]);
    var options = ResumeOptions.For(solver, double.Parse(args[5], CultureInfo.InvariantCulture), epochs: 3);
    var continued = new BackpropTrainer(context, options).Fit(rows, null, trained);
    context.Model.Save(continued, rows.Schema, args[3]);
    return 0;
}

if (args.Length < 4)
{
    Console.Error.WriteLine("usage: MlNetBackprop.ScoringHelper <model.zip> <data.idv> <output.txt> <column> [<column> ...]");
    return 2;
}

var ml = new MLContext();
var model = ml.Model.Load(args[0], out _);
var data = ml.Data.LoadFromBinary(args[1]);
var scored = model.Transform(data);
File.WriteAllLines(args[2], ScoreDump.Rows(scored, args[3..]));
return 0;

/// <summary>Formats scored columns as exact bit patterns.</summary>
public static class ScoreDump
{
    /// <summary>One line per row: each requested column's values as hexadecimal bit patterns (floats) or raw values.</summary>
    public static IEnumerable<string> Rows(IDataView scored, IReadOnlyList<string> columns)
    {
        var cols = columns.Select(c => scored.Schema[c]).ToArray();
        using var cursor = scored.GetRowCursor(cols);
        var getters = cols.Select(c => Getter(cursor, c)).ToArray();
        while (cursor.MoveNext())
            yield return string.Join(" | ", getters.Select(g => g()));
    }

    private static Func<string> Getter(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        switch (column.Type)
        {
            case VectorDataViewType { ItemType: NumberDataViewType n } when n == NumberDataViewType.Single:
                {
                    var get = cursor.GetGetter<VBuffer<float>>(column);
                    VBuffer<float> value = default;
                    return () => { get(ref value); return string.Join(",", value.DenseValues().Select(Bits)); };
                }
            case NumberDataViewType n when n == NumberDataViewType.Single:
                {
                    var get = cursor.GetGetter<float>(column);
                    float value = 0;
                    return () => { get(ref value); return Bits(value); };
                }
            case KeyDataViewType:
                {
                    var get = cursor.GetGetter<uint>(column);
                    uint value = 0;
                    return () => { get(ref value); return value.ToString(CultureInfo.InvariantCulture); };
                }
            case TextDataViewType:
                {
                    var get = cursor.GetGetter<ReadOnlyMemory<char>>(column);
                    ReadOnlyMemory<char> value = default;
                    return () => { get(ref value); return value.ToString(); };
                }
            case VectorDataViewType { ItemType: BooleanDataViewType }:
                {
                    var get = cursor.GetGetter<VBuffer<bool>>(column);
                    VBuffer<bool> value = default;
                    return () => { get(ref value); return string.Join(",", value.DenseValues().Select(v => v ? "true" : "false")); };
                }
            case BooleanDataViewType:
                {
                    var get = cursor.GetGetter<bool>(column);
                    bool value = false;
                    return () => { get(ref value); return value ? "true" : "false"; };
                }
            default:
                throw new NotSupportedException($"Column '{column.Name}' of type {column.Type} is not dumped.");
        }
    }

    private static string Bits(float value) => BitConverter.SingleToInt32Bits(value).ToString("X8", CultureInfo.InvariantCulture);
}

/// <summary>The options ResumeTests trains with, shared with the test so that both processes train alike.</summary>
public static class ResumeOptions
{
    public static BackpropTrainer.Options For(Solver solver, double momentum, int epochs) => new()
    {
        HiddenLayerSizes = [24], Epochs = epochs, Solver = solver, Momentum = momentum, DropoutRate = 0.2, Seed = 5, KeepTrainingState = true,
        EarlyStopping = false, LearningRateSchedule = solver == Solver.Adam ? LearningRateSchedule.Constant : LearningRateSchedule.InverseScaling,
        LearningRate = solver == Solver.Adam ? 0.003 : 0.1,
    };
}

/// <summary>The raw iris row the export mode derives its labels from.</summary>
public sealed class SpeciesRow
{
    public string Species { get; set; } = "";

    public float SepalWidth { get; set; }

    public float PetalWidth { get; set; }
}

/// <summary>The export mode's binary and regression labels.</summary>
public sealed class Targets
{
    public bool IsVirginica { get; set; }

    public float Width { get; set; }
}

public sealed class SeveralTargets
{
    [VectorType(2)]
    public float[] Widths { get; set; } = [];

    [VectorType(3)]
    public bool[] SpeciesFlags { get; set; } = [];
}
