using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;
using Xunit.Abstractions;

namespace MlNetBackprop.Tests.Trainer;

/// <summary>Each output layer and cost, each hidden activation, per-layer activations and Double labels, end to end through ML.NET.</summary>
public sealed class OutputLayerTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mlnetbackprop-output-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Saves and loads <paramref name="model"/>, and checks the loaded one scores the same bits.</summary>
    private IDataView Reloaded(MLContext ml, ITransformer model, IDataView data, string[] columns)
    {
        string path = Path.Combine(_dir, $"{Guid.NewGuid():N}.zip");
        ml.Model.Save(model, data.Schema, path);
        var loaded = ml.Model.Load(path, out _).Transform(data);
        Assert.Equal(ScoreDump.Rows(model.Transform(data), columns).ToArray(), ScoreDump.Rows(loaded, columns).ToArray());
        return loaded;
    }

    [Theory]
    [InlineData(CostFunction.CrossEntropy, MulticlassOutput.Softmax)]
    [InlineData(CostFunction.CrossEntropy, MulticlassOutput.Sigmoid)]
    [InlineData(CostFunction.Quadratic, MulticlassOutput.Softmax)]
    [InlineData(CostFunction.Quadratic, MulticlassOutput.Sigmoid)]
    public void Every_multiclass_output_and_cost_learns_iris_and_reloads(CostFunction cost, MulticlassOutput outputLayer)
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Iris(ml);
        var model = new BackpropTrainer(ml, new BackpropTrainer.Options
        { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, Epochs = 100, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, HiddenLayerSizes = [10], Cost = cost, MulticlassOutput = outputLayer }).Fit(data);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(data));
        output.WriteLine($"{cost}, {outputLayer}: accuracy {metrics.MicroAccuracy:F4}, log-loss {metrics.LogLoss:F4}");
        Assert.True(metrics.MicroAccuracy > 0.9, $"accuracy {metrics.MicroAccuracy}");
        foreach (var probabilities in TestData.Vectors(model.Transform(data), "Score"))
            Assert.Equal(1.0, probabilities.Sum(), 5);
        var reloaded = Reloaded(ml, model, data, ["Score", "PredictedLabel"]);
        Assert.Equal(metrics.LogLoss, ml.MulticlassClassification.Evaluate(reloaded).LogLoss);
    }

    [Fact]
    public void Sigmoid_outputs_score_as_the_sigmoids_divided_by_their_sum()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Iris(ml);
        var model = new BackpropTrainer(ml, new BackpropTrainer.Options
        { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, HiddenLayerSizes = [6], Epochs = 20, MulticlassOutput = MulticlassOutput.Sigmoid }).Fit(data);
        var features = TestData.Vectors(data, "Features");
        var scores = TestData.Vectors(model.Transform(data), "Score");
        var (w0, b0, w1, b1) = (model.Model.GetWeights(0).ToArray(), model.Model.GetBiases(0).ToArray(), model.Model.GetWeights(1).ToArray(), model.Model.GetBiases(1).ToArray());
        static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
        for (int row = 0; row < features.Length; row++)
        {
            var hidden = Enumerable.Range(0, 6).Select(j => Sigmoid(b0[j] + Enumerable.Range(0, 4).Sum(k => w0[j * 4 + k] * (double)features[row][k]))).ToArray();
            var outputs = Enumerable.Range(0, 3).Select(j => Sigmoid(b1[j] + Enumerable.Range(0, 6).Sum(k => w1[j * 6 + k] * hidden[k]))).ToArray();
            for (int c = 0; c < 3; c++)
                Assert.True(Math.Abs(outputs[c] / outputs.Sum() - scores[row][c]) < 1e-6, $"row {row}, class {c}: {outputs[c] / outputs.Sum()} vs {scores[row][c]}");
        }
    }

    public static TheoryData<HiddenActivation> Activations()
    {
        var data = new TheoryData<HiddenActivation>();
        foreach (var activation in Enum.GetValues<HiddenActivation>()) data.Add(activation);
        return data;
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void Every_hidden_activation_learns_iris(HiddenActivation activation)
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Iris(ml);
        var model = new BackpropTrainer(ml, new BackpropTrainer.Options
        { Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, HiddenLayerSizes = [10], Epochs = 60, Activation = activation, LearningRate = activation == HiddenActivation.Sigmoid ? 0.5 : 0.1 }).Fit(data);
        double accuracy = ml.MulticlassClassification.Evaluate(model.Transform(data)).MicroAccuracy;
        output.WriteLine($"{activation}: accuracy {accuracy:F4}");
        Assert.Equal(activation, model.Model.Activation);
        Assert.True(accuracy > 0.9, $"accuracy {accuracy}");
    }

    [Fact]
    public void Each_hidden_layer_may_have_its_own_activation()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Iris(ml);
        var options = new BackpropTrainer.Options
        { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false,
            HiddenLayerSizes = [12, 8], HiddenLayerActivations = [HiddenActivation.LeakyRelu, HiddenActivation.Tanh], Epochs = 40, LearningRate = 0.1,
        };
        var model = new BackpropTrainer(ml, options).Fit(data);
        Assert.Equal([HiddenActivation.LeakyRelu, HiddenActivation.Tanh], model.Model.HiddenLayerActivations);
        Assert.Equal(HiddenActivation.LeakyRelu, model.Model.Activation);
        Assert.True(ml.MulticlassClassification.Evaluate(model.Transform(data)).MicroAccuracy > 0.9);
        Reloaded(ml, model, data, ["Score", "PredictedLabel"]);

        // A model continues only with the activations it was trained with.
        options.HiddenLayerActivations = [HiddenActivation.Tanh, HiddenActivation.LeakyRelu];
        var e = Assert.Throws<InvalidOperationException>(() => new BackpropTrainer(ml, options).Fit(data, null, model));
        Assert.Contains("LeakyRelu, Tanh", e.Message);
        Assert.Contains("Tanh, LeakyRelu", e.Message);
    }

    [Fact]
    public void A_network_without_hidden_layers_is_a_linear_model_with_no_hidden_activation()
    {
        var ml = new MLContext(seed: 1);
        var model = new BackpropTrainer(ml, new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, HiddenLayerSizes = [], Epochs = 30 }).Fit(TestData.Iris(ml));
        Assert.Equal([4, 3], model.Model.LayerSizes);
        Assert.Empty(model.Model.HiddenLayerActivations);
        Assert.Null(model.Model.Activation);
    }

    [Fact]
    public void A_Double_label_trains_a_regression_in_its_own_units()
    {
        var ml = new MLContext(seed: 1);
        var rows = TestData.NonLinearRegression(2000, seed: 1).Select(r => new DoubleLabelRow { Features = r.Features, Label = r.Label }).ToList();
        var test = TestData.NonLinearRegression(500, seed: 2).Select(r => new DoubleLabelRow { Features = r.Features, Label = r.Label }).ToList();
        var pipeline = ml.Transforms.NormalizeMinMax("Features").Append(ml.Regression.Trainers.Backprop());
        var model = pipeline.Fit(ml.Data.LoadFromEnumerable(rows));
        Assert.Equal(BackpropTask.Regression, model.LastTransformer.Task);
        Assert.Equal(rows.Average(r => r.Label), model.LastTransformer.Model.OutputOffset, 0.1);
        // ML.NET's regression evaluator wants a Single label; the Double one is converted for it.
        var scored = ml.Transforms.Conversion.ConvertType("Label", outputKind: DataKind.Single).Fit(model.Transform(ml.Data.LoadFromEnumerable(test)))
            .Transform(model.Transform(ml.Data.LoadFromEnumerable(test)));
        var metrics = ml.Regression.Evaluate(scored);
        output.WriteLine($"Double label: R² {metrics.RSquared:F4}");
        Assert.True(metrics.RSquared > 0.95, $"R² {metrics.RSquared}");
    }

    public sealed class DoubleLabelRow
    {
        [VectorType(4)] public float[] Features = [];
        public double Label;
    }
}
