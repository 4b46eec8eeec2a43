using Microsoft.ML;
using MlNetBackprop.MlNet.Data;
using MlNetBackprop.MlNet.Fitting;
using MlNetBackprop.Network;
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
        var head = new MLContext().Data.TakeRows(data, rows);
        bool sparse = TrainingData.HeldSparse(plan, head);
        if (model is not null)
            plan.CheckWarmStart(model, sparse);

        // The rows as Fit reads them (labels, example and class weights, the features' statistics), in double.
        using var read = TrainingData.Read(plan, head, null, model?.Model.Standardization, sparse,
            model is null && !sparse ? plan.FeatureStatisticsFor(plan.InputSize) : null, null, needsTwoClasses: false);
        var selected = model is null && sparse ? read.SelectColumns(TrainingPlan.MostSelectedColumns, plan.FeatureStatisticsFor) : null;
        var set = read.Rows.ConvertTo<double>();
        int seed = _options.Seed ?? DefaultSeed;
        var network = plan.CreateNetwork(new Random(seed), model?.Model, sparse, selected, read.Features).ConvertTo<double>();
        int n = set.Rows;
        var batch = MiniBatch<double>.For(network.Layout, n, weighted: set.HasExampleScale);
        set.Gather(Enumerable.Range(0, n).ToArray(), batch);

        DropoutMasks<double>? dropout = null;
        if (_options.DropoutRate > 0)
        {
            dropout = new DropoutMasks<double>(network.Layout, n, _options.DropoutRate, new Random(seed));
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
}
