using System.Runtime.InteropServices;
using MlNetBackprop.Network;
using MlNetBackprop.Network.Storage;

namespace MlNetBackprop.MlNet.Persistence;

/// <summary>
/// Decodes the stored network once and hands the decoded one back while the same text keeps arriving; a handle of a
/// network in memory (see <see cref="LiveNetworks"/>) is resolved instead of decoded.
/// ML.NET's value mapping passes the very same string on every row, so the usual check is a reference
/// comparison; text that is equal but not the same object is recognised by its content hash.
/// A loaded chain is cursored from several threads, so the entry is immutable and replaced atomically.
/// </summary>
internal sealed class NetworkCache
{
    private sealed record Entry(string? Source, int Start, int Length, string Identity, NetworkScorer Scorer);

    private volatile Entry? _last;

    /// <summary>The scorer for the network encoded in <paramref name="text"/>.</summary>
    public NetworkScorer Get(ReadOnlyMemory<char> text)
    {
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
        if (LiveNetworks.IsHandle(text.Span))
        {
            var live = new Entry(isString ? source : null, start, length, text.ToString(), LiveNetworks.Resolve(text.Span));
            _last = live;
            return live.Scorer;
        }
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
