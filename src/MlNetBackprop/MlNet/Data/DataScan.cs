using Microsoft.ML;
using MlNetBackprop.Network.Targets;

namespace MlNetBackprop.MlNet.Data;

/// <summary>What one pass over the training data found, without keeping its rows: enough to train by streaming.</summary>
internal sealed record DataScan(RowTally Tally, LabelStatistics Statistics)
{
    /// <summary>Reads every row once and keeps only the counts and the labels' statistics.</summary>
    public static DataScan Run(IDataView data, TrainingColumns columns, BackpropTask task, int inputSize, TargetEncoding? classes,
        CancellationToken cancellation)
    {
        var statistics = new LabelStatistics(classes);
        using var reader = new RowReader(data, columns, task, inputSize, cancellation);
        var row = new float[inputSize];
        while (reader.Next(row, out double label, out float weight))
            statistics.Add(label, weight);
        return new DataScan(reader.Tally, statistics);
    }
}
