using Microsoft.ML;
using Microsoft.ML.Runtime;
using MlNetBackprop.MlNet.Data;
using MlNetBackprop.Network.Inputs;
using MlNetBackprop.Network.Targets;
using MlNetBackprop.Network.Training;

namespace MlNetBackprop.MlNet.Fitting;

/// <summary>
/// The examples as training sees them: read into memory in one pass when they fit <see cref="BackpropTrainer.Options.MemoryBudgetMegabytes"/>,
/// otherwise scanned once and streamed every epoch, as dense rows or, for sparse features, sparse rows; the validation
/// set; and the label standardisation both use.
/// </summary>
internal sealed class TrainingData : IDisposable
{
    private TrainingData(IBatchSource<float> batches, TrainingSet<float>? validation, LabelStandardization standardization, FeatureStatistics? features)
        => (Batches, Validation, Standardization, Features) = (batches, validation, standardization, features);

    /// <summary>The training examples' mini-batches.</summary>
    public IBatchSource<float> Batches { get; private set; }

    /// <summary>The examples measured after every epoch, or null.</summary>
    public TrainingSet<float>? Validation { get; private set; }

    /// <summary>Regression's label standardisation (<see cref="LabelStandardization.None"/> for classification).</summary>
    public LabelStandardization Standardization { get; }

    /// <summary>The features' statistics over every training row read, for a network that standardizes them; null otherwise.</summary>
    public FeatureStatistics? Features { get; private set; }

    /// <summary>
    /// For rows held sparse in memory whose used columns are at most <paramref name="most"/>: those columns, with
    /// <see cref="Features"/> now their statistics (from <paramref name="statistics"/>, when the network needs them), so
    /// that a column selection can make the rows dense; null otherwise (the first layer reads the sparse rows).
    /// </summary>
    public int[]? SelectColumns(int most, Func<int, FeatureStatistics?> statistics)
    {
        if (Batches is not InMemoryBatches<float> { Data: { IsSparse: true } rows } || rows.UsedColumns(most) is not { Length: > 0 } columns)
            return null;
        Features = statistics(columns.Length);
        if (Features is not null) rows.AddColumnsTo(columns, Features);
        return columns;
    }

    /// <summary>
    /// Reads <paramref name="train"/> (and <paramref name="validation"/>) as <paramref name="plan"/> says, in one pass when
    /// the rows fit in memory, gathering the features' statistics into <paramref name="features"/> (for a network that
    /// standardizes them; null otherwise).
    /// A continued model keeps its label standardisation (<paramref name="continued"/>), so that its outputs keep their
    /// meaning. A classifier needs rows of two classes at least (<paramref name="needsTwoClasses"/>: a gradient check does not).
    /// </summary>
    public static TrainingData Read(TrainingPlan plan, IDataView train, IDataView? validation, LabelStandardization? continued, bool sparse,
        FeatureStatistics? features, IChannel? channel, bool needsTwoClasses = true)
    {
        var options = plan.Options;
        long budget = (long)options.MemoryBudgetMegabytes << 20;
        bool weighted = plan.HasExampleWeights;
        var read = TrainingDataReader.Read(train, plan.Columns, plan.Task, plan.InputSize, plan.ClassCount, options.CancellationToken, sparse, budget, features);
        var scan = read.Scan;
        CheckUsable(plan, scan.Tally, scan.Statistics, needsTwoClasses);
        TrainingLog.Skipped(channel, scan.Tally);
        var standardization = continued ?? StandardizationOf(plan, scan.Statistics);
        var encoding = plan.EncodingFor(standardization);

        IBatchSource<float> batches;
        if (read.Rows is { } rows)
        {
            var scale = Weighting(plan, rows.Statistics, classWeighted: true)?.Of<float>(rows.Weights, rows.Labels);
            batches = new InMemoryBatches<float>(rows.ToSet(plan.InputSize, encoding, scale));
            if (sparse)
                TrainingLog.Info(channel, $"Features held as sparse rows: {scan.MeanNonZeros:0.#} non-zeros per row of {plan.InputSize:N0} on average.");
        }
        else
        {
            long bytesPerRow = sparse
                ? TrainingSet<float>.BytesPerSparseRow(scan.MeanNonZeros, weighted, plan.LabelWidth)
                : TrainingSet<float>.BytesPerRow(plan.InputSize, weighted, plan.LabelWidth);
            var source = new StreamingBatchSource(train, plan.Columns, plan.Task, plan.InputSize, scan.Statistics.Rows, encoding,
                Weighting(plan, scan.Statistics, classWeighted: true), MemoryBudget.ShuffleBufferRows(budget, bytesPerRow, options.BatchSize), sparse,
                scan.MeanNonZeros, options.CancellationToken);
            TrainingLog.Streaming(channel, scan.Statistics.Rows, bytesPerRow, options.MemoryBudgetMegabytes, source.BufferRows);
            batches = source;
        }
        return new TrainingData(batches, validation is null ? null : ReadValidation(plan, validation, standardization, sparse), standardization, features);
    }

    /// <summary>Whether <paramref name="train"/>'s rows are to be held sparse (see <see cref="TrainingDataReader.FormOf"/>); a look at its first rows.</summary>
    public static bool HeldSparse(TrainingPlan plan, IDataView train) => TrainingDataReader.FormOf(train, plan.Columns.Features, plan.InputSize);

