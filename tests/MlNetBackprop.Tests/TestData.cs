using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetBackprop.Tests;

/// <summary>Datasets and helpers shared by the tests.</summary>
internal static class TestData
{
    public static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "Data", file);

    /// <summary>The repository's root (the folder of MlNetBackprop.sln above the tests' output), for tests that read its sources.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MlNetBackprop.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"No MlNetBackprop.sln above {AppContext.BaseDirectory}: the test reads the repository's sources.");
    }

    /// <summary>Iris with Label as a key and min-max normalised Features, ready for the trainer.</summary>
    public static IDataView Iris(MLContext ml)
    {
        var raw = ml.Data.LoadFromTextFile<IrisRow>(PathOf("iris.csv"), separatorChar: ',', hasHeader: true);
        return ml.Transforms.Conversion.MapValueToKey("Label", nameof(IrisRow.Species))
            .Append(ml.Transforms.Concatenate("Features", nameof(IrisRow.SepalLength), nameof(IrisRow.SepalWidth),
                nameof(IrisRow.PetalLength), nameof(IrisRow.PetalWidth)))
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Fit(raw).Transform(raw);
    }

    /// <summary>The raw iris rows (Species as text, the four measurements as columns).</summary>
    public static IDataView IrisRaw(MLContext ml)
        => ml.Data.LoadFromTextFile<IrisRow>(PathOf("iris.csv"), separatorChar: ',', hasHeader: true);

    /// <summary>UCI optdigits (64 features 0..16, digit 0..9) as loaded, unnormalised.</summary>
    public static IDataView Digits(MLContext ml, string file)
        => ml.Data.LoadFromTextFile<DigitRow>(PathOf(file), separatorChar: ',', hasHeader: false);

    /// <summary>optdigits as the trainer wants it: the 64 pixels as Features (min-max normalised), the digit as a key Label.</summary>
    public static IEstimator<ITransformer> DigitsPreparation(MLContext ml)
        => ml.Transforms.CopyColumns("Features", nameof(DigitRow.Pixels))
            .Append(ml.Transforms.Conversion.MapValueToKey("Label", nameof(DigitRow.Digit)))
            .Append(ml.Transforms.NormalizeMinMax("Features"));

    /// <summary>XOR's four points, each repeated so that mini-batches are meaningful.</summary>
    public static IDataView Xor(MLContext ml, int copies = 25)
    {
        var rows = new List<XorRow>();
        for (int i = 0; i < copies; i++)
        {
            rows.Add(new XorRow { Features = [0, 0], Label = false });
            rows.Add(new XorRow { Features = [0, 1], Label = true });
            rows.Add(new XorRow { Features = [1, 0], Label = true });
            rows.Add(new XorRow { Features = [1, 1], Label = false });
        }
        return ml.Data.LoadFromEnumerable(rows);
    }

    /// <summary>
    /// A non-linear regression in the label's own (large) units: y = 1000 + 300·sin(3x₁) + 200·x₂² − 150·x₁x₃ + noise,
    /// with features uniform in [−1, 1]: what a linear model cannot fit.
    /// </summary>
    public static List<RegressionRow> NonLinearRegression(int rows, int seed)
    {
        var random = new Random(seed);
        var list = new List<RegressionRow>(rows);
        for (int i = 0; i < rows; i++)
        {
            var x = new float[4];
            for (int j = 0; j < x.Length; j++) x[j] = (float)(random.NextDouble() * 2 - 1);
            double y = 1000 + 300 * Math.Sin(3 * x[0]) + 200 * x[1] * x[1] - 150 * x[0] * x[2] + 10 * (random.NextDouble() - 0.5);
            list.Add(new RegressionRow { Features = x, Label = (float)y });
        }
        return list;
    }

    /// <summary>ML.NET's own conversion of a schema to a shape (internal in ML.NET; used here only to check promises).</summary>
    public static SchemaShape ShapeOf(DataViewSchema schema)
    {
        var create = typeof(SchemaShape).GetMethod("Create", BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public,
            [typeof(DataViewSchema)]) ?? throw new InvalidOperationException("SchemaShape.Create(DataViewSchema) not found.");
        return (SchemaShape)create.Invoke(null, [schema])!;
    }

    /// <summary>All values of a float vector column.</summary>
    public static float[][] Vectors(IDataView data, string column)
        => data.GetColumn<VBuffer<float>>(column).Select(v => v.DenseValues().ToArray()).ToArray();
}

public sealed class IrisRow
{
    [LoadColumn(0)] public float SepalLength;
    [LoadColumn(1)] public float SepalWidth;
    [LoadColumn(2)] public float PetalLength;
    [LoadColumn(3)] public float PetalWidth;
    [LoadColumn(4)] public string Species = "";
}

public sealed class DigitRow
{
    [LoadColumn(0, 63), VectorType(64)] public float[] Pixels = [];
    [LoadColumn(64)] public float Digit;
}

public sealed class XorRow
{
    [VectorType(2)] public float[] Features = [];
    public bool Label;
}

public sealed class RegressionRow
{
    [VectorType(4)] public float[] Features = [];
    public float Label;
}
