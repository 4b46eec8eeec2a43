using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetBackprop.Datasets;
using MlNetBackprop.Network.Training;

namespace MlNetBackprop.Benchmarks;

/// <summary>The MNIST images the benchmarks use: Nielsen's 50,000 training images and 10,000 test images, loaded once.</summary>
internal static class MnistData
{
    private static string File(string name) => Path.Combine(AppContext.BaseDirectory, "Data", name);

    public static IDataView Train(int count = 50_000)
        => Mnist.Load(File("train-images-idx3-ubyte.gz"), File("train-labels-idx1-ubyte.gz"), 0, count);

    public static IDataView Test() => Mnist.Load(File("t10k-images-idx3-ubyte.gz"), File("t10k-labels-idx1-ubyte.gz"));

    /// <summary>The training images as the engine's training set (features in [0, 1], labels as class indices).</summary>
    public static TrainingSet<float> TrainingSet(int count = 50_000)
    {
        var data = Train(count);
        var inputs = data.GetColumn<VBuffer<float>>("Features").SelectMany(v => v.DenseValues()).ToArray();
        var labels = data.GetColumn<uint>("Label").Select(k => (int)k - 1).ToArray();
        return TrainingSet<float>.ForClasses(inputs, count, Mnist.Pixels, labels, 10, null);
    }
}
