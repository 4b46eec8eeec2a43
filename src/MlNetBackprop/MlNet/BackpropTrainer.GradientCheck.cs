using Microsoft.ML;
using MlNetBackprop.MlNet.Data;
using MlNetBackprop.MlNet.Training;
using MlNetBackprop.Network;
using MlNetBackprop.Network.Inputs;
using MlNetBackprop.Network.Targets;
using MlNetBackprop.Network.Training;

namespace MlNetBackprop;

public sealed partial class BackpropTrainer
{
    /// <summary>
    /// Checks backpropagation on your own data and network: builds the network these options describe, initialised as
    /// <c>Fit</c> initialises it from <see cref="Options.Seed"/> (or <see cref="DefaultSeed"/> when the options set none;
    /// a context's seed is not drawn, so that checking does not change later fits), or with <paramref name="model"/>'s
    /// trained weights, and compares, in double precision, its gradient on the first <paramref name="rows"/> rows with
    /// central finite differences for every weight and bias. Example and class weights, L2 (with n = the rows checked)
    /// and one fixed dropout mask are included.
    /// </summary>
    /// <param name="data">Data with the columns <c>Fit</c> expects.</param>
    /// <param name="rows">How many rows to take the cost over (from the start of the data).</param>
    /// <param name="model">Optionally, a trained model of these options whose weights are checked instead of fresh ones.</param>
    public GradientCheckReport CheckGradient(IDataView data, int rows = 10, BackpropTransformer? model = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (rows < 1) throw new ArgumentOutOfRangeException(nameof(rows), rows, "Check the gradient over at least 1 row.");
        var plan = TrainingPlan.Create(_options, data.Schema);
        if (model is not null)
            plan.CheckWarmStart(model);

        var head = new MLContext().Data.TakeRows(data, rows);
        bool sparse = TrainingDataReader.FormOf(head, plan.Columns.Features, plan.InputSize);
        var read = TrainingDataReader.Read(head, plan.Columns, plan.Task, plan.InputSize, plan.Classes, _options.CancellationToken, sparse).Rows!;
        if (read.Rows == 0)
            throw new InvalidOperationException($"None of the first {rows} rows can be used (NaN features, missing labels or bad weights).");
        var standardization = model?.Model.Standardization
            ?? (plan.Task == BackpropTask.Regression ? read.Statistics.Standardization() : LabelStandardization.None);
        var encoding = plan.Classes ?? TargetEncoding.Standardized(standardization);
        var classWeights = plan.Classes is null ? null : plan.ClassWeights(read.Statistics.ClassCounts);
        var weighting = plan.Columns.Weight is null && classWeights is null ? null : ExampleWeighting.Create(read.Statistics, classWeights);
        var scale = weighting?.Of<double>(read.Weights, read.Labels, encoding);
        var set = read.Sparse is { } rowsOfFloats
            ? new TrainingSet<double>(InDouble(rowsOfFloats), read.Labels, encoding, scale)
            : new TrainingSet<double>(read.Dense!.Select(v => (double)v).ToArray(), read.Rows, plan.InputSize, read.Labels, encoding, scale);

        int seed = _options.Seed ?? DefaultSeed;
        var network = plan.CreateNetwork(new Random(seed), model?.Model, sparse).ConvertTo<double>();
        int n = set.Rows;
        var batch = MiniBatch<double>.For(network.Layout, n, weighted: set.HasExampleScale);
        set.Gather(Enumerable.Range(0, n).ToArray(), batch);

        DropoutMasks<double>? dropout = null;
        if (_options.DropoutRate > 0)
        {
            dropout = new DropoutMasks<double>(plan.Layout, n, _options.DropoutRate, new Random(seed));
            dropout.Draw(n);
        }
        var result = GradientCheck.Run(network, batch, _options.L2Regularization, n, dropout: dropout);
        return new GradientCheckReport
        {
            MaxRelativeErrorPerLayer = result.MaxRelativeErrorPerLayer,
            ParametersChecked = result.ParametersChecked,
            Rows = n,
            BackpropTime = result.BackpropTime,
            FiniteDifferenceTime = result.FiniteDifferenceTime,
            Speedup = result.Speedup,
        };
    }

    private static SparseRows<double> InDouble(SparseRows<float> rows)
    {
        var copy = new SparseRows<double>(rows.Width, rows.Rows, rows.NonZeros);
        var values = new List<double>();
        for (int r = 0; r < rows.Rows; r++)
        {
            values.Clear();
            foreach (float v in rows.ValuesOf(r)) values.Add(v);
            copy.Append(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(values), rows.IndicesOf(r));
        }
        return copy;
    }
}