    /// <summary>The training rows held in memory (with no early-stopping split taken yet); throws for rows streamed from storage.</summary>
    public TrainingSet<float> Rows => Batches is InMemoryBatches<float> { Data: var set } ? set
        : throw new InvalidOperationException("The training rows are streamed from storage, not held in memory.");

    /// <summary>Whether the first layer reads sparse rows: the form in which the training rows are held.</summary>
    public bool SparseInputs => Batches.SparseInputs;

    /// <summary>
    /// With early stopping and no validation data, sets a stratified <see cref="BackpropTrainer.Options.ValidationFraction"/>
    /// of the training rows aside for validation, drawing the split's seed from <paramref name="random"/>
    /// (<paramref name="choosesEncoding"/>: see <see cref="TrainingPlan.EarlyStoppingFor"/>).
    /// </summary>
    public void SplitForEarlyStopping(TrainingPlan plan, Random random, IChannel? channel, bool choosesEncoding)
    {
        if (!plan.EarlyStoppingFor(Batches.Rows, choosesEncoding) || Validation is not null) return;
        if (Batches is not InMemoryBatches<float> { Data: var set })
            throw new InvalidOperationException(
                "Early stopping needs validation data, and training data streamed beyond MemoryBudgetMegabytes cannot be split: pass validation data to Fit.");
        if (set.Rows < 2)
            throw new InvalidOperationException("Early stopping needs validation data, and the training data is too small to set some aside: pass validation data to Fit.");
        var (train, validation) = set.Split(plan.Options.ValidationFraction, random.Next());
        (Batches, Validation) = (new InMemoryBatches<float>(train), validation);
        TrainingLog.Info(channel, $"Early stopping: set aside {validation.Rows} of {set.Rows} training rows for validation" +
            $"{(plan.Classes is null ? "" : ", stratified by class")}.");
    }

    /// <inheritdoc/>
    public void Dispose() => (Batches as IDisposable)?.Dispose();

    /// <summary>The validation rows, held in the training rows' form (the network reads one form).</summary>
    private static TrainingSet<float> ReadValidation(TrainingPlan plan, IDataView data, LabelStandardization standardization, bool sparse)
    {
        plan.CheckValidationSchema(data.Schema);
        var rows = TrainingDataReader.Read(data, plan.Columns, plan.Task, plan.InputSize, plan.ClassCount, plan.Options.CancellationToken, sparse).Rows!;
        if (rows.Rows == 0)
            throw new InvalidOperationException($"The validation data has no usable rows (of {rows.Tally.Read} read).");
        var encoding = plan.EncodingFor(standardization);
        // Validation rows keep their example weights; class weights shape training only.
        var scale = Weighting(plan, rows.Statistics, classWeighted: false)?.Of<float>(rows.Weights, rows.Labels);
        return rows.ToSet(plan.InputSize, encoding, scale);
    }

    private static LabelStandardization StandardizationOf(TrainingPlan plan, LabelStatistics statistics)
        => OutputPairing.IsRegression(plan.Task) ? statistics.Standardization() : LabelStandardization.None;

    /// <summary>The rows' weights from the example weight column and (for training) the class weights; null when all weigh the same.</summary>
    private static ExampleWeighting? Weighting(TrainingPlan plan, LabelStatistics statistics, bool classWeighted)
    {
        var classWeights = classWeighted && plan.Classes is not null ? plan.ClassWeights(statistics.ClassCounts) : null;
        if (plan.Columns.Weight is null && classWeights is null)
            return null;
        if (plan.Columns.Weight is { } column && !(statistics.WeightSum > 0))
            throw new InvalidOperationException($"Every example weight in column '{column}' is zero: at least one row must weigh more than 0.");
        return ExampleWeighting.Create(statistics, classWeights);
    }

    private static void CheckUsable(TrainingPlan plan, RowTally tally, LabelStatistics statistics, bool needsTwoClasses)
    {
        if (statistics.Rows == 0)
            throw new InvalidOperationException(tally.Read == 0
                ? "The training data has no rows."
                : $"None of the {tally.Read} training rows can be used: each has NaN or infinite features, a missing label, or a bad weight.");
        if (plan.OutputNames is { } outputs)
            for (int j = 0; j < outputs.Length; j++)
                if (statistics.PresentValues[j] == 0)
                    throw new InvalidOperationException(
                        $"Slot {j} ('{outputs[j]}') of label column '{plan.Options.LabelColumnName}' is missing (NaN) in every usable training row: a network cannot learn a target it never sees. Drop the slot from the label, or give it values.");
        if (plan.Classes is null || !needsTwoClasses) return;
        var present = statistics.ClassCounts.Select((count, index) => (count, index)).Where(c => c.count > 0).ToArray();
        if (present.Length < 2)
        {
            string only = plan.ClassNames?[present[0].index] ?? (present[0].index == 1 ? "true" : "false");
            throw new InvalidOperationException(
                $"Label column '{plan.Options.LabelColumnName}' has only one class ('{only}') in the training data: a classifier needs examples of at least two.");
        }
    }
}
