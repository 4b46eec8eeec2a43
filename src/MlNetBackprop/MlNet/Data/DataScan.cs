using MlNetBackprop.Network.Targets;

namespace MlNetBackprop.MlNet.Data;

/// <summary>
/// What one pass over the training data found, whether or not its rows were kept: the counts, the labels' statistics
/// and the features' non-zeros, enough to train by streaming.
/// </summary>
internal sealed record DataScan(RowTally Tally, LabelStatistics Statistics, long NonZeros)
{
    /// <summary>The mean number of non-zero features per usable row.</summary>
    public double MeanNonZeros => Statistics.Rows == 0 ? 0 : (double)NonZeros / Statistics.Rows;
}
