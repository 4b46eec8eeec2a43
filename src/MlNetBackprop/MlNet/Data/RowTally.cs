namespace MlNetBackprop.MlNet.Data;

/// <summary>What reading the rows found besides the rows themselves: how many were read and why some were skipped.</summary>
internal sealed record RowTally(long Read, long BadFeatures, long MissingLabel, long BadWeight)
{
    /// <summary>Rows skipped for any reason.</summary>
    public long Skipped => BadFeatures + MissingLabel + BadWeight;
}
