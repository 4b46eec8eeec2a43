using MlNetBackprop.Internal;
using System.Runtime.InteropServices;
using MlNetBackprop.Network;
using MlNetBackprop.Network.Storage;

namespace MlNetBackprop.MlNet.Persistence;

/// <summary>
/// Decodes the stored network once and hands the decoded one back while the same text keeps arriving. The in-memory
/// chain of a fitted transformer has a cache made with its trained network, which it hands back for every row: that
/// chain carries a short marker instead of the network's text, and the cache holds the network as long as the chain.
/// ML.NET's value mapping passes the very same string on every row, so the usual check is a reference
/// comparison; text that is equal but not the same object is recognised by its content hash.
/// A loaded chain is cursored from several threads, so the entry is immutable and replaced atomically.
/// </summary>
internal sealed class NetworkCache
{
    private sealed record Entry(string? Source, int Start, int Length, string Identity, NetworkScorer Scorer);

    private readonly LiveNetwork? _live;
    private volatile Entry? _last;

    /// <summary>A cache that decodes the text it is given.</summary>
    public NetworkCache()
    {
    }

    /// <summary>A cache for the in-memory chain: it hands back <paramref name="live"/>'s trained network for any text.</summary>
    public NetworkCache(LiveNetwork live) => _live = live;

    /// <summary>The text the in-memory chain carries where a saved chain carries the network.</summary>
    public const string InMemoryMarker = "MlNetBackprop.Network;in memory";

    /// <summary>The scorer for the network encoded in <paramref name="text"/>.</summary>
    public NetworkScorer Get(ReadOnlyMemory<char> text)
    {
        if (_live is not null)
            return _live.Scorer;
        var last = _last;
        bool isString = MemoryMarshal.TryGetString(text, out string? source, out int start, out int length);
        if (last is not null)
        {
            if (isString && ReferenceEquals(source, last.Source) && start == last.Start && length == last.Length)
                return last.Scorer;
            if (NetworkText.Identity(text.Span).SequenceEqual(last.Identity))
                return last.Scorer;
        }
        if (text.IsEmpty)
            throw new InvalidOperationException("The model holds no network: it was not saved by BackpropTrainer, or its data was lost.");
        NetworkSerializer.Stored stored;
        try
        {
            stored = NetworkSerializer.FromText(text.Span);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidOperationException(e.Message, e);
        }
        var entry = new Entry(isString ? source : null, start, length, NetworkText.Identity(text.Span).ToString(),
            new NetworkScorer(new Predictor(stored.Network, stored.Standardization)));
        _last = entry;
        return entry.Scorer;
    }
}
