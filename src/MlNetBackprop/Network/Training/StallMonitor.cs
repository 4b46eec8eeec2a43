namespace MlNetBackprop.Network.Training;

/// <summary>
/// scikit-learn's stall rule: the monitored cost must fall by at least the tolerance below its best so far; after more
/// than <c>patience</c> epochs without that, it has stalled (and the count starts again).
/// </summary>
internal sealed class StallMonitor(int patience, double tolerance)
{
    private double _best = double.PositiveInfinity;
    private int _epochsWithoutImprovement;

    /// <summary>Records an epoch's monitored cost; true when the cost has now stalled.</summary>
    public bool Stalled(double monitored)
    {
        _epochsWithoutImprovement = monitored > _best - tolerance ? _epochsWithoutImprovement + 1 : 0;
        _best = Math.Min(_best, monitored);
        if (_epochsWithoutImprovement <= patience)
            return false;
        _epochsWithoutImprovement = 0;
        return true;
    }
}
