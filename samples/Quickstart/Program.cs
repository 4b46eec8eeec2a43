// Quickstart: train BackpropTrainer on iris inside an ordinary ML.NET pipeline, evaluate it with ML.NET's own
// metrics, save the model, load it back and predict one flower with a PredictionEngine.
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetBackprop;

var ml = new MLContext(seed: 1);
ml.Log += (_, e) =>
{
    // The trainer logs one line per epoch; show every tenth and the summary lines.
    if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info && e.Source.StartsWith(nameof(BackpropTrainer))
        && (!e.RawMessage.StartsWith("Epoch ") || e.RawMessage.Split(' ', '/')[1].EndsWith('0')))
        Console.WriteLine($"  {e.RawMessage}");
};

string dataPath = Path.Combine(AppContext.BaseDirectory, "Data", "iris.csv");
var data = ml.Data.LoadFromTextFile<Iris>(dataPath, separatorChar: ',', hasHeader: true);
var split = ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);

var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", nameof(Iris.Species))
    .Append(ml.Transforms.Concatenate("Features", nameof(Iris.SepalLength), nameof(Iris.SepalWidth),
        nameof(Iris.PetalLength), nameof(Iris.PetalWidth)))
    .Append(ml.Transforms.NormalizeMinMax("Features"))
    .Append(new BackpropTrainer(ml))
    .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

Console.WriteLine("Training a 4-100-3 network on iris with the trainer's defaults:");
var model = pipeline.Fit(split.TrainSet);

var metrics = ml.MulticlassClassification.Evaluate(model.Transform(split.TestSet));
Console.WriteLine($"Test micro-accuracy {metrics.MicroAccuracy:P1}, macro-accuracy {metrics.MacroAccuracy:P1}, log-loss {metrics.LogLoss:F3}");
Console.WriteLine(metrics.ConfusionMatrix.GetFormattedConfusionTable());

string modelPath = Path.Combine(AppContext.BaseDirectory, "iris-model.zip");
ml.Model.Save(model, split.TrainSet.Schema, modelPath);
Console.WriteLine($"Model saved to {modelPath}");

var loaded = ml.Model.Load(modelPath, out _);
var engine = ml.Model.CreatePredictionEngine<Iris, IrisPrediction>(loaded);
var flower = new Iris { SepalLength = 6.1f, SepalWidth = 2.8f, PetalLength = 4.7f, PetalWidth = 1.2f };
var prediction = engine.Predict(flower);
Console.WriteLine($"Reloaded model: a flower with petals {flower.PetalLength} x {flower.PetalWidth} cm is '{prediction.PredictedLabel}' " +
    $"(probabilities {string.Join(", ", prediction.Score.Select(p => p.ToString("F3")))})");

/// <summary>One row of iris.csv.</summary>
public sealed class Iris
{
    [LoadColumn(0)] public float SepalLength;
    [LoadColumn(1)] public float SepalWidth;
    [LoadColumn(2)] public float PetalLength;
    [LoadColumn(3)] public float PetalWidth;
    [LoadColumn(4)] public string Species = "";
}

/// <summary>What the model predicts for a flower.</summary>
public sealed class IrisPrediction
{
    public string PredictedLabel = "";
    public float[] Score = [];
}
