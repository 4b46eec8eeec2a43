// MultiOutput: one network predicts the water, fat and protein content of meat from its near-infrared spectrum (the
// Tecator data, 215 samples, 100 absorbance channels; provenance in samples/data/PROVENANCE.md). ML.NET's own advice
// for several targets is one model per target; this sample cross-validates the joint model beside one Backprop model
// and one SDCA model per target, with ML.NET's regression metrics, then saves the joint model, loads it back and
// predicts one sample with a PredictionEngine whose Score is a float[].
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetBackprop;

var ml = new MLContext(seed: 1);
string dataPath = Path.Combine(AppContext.BaseDirectory, "Data", "tecator_meats.csv");
var data = ml.Data.LoadFromTextFile<Meat>(dataPath, separatorChar: ',', hasHeader: true);
string[] targets = [nameof(Meat.Water), nameof(Meat.Fat), nameof(Meat.Protein)];
const int Folds = 5, Seed = 1;

// The label is a vector of the three targets; its slot names (water, fat, protein) become Score's.
var joint = ml.Transforms.Concatenate("Label", targets)
    .Append(ml.Regression.Trainers.BackpropMultiOutput(new BackpropTrainer.Options { Seed = Seed }));

Console.WriteLine($"Tecator meats: {data.GetRowCount() ?? ml.Data.CreateEnumerable<Meat>(data, false).Count()} samples, 100 absorbance channels, targets {string.Join(", ", targets)}; {Folds}-fold cross-validation.");
var clock = Stopwatch.StartNew();
var jointFolds = ml.Regression.CrossValidateMultiOutput(data, joint, Folds, seed: Seed);
double jointSeconds = clock.Elapsed.TotalSeconds;
double[] jointR2 = [.. Enumerable.Range(0, targets.Length).Select(j => jointFolds.Average(f => f.Metrics.PerTarget[j].RSquared))];

(double[] R2, double Seconds) OnePerTarget(Func<string, IEstimator<ITransformer>> trainer)
{
    var r2 = new double[targets.Length];
    var timer = Stopwatch.StartNew();
    for (int j = 0; j < targets.Length; j++)
        r2[j] = ml.Regression.CrossValidate(data, trainer(targets[j]), Folds, labelColumnName: targets[j], seed: Seed).Average(f => f.Metrics.RSquared);
    return (r2, timer.Elapsed.TotalSeconds);
}
var backprop = OnePerTarget(target => ml.Regression.Trainers.Backprop(new BackpropTrainer.Options { LabelColumnName = target, Seed = Seed }));
var sdca = OnePerTarget(target => ml.Transforms.NormalizeMeanVariance("Features")
    .Append(ml.Regression.Trainers.Sdca(labelColumnName: target, featureColumnName: "Features")));

Console.WriteLine();
Console.WriteLine($"{"R² (mean of folds)",-22}{targets[0],8}{targets[1],8}{targets[2],9}{"mean",8}{"Fit+CV",9}");
void Row(string name, double[] r2, double seconds)
    => Console.WriteLine($"{name,-22}{r2[0],8:0.000}{r2[1],8:0.000}{r2[2],9:0.000}{r2.Average(),8:0.000}{seconds,8:0.0}s");
Row("Backprop, one model", jointR2, jointSeconds);
Row("Backprop per target", backprop.R2, backprop.Seconds);
Row("SDCA per target", sdca.R2, sdca.Seconds);

// The joint model trained on all samples, saved, loaded back, and asked about one sample.
var model = joint.Fit(data);
string modelPath = Path.Combine(AppContext.BaseDirectory, "meats-model.zip");
ml.Model.Save(model, data.Schema, modelPath);
var loaded = ml.Model.Load(modelPath, out _);
var engine = ml.Model.CreatePredictionEngine<Meat, MeatPrediction>(loaded);
var sample = ml.Data.CreateEnumerable<Meat>(data, reuseRowObject: false).First();
var prediction = engine.Predict(sample);
var names = new VBuffer<ReadOnlyMemory<char>>();
loaded.GetOutputSchema(data.Schema)["Score"].GetSlotNames(ref names);
Console.WriteLine();
Console.WriteLine($"Model saved to {modelPath} and loaded back. The first sample:");
for (int j = 0; j < targets.Length; j++)
    Console.WriteLine($"  {names.GetItemOrDefault(j),-8} predicted {prediction.Score[j],6:0.0}%, measured {new[] { sample.Water, sample.Fat, sample.Protein }[j],6:0.0}%");

/// <summary>One row of tecator_meats.csv: 100 absorbances (850–1050 nm) and the three contents in percent.</summary>
public sealed class Meat
{
    [LoadColumn(0, 99), VectorType(100), ColumnName("Features")] public float[] Absorbance = [];
    [LoadColumn(100)] public float Water;
    [LoadColumn(101)] public float Fat;
    [LoadColumn(102)] public float Protein;
}

/// <summary>The joint model's prediction: water, fat and protein, in Score's slot order.</summary>
public sealed class MeatPrediction
{
    public float[] Score = [];
}
