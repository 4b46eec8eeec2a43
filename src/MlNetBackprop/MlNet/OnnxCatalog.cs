using Microsoft.ML;
using MlNetBackprop.MlNet.Export;

namespace MlNetBackprop;

/// <summary>ONNX export of pipelines that contain a <see cref="BackpropTrainer"/> network.</summary>
public static class OnnxCatalog
{
    /// <summary>
    /// Writes <paramref name="model"/> as an ONNX model (IR 7, opset 13) to <paramref name="stream"/>, for ONNX Runtime
    /// in any language: the part of the pipeline the network's features depend on (written by ML.NET's own converter,
    /// Microsoft.ML.OnnxConverter: one-hot encodings, missing-value replacement, normalizers, concatenation, ...), the
    /// network, and <c>MapKeyToValue</c> of <c>PredictedLabel</c> after it. Transforms that only make the label or other
    /// columns are left out. Its inputs are the raw columns the features are made from, named and typed as in the data,
    /// with a batch dimension N; its outputs are named as ML.NET's: <c>Score</c> and <c>PredictedLabel</c>, and
    /// <c>Probability</c> for binary classification, with ML.NET's values. Named differently from ML.NET's
    /// <c>ConvertToOnnx</c>, which cannot export this trainer, so that both can be referenced.
    /// </summary>
    /// <param name="catalog">The model operations catalog (<c>mlContext.Model</c>).</param>
    /// <param name="model">A fitted pipeline with one network trained by <see cref="BackpropTrainer"/>; a model from
    /// <c>MLContext.Model.Load</c> too.</param>
    /// <param name="inputData">Data of the schema the model reads (only its schema is used).</param>
    /// <param name="stream">Where the ONNX model is written; nothing is written when the model is refused.</param>
    /// <exception cref="InvalidOperationException">A transform the features are made with cannot be written to ONNX (the
    /// message names it and says what to do; <c>FeaturizeText</c> is one), a transform other than <c>MapKeyToValue</c>
    /// follows the network, or the model holds no network.</exception>
    /// <example>
    /// <code>
    /// using var file = File.Create("model.onnx");
    /// ml.Model.ExportToOnnx(model, trainData, file);
    /// </code>
    /// </example>
    public static void ExportToOnnx(this ModelOperationsCatalog catalog, ITransformer model, IDataView inputData, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputData);
        ArgumentNullException.ThrowIfNull(stream);
        var onnx = OnnxExport.Export(model, inputData);
        // Everything is checked before the first byte is written: a refused model leaves the stream untouched.
        var bytes = Google.Protobuf.MessageExtensions.ToByteArray(onnx);
        stream.Write(bytes);
    }
}
