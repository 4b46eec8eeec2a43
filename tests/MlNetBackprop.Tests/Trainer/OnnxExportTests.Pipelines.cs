using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Transforms;
using Xunit;

namespace MlNetBackprop.Tests.Trainer;

/// <summary>
/// The pipelines users build, trained at the defaults on the project's own tables, exported whole and scored by ONNX
/// Runtime on rows held back from training, every output against ML.NET's.
/// </summary>
public sealed partial class OnnxExportTests
{
    [Fact]
    public void A_binary_pipeline_with_the_label_mapped_to_Boolean_one_hot_categories_and_missing_ages_exports_and_scores_alike()
    {
        var ml = new MLContext(seed: 1);
        var data = LoadTable(ml, "titanic.csv", [
            new TextLoader.Column("survived", DataKind.String, 0), new TextLoader.Column("sex", DataKind.String, 1),
            new TextLoader.Column("age", DataKind.Single, 2), new TextLoader.Column("passengerClass", DataKind.String, 3)]);
        var split = ml.Data.TrainTestSplit(data, 0.2, seed: 1);
        var model = ml.Transforms.Conversion.MapValue("Label", new Dictionary<string, bool> { ["yes"] = true, ["no"] = false }, "survived")
            .Append(ml.Transforms.Categorical.OneHotEncoding([new("SexOneHot", "sex"), new("ClassOneHot", "passengerClass")]))
            .Append(ml.Transforms.ReplaceMissingValues("AgeFilled", "age"))
            .Append(ml.Transforms.Concatenate("Features", "SexOneHot", "ClassOneHot", "AgeFilled"))
            .Append(ml.Transforms.NormalizeMeanVariance("Features"))
            .Append(ml.BinaryClassification.Trainers.Backprop())
            .Fit(split.TrainSet);

        var onnx = RunWhole(ml, model, split.TrainSet, split.TestSet, out var inputs);
        Assert.Equal(["age", "passengerClass", "sex"], inputs); // not the label's column: its mapping is left out
        var scored = model.Transform(split.TestSet);
        AssertClose(scored.GetColumn<float>("Score").ToArray(), onnx["Score"].AsTensor<float>().ToArray());
        AssertClose(scored.GetColumn<float>("Probability").ToArray(), onnx["Probability"].AsTensor<float>().ToArray());
        Assert.Equal(scored.GetColumn<bool>("PredictedLabel").ToArray(), onnx["PredictedLabel"].AsTensor<bool>().ToArray());
        Assert.Contains(split.TestSet.GetColumn<float>("age"), float.IsNaN); // the held-back rows have missing ages
    }

    [Fact]
    public void A_multiclass_pipeline_one_hot_encoding_35_categorical_columns_with_missing_values_exports_and_scores_alike()
    {
        var ml = new MLContext(seed: 1);
        var data = LoadTable(ml, "soybean.csv", [
            new TextLoader.Column("Class", DataKind.String, 0), new TextLoader.Column("Attributes", DataKind.String, 1, 35)]);
        var split = ml.Data.TrainTestSplit(data, 0.2, seed: 1);
        var model = ml.Transforms.Conversion.MapValueToKey("Label", "Class")
            .Append(ml.Transforms.Categorical.OneHotEncoding("AttributesOneHot", "Attributes"))
            .Append(ml.Transforms.Concatenate("Features", "AttributesOneHot"))
            .Append(ml.MulticlassClassification.Trainers.Backprop())
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(split.TrainSet);

        var onnx = RunWhole(ml, model, split.TrainSet, split.TestSet, out var inputs);
        Assert.Equal(["Attributes"], inputs);
        var scored = model.Transform(split.TestSet);
        AssertClose(scored.GetColumn<float[]>("Score").SelectMany(s => s).ToArray(), onnx["Score"].AsTensor<float>().ToArray());
        Assert.Equal(scored.GetColumn<string>("PredictedLabel").ToArray(), onnx["PredictedLabel"].AsTensor<string>().ToArray());
        Assert.Contains(split.TestSet.GetColumn<string[]>("Attributes"), row => row.Any(string.IsNullOrEmpty)); // missing values held back too
    }

