#!/usr/bin/env bash
# The package as a user meets it: packs the trainer, makes a fresh console app in a temporary folder that takes
# MlNetBackprop from the pack output (a temporary nuget.config naming that folder; the repository's own names no
# address), trains and saves iris with the README's pipeline, then loads and predicts in a second run and exports the loaded model to ONNX in a third. Ends with
# "N passed, N failed".
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A version of its own, so that no package cached from an earlier run stands in for this one.
version="0.1.0-consumer.$(date +%s)"
dotnet pack "$root/src/MlNetBackprop/MlNetBackprop.csproj" -c Release -o "$work/feed" -p:PackageVersion="$version" -nologo -v quiet >/dev/null
echo "package: $(cd "$work/feed" && ls)"

mkdir "$work/app" && cd "$work/app"
cat > nuget.config <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="mlnetbackprop-pack" value="$work/feed" />
  </packageSources>
</configuration>
XML
dotnet new console -n Consumer -o . --force >/dev/null
dotnet add package MlNetBackprop --version "$version" >/dev/null
cp "$root/samples/data/iris/iris.csv" .
cat > Program.cs <<'CS'
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetBackprop;

var ml = new MLContext(seed: 1);
if (args[0] == "train")
{
    var data = ml.Data.LoadFromTextFile<Iris>("iris.csv", separatorChar: ',', hasHeader: true);
    var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", nameof(Iris.Species))
        .Append(ml.Transforms.Concatenate("Features", nameof(Iris.SepalLength), nameof(Iris.SepalWidth), nameof(Iris.PetalLength), nameof(Iris.PetalWidth)))
        .Append(ml.Transforms.NormalizeMinMax("Features"))
        .Append(new BackpropTrainer(ml))
        .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
    var model = pipeline.Fit(data);
    var metrics = ml.MulticlassClassification.Evaluate(model.Transform(data));
    ml.Model.Save(model, data.Schema, "model.zip");
    Console.WriteLine($"trained: accuracy {metrics.MicroAccuracy:F3}");
    return metrics.MicroAccuracy > 0.9 ? 0 : 1;
}
var loaded = ml.Model.Load("model.zip", out _);
if (args[0] == "export")
{
    // ONNX export comes with the package (its dependency on ML.NET's converter installs with it).
    var schemaOnly = ml.Data.LoadFromTextFile<Iris>("iris.csv", separatorChar: ',', hasHeader: true);
    using (var file = File.Create("model.onnx")) ml.Model.ExportToOnnx(loaded, schemaOnly, file);
    long size = new FileInfo("model.onnx").Length;
    Console.WriteLine($"exported: {size} bytes of ONNX");
    return size > 0 ? 0 : 1;
}
var engine = ml.Model.CreatePredictionEngine<Iris, Prediction>(loaded);
var flower = engine.Predict(new Iris { SepalLength = 6.7f, SepalWidth = 3.0f, PetalLength = 5.2f, PetalWidth = 2.3f });
Console.WriteLine($"predicted: {flower.PredictedLabel}");
return flower.PredictedLabel == "virginica" ? 0 : 1;

public sealed class Iris
{
    [LoadColumn(0)] public float SepalLength { get; set; }
    [LoadColumn(1)] public float SepalWidth { get; set; }
    [LoadColumn(2)] public float PetalLength { get; set; }
    [LoadColumn(3)] public float PetalWidth { get; set; }
    [LoadColumn(4)] public string Species { get; set; } = "";
}

public sealed class Prediction
{
    public string PredictedLabel { get; set; } = "";
}
CS
passed=0 failed=0
for run in train predict export; do
  if dotnet run -c Release -- "$run"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: the consumer's $run run"; fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
