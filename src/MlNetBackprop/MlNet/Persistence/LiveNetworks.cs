using System.Collections.Concurrent;

namespace MlNetBackprop.MlNet.Persistence;

/// <summary>
/// The networks of the transformers fitted in this process, found by a short handle. A fitted transformer's scoring
/// chain carries the handle where a saved chain carries the network's text, so that scoring in memory uses the trained
/// network itself: no text of hundreds of megabytes at the end of <c>Fit</c>, no second, decoded copy of the weights.
/// The text is written only when the model is saved. The registry holds its networks weakly: a network lives as long
/// as its transformer.
/// </summary>
internal static class LiveNetworks
{
    private const string Prefix = "MlNetBackprop.LiveNetwork;";
    private static readonly ConcurrentDictionary<string, WeakReference<NetworkScorer>> Networks = new();

    /// <summary>Registers <paramref name="scorer"/> (which the caller keeps alive) and returns its handle.</summary>
    public static string Register(NetworkScorer scorer)
    {
        foreach (var (handle, reference) in Networks)
            if (!reference.TryGetTarget(out _))
                Networks.TryRemove(handle, out _);
        string key = Prefix + Guid.NewGuid().ToString("N");
        Networks[key] = new WeakReference<NetworkScorer>(scorer);
        return key;
    }

    /// <summary>Whether <paramref name="text"/> is a handle rather than a stored network.</summary>
    public static bool IsHandle(ReadOnlySpan<char> text) => text.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The network a handle stands for.</summary>
    public static NetworkScorer Resolve(ReadOnlySpan<char> handle)
        => Networks.TryGetValue(handle.ToString(), out var reference) && reference.TryGetTarget(out var scorer)
            ? scorer
            : throw new InvalidOperationException(
                "This scoring chain refers to a network of a BackpropTransformer that no longer exists: score with the BackpropTransformer itself, or save and load it.");
}