    [Fact]
    public void A_multiclass_pipeline_replacing_missing_numbers_and_normalizing_in_place_exports_and_scores_alike()
    {
        var ml = new MLContext(seed: 1);
        var data = LoadTable(ml, "penguins.csv", [
            new TextLoader.Column("species", DataKind.String, 0), new TextLoader.Column("bill_length_mm", DataKind.Single, 2),
            new TextLoader.Column("bill_depth_mm", DataKind.Single, 3), new TextLoader.Column("flipper_length_mm", DataKind.Single, 4),
            new TextLoader.Column("body_mass_g", DataKind.Single, 5)]);
        var split = ml.Data.TrainTestSplit(data, 0.3, seed: 1);
        var model = ml.Transforms.Conversion.MapValueToKey("Label", "species")
            .Append(ml.Transforms.Concatenate("Features", "bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"))
            .Append(ml.Transforms.ReplaceMissingValues("Features"))
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.MulticlassClassification.Trainers.Backprop())
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(split.TrainSet);

        // Every row: the held-back ones and the two with no measurements at all (which fell in the training split).
        var onnx = RunWhole(ml, model, split.TrainSet, data, out var inputs);
        Assert.Equal(["bill_depth_mm", "bill_length_mm", "body_mass_g", "flipper_length_mm"], inputs);
        var scored = model.Transform(data);
        AssertClose(scored.GetColumn<float[]>("Score").SelectMany(s => s).ToArray(), onnx["Score"].AsTensor<float>().ToArray());
        Assert.Equal(scored.GetColumn<string>("PredictedLabel").ToArray(), onnx["PredictedLabel"].AsTensor<string>().ToArray());
        Assert.Contains(data.GetColumn<float>("body_mass_g"), float.IsNaN);
    }

    [Fact]
    public void Hashed_one_hot_columns_which_the_converter_writes_wrong_are_refused_with_the_reason()
    {
        // ML.NET's converter writes OneHotHashEncoding as a hash whose output the next node does not read: a graph that
        // would not load. The export names it and says what to use instead.
        var ml = new MLContext(seed: 1);
        var data = LoadTable(ml, "soybean.csv", [
            new TextLoader.Column("Class", DataKind.String, 0), new TextLoader.Column("Attributes", DataKind.String, 1, 35)]);
        var model = HashedOneHotModel(ml, data);
        string message = Refused(ml, model, data);
        Assert.Contains("which no node makes", message);
        Assert.Contains("OneHotHashEncodingTransformer", message);
    }

    [Fact]
    public void A_graph_that_would_read_a_raw_column_the_features_are_not_made_from_is_refused()
    {
        // The same hashed one-hot into "Features", where the data also has a raw column "Features" (the attributes as
        // numbers): had the converter declared that column an input, its unread hash would make the next node read it, a
        // wrong answer without a word. The features are made from "Attributes" alone, so the graph may read nothing else
        // (here the converter renames its value "Features0", which no node makes, and that is refused).
        var ml = new MLContext(seed: 1);
        var data = LoadTable(ml, "soybean.csv", [
            new TextLoader.Column("Class", DataKind.String, 0), new TextLoader.Column("Attributes", DataKind.String, 1, 35),
            new TextLoader.Column("Features", DataKind.Single, 1, 35)]);
        var model = HashedOneHotModel(ml, data);
        string message = Refused(ml, model, data);
        Assert.Contains("which no node makes", message);
        Assert.DoesNotContain("reads 'Features' ", message); // not the raw column
    }

    [Fact]
    public void A_network_whose_first_layer_reads_sparse_rows_exports_as_a_Gemm_and_scores_alike()
    {
        // 3,000 slots with a handful of non-zeros a row: the trainer holds them sparse and its first layer reads sparse
        // rows (weights laid out a row per input); the graph reads the dense tensor ONNX Runtime is given.
        var ml = new MLContext(seed: 1);
        var random = new Random(5);
        var rows = Enumerable.Range(0, 400).Select(_ =>
        {
            var indices = Enumerable.Range(0, 6).Select(_ => random.Next(3000)).Distinct().Order().ToArray();
            var values = indices.Select(_ => (float)random.NextDouble()).ToArray();
            return new SparseRow { Features = new VBuffer<float>(3000, indices.Length, values, indices), Label = indices[0] % 2 == 0 };
        }).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.BinaryClassification.Trainers.Backprop(new BackpropTrainer.Options { HiddenLayerSizes = [16], Epochs = 5 }).Fit(data);
        Assert.True(model.Model.Network.Layout.SparseInput, "the first layer should read sparse rows");
        using var stream = new MemoryStream();
        ml.Model.ExportToOnnx(model, data, stream);
        var dense = rows.Select(r => r.Features.DenseValues().ToArray()).ToArray();
        using var session = new InferenceSession(stream.ToArray());
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("Features", new DenseTensor<float>(dense.SelectMany(r => r).ToArray(), [dense.Length, 3000]))]);
        var onnx = results.ToDictionary(r => r.Name);
        var scored = model.Transform(data);
        AssertClose(scored.GetColumn<float>("Score").ToArray(), onnx["Score"].AsTensor<float>().ToArray());
        Assert.Equal(scored.GetColumn<bool>("PredictedLabel").ToArray(), onnx["PredictedLabel"].AsTensor<bool>().ToArray());
    }

    /// <summary>A row of wide sparse features.</summary>
    public sealed class SparseRow
    {
        [VectorType(3000)] public VBuffer<float> Features;
        public bool Label;
    }

    [Fact]
    public void The_READMEs_first_pipeline_normalizing_a_ready_Features_column_in_place_exports_from_it_and_not_from_the_label()
    {
        // A defect once: the in-place normalizer's input was traced by name to the hidden column's neighbour, the label.
        var ml = new MLContext(seed: 1);
        var data = LoadTable(ml, "iris.csv", [
            new TextLoader.Column("Features", DataKind.Single, 0, 3), new TextLoader.Column("Label", DataKind.String, 4)]);
        var model = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(new BackpropTrainer())
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(data);
        var test = ml.Data.TakeRows(ml.Data.ShuffleRows(data, seed: 2), 40);

        var onnx = RunWhole(ml, model, data, test, out var inputs);
        Assert.Equal(["Features"], inputs);
        var scored = model.Transform(test);
        AssertClose(scored.GetColumn<float[]>("Score").SelectMany(s => s).ToArray(), onnx["Score"].AsTensor<float>().ToArray());
        Assert.Equal(scored.GetColumn<string>("PredictedLabel").ToArray(), onnx["PredictedLabel"].AsTensor<string>().ToArray());
    }

    [Fact]
    public void A_regression_pipeline_on_a_loaded_model_with_one_hot_categories_exports_and_scores_alike()
    {
        var ml = new MLContext(seed: 1);
        var data = LoadTable(ml, "penguins.csv", [
            new TextLoader.Column("species", DataKind.String, 0), new TextLoader.Column("island", DataKind.String, 1),
            new TextLoader.Column("bill_length_mm", DataKind.Single, 2), new TextLoader.Column("body_mass_g", DataKind.Single, 5),
            new TextLoader.Column("sex", DataKind.String, 6)]);
        data = ml.Data.FilterRowsByMissingValues(data, "body_mass_g");
        var split = ml.Data.TrainTestSplit(data, 0.3, seed: 1);
        var fitted = ml.Transforms.Categorical.OneHotEncoding([new("SpeciesOneHot", "species"), new("IslandOneHot", "island"), new("SexOneHot", "sex")])
            .Append(ml.Transforms.ReplaceMissingValues("BillFilled", "bill_length_mm"))
            .Append(ml.Transforms.Concatenate("Features", "SpeciesOneHot", "IslandOneHot", "SexOneHot", "BillFilled"))
            .Append(ml.Transforms.NormalizeMeanVariance("Features"))
            .Append(ml.Regression.Trainers.Backprop(labelColumnName: "body_mass_g"))
            .Fit(split.TrainSet);
        using var saved = new MemoryStream();
        ml.Model.Save(fitted, split.TrainSet.Schema, saved);
        saved.Position = 0;
        var model = ml.Model.Load(saved, out _);

        var onnx = RunWhole(ml, model, split.TrainSet, split.TestSet, out var inputs);
        Assert.Equal(["bill_length_mm", "island", "sex", "species"], inputs); // not the label
        AssertClose(fitted.Transform(split.TestSet).GetColumn<float>("Score").ToArray(), onnx["Score"].AsTensor<float>().ToArray());
    }

    [Fact]
    public void A_multi_output_pipeline_with_one_hot_categories_exports_from_the_raw_columns_without_the_targets()
    {
        // Two targets of the penguins (body mass and flipper length), the label made by Concatenate, which the graph leaves out.
        var ml = new MLContext(seed: 1);
        var data = LoadTable(ml, "penguins.csv", [
            new TextLoader.Column("species", DataKind.String, 0), new TextLoader.Column("island", DataKind.String, 1),
            new TextLoader.Column("bill_length_mm", DataKind.Single, 2), new TextLoader.Column("flipper_length_mm", DataKind.Single, 4),
            new TextLoader.Column("body_mass_g", DataKind.Single, 5), new TextLoader.Column("sex", DataKind.String, 6)]);
        var split = ml.Data.TrainTestSplit(data, 0.3, seed: 1);
        var model = ml.Transforms.Concatenate("Label", "body_mass_g", "flipper_length_mm")
            .Append(ml.Transforms.Categorical.OneHotEncoding([new("SpeciesOneHot", "species"), new("IslandOneHot", "island"), new("SexOneHot", "sex")]))
            .Append(ml.Transforms.ReplaceMissingValues("BillFilled", "bill_length_mm"))
            .Append(ml.Transforms.Concatenate("Features", "SpeciesOneHot", "IslandOneHot", "SexOneHot", "BillFilled"))
            .Append(ml.Regression.Trainers.BackpropMultiOutput(new BackpropTrainer.Options { HiddenLayerSizes = [16], Epochs = 20, Seed = 2 }))
            .Fit(split.TrainSet);

        var onnx = RunWhole(ml, model, split.TrainSet, split.TestSet, out var inputs);
        Assert.Equal(["bill_length_mm", "island", "sex", "species"], inputs); // not the targets
        Assert.Equal([split.TestSet.GetColumn<float>("body_mass_g").Count(), 2], onnx["Score"].AsTensor<float>().Dimensions.ToArray());
        AssertClose(model.Transform(split.TestSet).GetColumn<float[]>("Score").SelectMany(v => v).ToArray(), onnx["Score"].AsTensor<float>().ToArray());
    }

    [Fact]
    public void A_feature_mapped_in_place_by_MapValue_exports_right_or_is_refused_by_name_never_as_a_graph_that_does_not_load()
    {
        // ML.NET's converter writes an in-place value mapping as a node that reads its own output: a cycle.
        var ml = new MLContext(seed: 1);
        var data = LoadTable(ml, "penguins.csv", [
            new TextLoader.Column("species", DataKind.String, 0), new TextLoader.Column("island", DataKind.String, 1),
            new TextLoader.Column("bill_length_mm", DataKind.Single, 2)]);
        data = ml.Data.FilterRowsByMissingValues(data, "bill_length_mm");
        var model = ml.Transforms.Conversion.MapValue("island", new Dictionary<string, float> { ["Torgersen"] = 1, ["Biscoe"] = 2, ["Dream"] = 3 }, "island")
            .Append(ml.Transforms.Concatenate("Features", "island", "bill_length_mm"))
            .Append(ml.Transforms.Conversion.MapValueToKey("Label", "species"))
            .Append(ml.MulticlassClassification.Trainers.Backprop(new BackpropTrainer.Options { HiddenLayerSizes = [4], Epochs = 5 }))
            .Fit(data);
        using var stream = new MemoryStream();
        try
        {
            ml.Model.ExportToOnnx(model, data, stream);
        }
        catch (InvalidOperationException e)
        {
            log.WriteLine(e.Message);
            Assert.Contains("ValueMappingTransformer", e.Message);
            Assert.Equal(0, stream.Length);
            return;
        }
        using var session = new InferenceSession(stream.ToArray()); // it loads: then it must score alike
        var onnx = RunWhole(ml, model, data, data, out _);
        AssertClose(model.Transform(data).GetColumn<float[]>("Score").SelectMany(v => v).ToArray(), onnx["Score"].AsTensor<float>().ToArray());
    }

    [Fact]
    public void A_selection_after_an_in_place_normalizer_is_followed_to_the_normalized_column()
    {
        // NormalizeMinMax writes Features in place (the raw one hidden at its index), then SelectColumns moves the new
        // column onto the raw one's index with the same name and type: the walk must not take it for the raw column.
        var ml = new MLContext(seed: 1);
        var data = LoadTable(ml, "iris.csv", [new TextLoader.Column("Features", DataKind.Single, 0, 3), new TextLoader.Column("Species", DataKind.String, 4)]);
        var model = ml.Transforms.Conversion.MapValue("Label", new Dictionary<string, bool> { ["virginica"] = true, ["versicolor"] = false, ["setosa"] = false }, "Species")
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.Transforms.SelectColumns("Features", "Label"))
            .Append(ml.BinaryClassification.Trainers.Backprop(new BackpropTrainer.Options { HiddenLayerSizes = [6], Epochs = 20 }))
            .Fit(data);
        var onnx = RunWhole(ml, model, data, data, out var inputs);
        Assert.Equal(["Features"], inputs);
        AssertClose(model.Transform(data).GetColumn<float>("Score").ToArray(), onnx["Score"].AsTensor<float>().ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_custom_mapping_the_converter_skips_is_refused_not_read_around(bool normalizedAfter)
    {
        // ML.NET's converter stops at a transform it cannot write with only a warning, and the nodes behind it would read
        // the raw column of the same name: an in-place CustomMapping would export, scoring without it.
        var ml = new MLContext(seed: 1);
        var data = TestData.Iris(ml);
        IEstimator<ITransformer> pipeline = ml.Transforms.CustomMapping<FromModelTests.IrisFeatures, FromModelTests.IrisFeatures>(
            (i, o) => o.Features = i.Features.Select(v => v * v + 1).ToArray(), null);
        if (normalizedAfter) pipeline = pipeline.Append(ml.Transforms.NormalizeMinMax("Features"));
        var model = pipeline.Append(new BackpropTrainer(ml, new BackpropTrainer.Options { HiddenLayerSizes = [4], Epochs = 2 })).Fit(data);
        string message = Refused(ml, model, data);
        Assert.Contains("cannot write the transform CustomMappingTransformer", message);
    }

    [Fact]
    public void A_text_pipeline_is_refused_naming_the_part_that_cannot_be_exported_and_nothing_is_written()
    {
        var ml = new MLContext(seed: 1);
        var rows = Fortunes(400).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.Transforms.Text.FeaturizeText("Features", nameof(TextRow.Text))
            .Append(ml.BinaryClassification.Trainers.Backprop(new BackpropTrainer.Options { LabelColumnName = nameof(TextRow.IsComputers), Epochs = 3 }))
            .Fit(data);
        string message = Refused(ml, model, data);
        Assert.Contains("cannot write the transform", message);
        Assert.Contains("Transformer", message); // names the part
    }

    /// <summary>
    /// Exports <paramref name="model"/> expecting a refusal: the exception's message, logged, with nothing written.
    /// </summary>
    private string Refused(MLContext ml, ITransformer model, IDataView data)
    {
        using var stream = new MemoryStream();
        var e = Assert.Throws<InvalidOperationException>(() => ml.Model.ExportToOnnx(model, data, stream));
        log.WriteLine(e.Message);
        Assert.Equal(0, stream.Length);
        return e.Message;
    }

    /// <summary>The soybean attributes one-hot hashed into 64 slots each, a multiclass network behind them.</summary>
    private static ITransformer HashedOneHotModel(MLContext ml, IDataView data)
        => ml.Transforms.Conversion.MapValueToKey("Label", "Class")
            .Append(ml.Transforms.Categorical.OneHotHashEncoding("Features", "Attributes", numberOfBits: 6))
            .Append(ml.MulticlassClassification.Trainers.Backprop(new BackpropTrainer.Options { HiddenLayerSizes = [8], Epochs = 2 }))
            .Fit(data);

    /// <summary>A CSV table of samples/data with a header, an empty number read as missing (NaN), not as 0.</summary>
    private static IDataView LoadTable(MLContext ml, string file, TextLoader.Column[] columns)
        => ml.Data.LoadFromTextFile(TestData.PathOf(file), new TextLoader.Options { Columns = columns, Separators = [','], HasHeader = true, MissingRealsAsNaNs = true });

    /// <summary>A row of the fortunes: its text, and whether it is from the "computers" file.</summary>
    public sealed class TextRow
    {
        public string Text { get; set; } = "";
        public bool IsComputers { get; set; }
    }

    /// <summary>The first fortunes of the "computers" and "art" files, alternating (samples/data/fortunes).</summary>
    private static IEnumerable<TextRow> Fortunes(int count)
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(TestData.PathOf("fortunes.csv.gz")), CompressionMode.Decompress));
        var (computers, art) = (new List<string>(), new List<string>());
        reader.ReadLine();
        for (string? line; (line = reader.ReadLine()) is not null && (computers.Count < count / 2 || art.Count < count / 2);)
        {
            int comma = line.IndexOf(',');
            string category = line[..comma], text = line[(comma + 1)..].Trim('"').Replace("\"\"", "\"");
            if (category == "computers" && computers.Count < count / 2) computers.Add(text);
            if (category == "art" && art.Count < count / 2) art.Add(text);
        }
        for (int i = 0; i < Math.Min(computers.Count, art.Count); i++)
        {
            yield return new TextRow { Text = computers[i], IsComputers = true };
            yield return new TextRow { Text = art[i], IsComputers = false };
        }
    }

    /// <summary>
    /// Exports <paramref name="model"/> (for data of <paramref name="train"/>'s schema) and runs it in ONNX Runtime on
    /// <paramref name="test"/>'s rows, each graph input fed from the column of its name; <paramref name="inputs"/> are
    /// the graph's inputs, sorted. With MLNETBACKPROP_ONNX_OUT set, the model is also written there, named after the
    /// test, for the ONNX checker (tests/onnx/check.sh).
    /// </summary>
    private Dictionary<string, DisposableNamedOnnxValue> RunWhole(MLContext ml, ITransformer model, IDataView train, IDataView test, out string[] inputs,
        [System.Runtime.CompilerServices.CallerMemberName] string testName = "")
    {
        using var stream = new MemoryStream();
        ml.Model.ExportToOnnx(model, train, stream);
        if (Environment.GetEnvironmentVariable("MLNETBACKPROP_ONNX_OUT") is { Length: > 0 } directory)
            File.WriteAllBytes(Path.Combine(directory, testName + ".onnx"), stream.ToArray());
        using var session = new InferenceSession(stream.ToArray());
        inputs = session.InputMetadata.Keys.Order(StringComparer.Ordinal).ToArray();
        var feeds = session.InputMetadata.Select(input => Feed(test, input.Key, input.Value)).ToList();
        log.WriteLine($"{stream.Length:N0} bytes; inputs {string.Join(", ", inputs)}");
        return session.Run(feeds).ToDictionary(r => r.Name);
    }

    private static NamedOnnxValue Feed(IDataView data, string name, NodeMetadata input)
    {
        var type = data.Schema[name].Type;
        if (input.ElementType == typeof(float) && type is VectorDataViewType { Size: var width })
        {
            var rows = data.GetColumn<float[]>(name).ToArray();
            return NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(rows.SelectMany(r => r).ToArray(), [rows.Length, width]));
        }
        if (input.ElementType == typeof(float))
        {
            var values = data.GetColumn<float>(name).ToArray();
            return NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(values, [values.Length, 1]));
        }
        if (input.ElementType == typeof(string) && type is VectorDataViewType { Size: var slots })
        {
            var rows = data.GetColumn<string[]>(name).ToArray(); // an empty field reads as null
            return NamedOnnxValue.CreateFromTensor(name, new DenseTensor<string>(rows.SelectMany(r => r).Select(v => v ?? "").ToArray(), [rows.Length, slots]));
        }
        if (input.ElementType == typeof(string))
        {
            var values = data.GetColumn<string>(name).ToArray();
            return NamedOnnxValue.CreateFromTensor(name, new DenseTensor<string>(values, [values.Length, 1]));
        }
        throw new InvalidOperationException($"The test cannot feed input '{name}' of {input.ElementType.Name} from a column of {type}.");
    }
}
