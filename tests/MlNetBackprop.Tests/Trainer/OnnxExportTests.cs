using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit;

namespace MlNetBackprop.Tests.Trainer;

/// <summary>Models exported with <see cref="OnnxCatalog.ExportToOnnx"/>, scored by ONNX Runtime, against ML.NET's own scores.</summary>
public sealed partial class OnnxExportTests(Xunit.Abstractions.ITestOutputHelper log)
{
    public static TheoryData<string, HiddenActivation, MulticlassOutput> Cases()
    {
        var data = new TheoryData<string, HiddenActivation, MulticlassOutput>();
        foreach (var activation in Enum.GetValues<HiddenActivation>())
        {
            data.Add("multiclass", activation, MulticlassOutput.Softmax);
            data.Add("multiclass", activation, MulticlassOutput.Sigmoid);
            data.Add("binary", activation, MulticlassOutput.Softmax);
            data.Add("regression", activation, MulticlassOutput.Softmax);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ONNX_Runtime_scores_the_exported_model_as_ML_NET_does(string task, HiddenActivation activation, MulticlassOutput output)
    {
        var ml = new MLContext(seed: 1);
        var iris = TestData.Iris(ml);
        var data = task switch
        {
            "binary" => ml.Transforms.CustomMapping<FromModelTests.IrisKey, FromModelTests.BinaryLabel>((i, o) => o.IsVirginica = i.Label == 3, null).Fit(iris).Transform(iris),
            "regression" => ml.Transforms.CustomMapping<FromModelTests.IrisFeatures, FromModelTests.RegressionTarget>((i, o) => o.Width = i.Features[3] * 10 + 3, null).Fit(iris).Transform(iris),
            _ => iris,
        };
        var options = new BackpropTrainer.Options
        {
            HiddenLayerSizes = [7, 5], Activation = activation, MulticlassOutput = output, Epochs = 30, Seed = 4,
            LabelColumnName = task switch { "binary" => nameof(FromModelTests.BinaryLabel.IsVirginica), "regression" => nameof(FromModelTests.RegressionTarget.Width), _ => "Label" },
        };
        BackpropTransformer model = task switch
        {
            "binary" => ml.BinaryClassification.Trainers.Backprop(options).Fit(data),
            "regression" => ml.Regression.Trainers.Backprop(options).Fit(data),
            _ => ml.MulticlassClassification.Trainers.Backprop(options).Fit(data),
        };
        var scored = model.Transform(data);
        var onnx = Run(ml, model, data, out int rows);

        switch (task)
        {
            case "regression":
                AssertClose(scored.GetColumn<float>("Score").ToArray(), onnx["Score"].AsTensor<float>().ToArray());
                break;
            case "binary":
                AssertClose(scored.GetColumn<float>("Score").ToArray(), onnx["Score"].AsTensor<float>().ToArray());
                AssertClose(scored.GetColumn<float>("Probability").ToArray(), onnx["Probability"].AsTensor<float>().ToArray());
                Assert.Equal(scored.GetColumn<bool>("PredictedLabel").ToArray(), onnx["PredictedLabel"].AsTensor<bool>().ToArray());
                break;
            default:
                AssertClose(scored.GetColumn<float[]>("Score").SelectMany(s => s).ToArray(), onnx["Score"].AsTensor<float>().ToArray());
                Assert.Equal(scored.GetColumn<uint>("PredictedLabel").ToArray(), onnx["PredictedLabel"].AsTensor<uint>().ToArray());
                break;
        }
        Assert.Equal(150, rows);
    }

    [Fact]
    public void The_label_mappings_around_the_trainer_export_and_PredictedLabel_comes_back_as_text()
    {
        var ml = new MLContext(seed: 1);
        var raw = TestData.Iris(ml); // features ready; the label's key mapping and the class names around the trainer
        var withText = ml.Transforms.Conversion.MapKeyToValue("Species2", "Label").Fit(raw).Transform(raw);
        var model = ml.Transforms.Conversion.MapValueToKey("Label2", "Species2")
            .Append(new BackpropTrainer(ml, new BackpropTrainer.Options { LabelColumnName = "Label2", HiddenLayerSizes = [6], Epochs = 20 }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(withText);
        var onnx = Run(ml, model, withText, out _);
        var expected = model.Transform(withText).GetColumn<string>("PredictedLabel").ToArray();
        Assert.Equal(expected, onnx["PredictedLabel"].AsTensor<string>().ToArray());
        Assert.Contains("virginica", expected);
    }

    [Fact]
    public void A_default_model_that_kept_the_encoded_network_exports_and_scores_alike()
    {
        // Steps are what the piecewise-linear encoding is for: at the defaults Fit keeps the encoded network, whose
        // standardization, bins and scaling become ONNX nodes.
        var ml = new MLContext(seed: 1);
        var train = DefaultsTests.Steps(ml, 800, 1);
        var model = ml.Regression.Trainers.Backprop().Fit(train);
        Assert.True(model.Model.LayerSizes[0] > 3, $"first layer reads {model.Model.LayerSizes[0]} inputs: the plain network was kept");
        var test = DefaultsTests.Steps(ml, 200, 2);
        var onnx = Run(ml, model, test, out int rows);
        AssertClose(model.Transform(test).GetColumn<float>("Score").ToArray(), onnx["Score"].AsTensor<float>().ToArray());
        Assert.Equal(200, rows);
    }

    [Fact]
    public void A_transform_the_converter_cannot_write_is_named_and_nothing_is_written()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Iris(ml);
        var model = ml.Transforms.CustomMapping<FromModelTests.IrisFeatures, FromModelTests.IrisFeatures>((i, o) => o.Features = i.Features, null)
            .Append(new BackpropTrainer(ml, new BackpropTrainer.Options { HiddenLayerSizes = [4], Epochs = 2 })).Fit(data);
        string message = Refused(ml, model, data);
        Assert.Contains("CustomMappingTransformer", message);
        Assert.Contains("cannot write the transform", message);
    }

    [Fact]
    public void The_READMEs_pipeline_exports_from_the_raw_columns_and_scores_alike_after_loading_too()
    {
        // Raw iris: the label's key, the measurements concatenated out of their order, two affine normalizers, the
        // trainer and the label's text back. The graph's inputs are the four raw columns.
        var ml = new MLContext(seed: 1);
        var raw = TestData.IrisRaw(ml);
        var model = ml.Transforms.Conversion.MapValueToKey("Label", nameof(IrisRow.Species))
            .Append(ml.Transforms.Concatenate("Features", nameof(IrisRow.PetalWidth), nameof(IrisRow.SepalLength), nameof(IrisRow.PetalLength), nameof(IrisRow.SepalWidth)))
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.Transforms.NormalizeMeanVariance("Features", fixZero: false))
            .Append(new BackpropTrainer(ml, new BackpropTrainer.Options { HiddenLayerSizes = [8], Epochs = 40 }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(raw);
        using var saved = new MemoryStream();
        ml.Model.Save(model, raw.Schema, saved);
        saved.Position = 0;
        var loaded = ml.Model.Load(saved, out _);
        foreach (var exported in new[] { model, loaded })
        {
            using var stream = new MemoryStream();
            ml.Model.ExportToOnnx(exported, raw, stream);
            using var session = new InferenceSession(stream.ToArray());
            Assert.Equal(["PetalLength", "PetalWidth", "SepalLength", "SepalWidth"], session.InputMetadata.Keys.Order(StringComparer.Ordinal));
            var inputs = session.InputMetadata.Keys.Select(name =>
            {
                var values = raw.GetColumn<float>(name).ToArray();
                return NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(values, [values.Length, 1]));
            }).ToList();
            using var results = session.Run(inputs);
            var onnx = results.ToDictionary(r => r.Name);
            var scored = model.Transform(raw);
            AssertClose(scored.GetColumn<float[]>("Score").SelectMany(v => v).ToArray(), onnx["Score"].AsTensor<float>().ToArray());
            Assert.Equal(scored.GetColumn<string>("PredictedLabel").ToArray(), onnx["PredictedLabel"].AsTensor<string>().ToArray());
            Assert.DoesNotContain("Species", session.InputMetadata.Keys); // the label is not an input
        }
    }

    public sealed class OnnxBinaryOutputs
    {
        [VectorType(1)] public float[] Score { get; set; } = [];
        [VectorType(1)] public float[] Probability { get; set; } = [];
        [VectorType(1)] public bool[] PredictedLabel { get; set; } = [];
    }

    public sealed class BinaryScalars
    {
        public float OnnxScore { get; set; }
        public float OnnxProbability { get; set; }
        public bool OnnxPredictedLabel { get; set; }
    }

    public sealed class OnnxMulticlassOutputs
    {
        [VectorType(3)] public float[] Score { get; set; } = [];
        [VectorType(1)] public uint[] PredictedLabel { get; set; } = [];
    }

    public sealed class MulticlassColumns
    {
        [VectorType(3)] public float[] OnnxScore { get; set; } = [];
        [KeyType(3)] public uint OnnxPredictedLabel { get; set; }
    }

    public sealed class OnnxRegressionOutput { [VectorType(1)] public float[] Score { get; set; } = []; }

    public sealed class RegressionScalar { public float OnnxScore { get; set; } }

    [Fact]
    public void An_ApplyOnnxModel_pipeline_gives_the_metrics_of_the_original_for_every_task()
    {
        // ApplyOnnxModel turns every output into a vector: each single value is taken out again before evaluating.
        var ml = new MLContext(seed: 1);
        var iris = TestData.Iris(ml);
        string dir = Path.Combine(Path.GetTempPath(), "onnx-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var binaryData = ml.Transforms.CustomMapping<FromModelTests.IrisKey, FromModelTests.BinaryLabel>((i, o) => o.IsVirginica = i.Label == 3, null).Fit(iris).Transform(iris);
            var binary = ml.BinaryClassification.Trainers.Backprop(new BackpropTrainer.Options { HiddenLayerSizes = [6], LabelColumnName = nameof(FromModelTests.BinaryLabel.IsVirginica) }).Fit(binaryData);
            string binaryFile = Export(ml, binary, binaryData, dir, "binary.onnx");
            var viaOnnx = ml.Transforms.ApplyOnnxModel(["Score", "Probability", "PredictedLabel"], ["Features"], binaryFile)
                .Append(ml.Transforms.CustomMapping<OnnxBinaryOutputs, BinaryScalars>((i, o) =>
                    (o.OnnxScore, o.OnnxProbability, o.OnnxPredictedLabel) = (i.Score[0], i.Probability[0], i.PredictedLabel[0]), null))
                .Fit(binaryData).Transform(binaryData);
            var expected = ml.BinaryClassification.Evaluate(binary.Transform(binaryData), nameof(FromModelTests.BinaryLabel.IsVirginica));
            var actual = ml.BinaryClassification.Evaluate(viaOnnx, nameof(FromModelTests.BinaryLabel.IsVirginica), "OnnxScore", "OnnxProbability", "OnnxPredictedLabel");
            Assert.Equal(expected.Accuracy, actual.Accuracy);
            Assert.Equal(expected.AreaUnderRocCurve, actual.AreaUnderRocCurve, 1e-9);
            Assert.Equal(expected.LogLoss, actual.LogLoss, 1e-5);

            var multiclass = ml.MulticlassClassification.Trainers.Backprop(new BackpropTrainer.Options { HiddenLayerSizes = [6] }).Fit(iris);
            string multiclassFile = Export(ml, multiclass, iris, dir, "multiclass.onnx");
            var multiclassViaOnnx = ml.Transforms.ApplyOnnxModel(["Score", "PredictedLabel"], ["Features"], multiclassFile)
                .Append(ml.Transforms.CustomMapping<OnnxMulticlassOutputs, MulticlassColumns>((i, o) =>
                    (o.OnnxScore, o.OnnxPredictedLabel) = (i.Score, i.PredictedLabel[0]), null))
                .Fit(iris).Transform(iris);
            var m1 = ml.MulticlassClassification.Evaluate(multiclass.Transform(iris));
            var m2 = ml.MulticlassClassification.Evaluate(multiclassViaOnnx, "Label", "OnnxScore", "OnnxPredictedLabel");
            Assert.Equal(m1.MicroAccuracy, m2.MicroAccuracy);
            Assert.Equal(m1.MacroAccuracy, m2.MacroAccuracy);
            Assert.Equal(m1.LogLoss, m2.LogLoss, 1e-5);

            var regressionData = ml.Transforms.CustomMapping<FromModelTests.IrisFeatures, FromModelTests.RegressionTarget>((i, o) => o.Width = i.Features[3] * 10 + 3, null).Fit(iris).Transform(iris);
            var regression = ml.Regression.Trainers.Backprop(new BackpropTrainer.Options { HiddenLayerSizes = [6], LabelColumnName = nameof(FromModelTests.RegressionTarget.Width) }).Fit(regressionData);
            string regressionFile = Export(ml, regression, regressionData, dir, "regression.onnx");
            var scoredViaOnnx = ml.Transforms.ApplyOnnxModel(["Score"], ["Features"], regressionFile)
                .Append(ml.Transforms.CustomMapping<OnnxRegressionOutput, RegressionScalar>((i, o) => o.OnnxScore = i.Score[0], null))
                .Fit(regressionData).Transform(regressionData);
            var r1 = ml.Regression.Evaluate(regression.Transform(regressionData), nameof(FromModelTests.RegressionTarget.Width));
            var r2 = ml.Regression.Evaluate(scoredViaOnnx, nameof(FromModelTests.RegressionTarget.Width), "OnnxScore");
            Assert.Equal(r1.RSquared, r2.RSquared, 1e-5);
            Assert.Equal(r1.MeanAbsoluteError, r2.MeanAbsoluteError, 1e-4);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Export(MLContext ml, ITransformer model, IDataView data, string dir, string name)
    {
        string path = Path.Combine(dir, name);
        using var file = File.Create(path);
        ml.Model.ExportToOnnx(model, data, file);
        return path;
    }

    private static Dictionary<string, DisposableNamedOnnxValue> Run(MLContext ml, ITransformer model, IDataView data, out int rows)
    {
        using var stream = new MemoryStream();
        ml.Model.ExportToOnnx(model, data, stream);
        var features = data.GetColumn<float[]>("Features").ToArray();
        rows = features.Length;
        var tensor = new DenseTensor<float>(features.SelectMany(f => f).ToArray(), [features.Length, features[0].Length]);
        using var session = new InferenceSession(stream.ToArray());
        var results = session.Run([NamedOnnxValue.CreateFromTensor("Features", tensor)]);
        return results.ToDictionary(r => r.Name);
    }

    private void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        log.WriteLine($"largest relative difference {expected.Zip(actual, (e, a) => Math.Abs(e - a) / Math.Max(1, Math.Abs(e))).Max():E2} over {expected.Length} values");
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * Math.Max(1, Math.Abs(expected[i])), $"value {i}: {expected[i]} against {actual[i]}");
    }
}
