using Microsoft.ML;
using MlNetBackprop.MlNet.Data;
using MlNetBackprop.Network;

namespace MlNetBackprop;

public sealed partial class BackpropTrainer
{
    /// <summary>
    /// Checks backpropagation on your own data and network: builds the network these options describe, initialised as
    /// <c>Fit</c> would (or with <paramref name="model"/>'s trained weights), and compares, in double precision, its
    /// gradient on the first <paramref name="rows"/> rows with central finite differences for every weight and bias.
    /// Example and class weights, L2 (with n = the rows checked) and one fixed dropout mask are included.
    /// </summary>
    /// <param name="data">Data with the columns <c>Fit</c> expects.</param>
    /// <param name="rows">How many rows to take the cost over (from the start of the data).</param>
    /// <param name="model">Optionally, a trained model of these options whose weights are checked instead of fresh ones.</param>
    public GradientCheckReport CheckGradient(IDataView data, int rows = 10, BackpropTransformer? model = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (rows < 1) throw new ArgumentOutOfRangeException(nameof(rows), rows, "Check the gradient over at least 1 row.");
        var schema = data.Schema;
        int inputSize = SchemaChecks.CheckFeatures(schema, _options.FeatureColumnName);
        var task = SchemaChecks.ResolveTask(schema, _options.LabelColumnName, _options.Task);
        SchemaChecks.CheckWeight(schema, _options.ExampleWeightColumnName);
        int outputs = task == BackpropTask.MulticlassClassification
            ? (int)((Microsoft.ML.Data.KeyDataViewType)schema[_options.LabelColumnName].Type).Count
            : 1;
        var layout = Layout(task, inputSize, outputs);
        if (model is not null)
            CheckWarmStart(model, task, layout);

        var head = new MLContext().Data.TakeRows(data, rows);
        var read = TrainingDataReader.Read(head, _options.FeatureColumnName, _options.LabelColumnName, _options.ExampleWeightColumnName,
            task, inputSize, outputs, _options.CancellationToken);
        if (read.Set.Rows == 0)
            throw new InvalidOperationException($"None of the first {rows} rows can be used (NaN features, missing labels or bad weights).");
        var set = WithClassWeights(read.Set, task, task == BackpropTask.MulticlassClassification ? outputs : 2, read.ClassCounts);

        int seed = _options.Seed ?? DefaultSeed;
        var single = new FeedForwardNetwork<float>(layout);
        single.InitializeWeights(new Random(seed), (InitializationKind)_options.WeightInitialization);
        if (model is not null) single.CopyParametersFrom(model.Model.Network);
        var network = single.ConvertTo<double>();

        int n = set.Rows;
        var inputs = new double[n * inputSize];
        var targets = new double[n * outputs];
        var scale = new double[n];
        var floatInputs = new float[n * inputSize];
        var floatTargets = new float[n * outputs];
        var floatScale = new float[n];
        set.Gather(Enumerable.Range(0, n).ToArray(), floatInputs, floatTargets, floatScale);
        for (int i = 0; i < inputs.Length; i++) inputs[i] = floatInputs[i];
        for (int i = 0; i < targets.Length; i++) targets[i] = floatTargets[i];
        for (int i = 0; i < n; i++) scale[i] = set.ExampleScale is null ? 1 : floatScale[i];

        DropoutMasks<double>? dropout = null;
        if (_options.DropoutRate > 0)
        {
            dropout = new DropoutMasks<double>(layout, n, _options.DropoutRate, new Random(seed));
            dropout.Draw(n);
        }
        var result = GradientCheck.Run(network, inputs, targets, scale, n, _options.L2Regularization, n, dropout: dropout);
        return new GradientCheckReport
        {
            MaxRelativeErrorPerLayer = result.MaxRelativeErrorPerLayer,
            ParametersChecked = result.ParametersChecked,
            Rows = n,
            BackpropTime = result.BackpropTime,
            FiniteDifferenceTime = result.FiniteDifferenceTime,
        };
    }
}
