using Microsoft.ML;

namespace MlNetBackprop.MlNet.Data;

/// <summary>What one pass over the training data found, without keeping its rows: enough to train by streaming.</summary>
internal sealed record DataScan(long RowsRead, int Rows, long SkippedBadFeatures, long SkippedMissingLabel, long SkippedBadWeight,
    int[] ClassCounts, double[] ClassWeightSums, double WeightSum, float LabelMean, float LabelStandardDeviation)
{
    /// <summary>Reads every row once and keeps only counts, sums and the label's mean and deviation.</summary>
    public static DataScan Run(IDataView data, string featureName, string labelName, string? weightName, BackpropTask task,
        int inputSize, int classCount, CancellationToken cancellation)
    {
        int classes = task == BackpropTask.BinaryClassification ? 2 : task == BackpropTask.Regression ? 0 : classCount;
        var counts = new int[classes];
        var weightSums = new double[classes];
        double weightSum = 0, mean = 0, m2 = 0;
        int rows = 0;
        using var reader = new RowReader(data, featureName, labelName, weightName, task, inputSize, cancellation);
        var row = new float[inputSize];
        while (reader.Next(row, out double label, out float weight))
        {
            rows = checked(rows + 1);
            weightSum += weight;
            if (classes > 0)
            {
                counts[(int)label]++;
                weightSums[(int)label] += weight;
            }
            else
            {
                // Welford's running mean and variance, in the order the rows come.
                double delta = label - mean;
                mean += delta / rows;
                m2 += delta * (label - mean);
            }
        }
        double sd = rows > 0 ? Math.Sqrt(m2 / rows) : 1;
        return new DataScan(reader.Read, rows, reader.BadFeatures, reader.MissingLabel, reader.BadWeight, counts, weightSums, weightSum,
            (float)mean, sd > 0 && double.IsFinite(sd) ? (float)sd : 1f);
    }
}
