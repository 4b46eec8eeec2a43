namespace MlNetBackprop.MlNet.Persistence;

/// <summary>
/// The trained network a fitted transformer's in-memory chain scores with. The chain is built while the data is read,
/// before there is a network, so it holds this slot, which <c>Fit</c> fills when training has ended.
/// </summary>
internal sealed class LiveNetwork
{
    private volatile NetworkScorer? _scorer;

    /// <summary>The trained network; set once, when training has ended.</summary>
    public NetworkScorer Scorer
    {
        get => _scorer ?? throw new InvalidOperationException("The scoring chain was used before its network was trained.");
        set => _scorer = value;
    }
}
