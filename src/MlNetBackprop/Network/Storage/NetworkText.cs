using System.Security.Cryptography;

namespace MlNetBackprop.Network.Storage;

/// <summary>
/// The text that carries a stored network's binary record inside an ML.NET model:
/// <c>"MlNetBackprop.Network;v{version};sha256={hash};{base64 of the record}"</c>. The hash lets a reader refuse damaged
/// data, and lets a cache recognise a network it has decoded already from the text's first hundred characters.
/// </summary>
internal static class NetworkText
{
    private const string Prefix = "MlNetBackprop.Network;";

    /// <summary>The longest string .NET makes (its length is bounded by the largest object, not by an array's limit).</summary>
    private const int MaxTextLength = 0x3FFFFFDF;
    private const string HashField = "sha256=";

    /// <summary>The text of a record of format <paramref name="version"/>.</summary>
    public static string Wrap(int version, byte[] record)
    {
        // Written once into a string of its final length: the base64 of a large network is hundreds of megabytes of
        // UTF-16, and building it in pieces would copy it again.
        string head = $"{Prefix}v{version};{HashField}{Hash(record)};";
        long length = head.Length + (record.LongLength + 2) / 3 * 4;
        if (length > MaxTextLength)
            throw new InvalidOperationException($"The network's {record.LongLength:N0} bytes are too many to store as one text.");
        return string.Create((int)length, (head, record), static (text, state) =>
        {
            state.head.CopyTo(text);
            if (!Convert.TryToBase64Chars(state.record, text[state.head.Length..], out _))
                throw new InvalidOperationException("The network's text was sized wrongly.");
        });
    }

    /// <summary>
    /// The version and record in <paramref name="text"/>; <see cref="InvalidDataException"/> for text that is not ours, is
    /// damaged, or is of a version newer than <paramref name="newestKnown"/>.
    /// </summary>
    public static (int Version, ArraySegment<byte> Record) Unwrap(ReadOnlySpan<char> text, int newestKnown)
    {
        if (!text.StartsWith(Prefix))
            throw new InvalidDataException("The model's network data is not in MlNetBackprop's format.");
        var rest = text[Prefix.Length..];
        int semi = rest.IndexOf(';');
        if (semi < 2 || rest[0] != 'v' || !int.TryParse(rest[1..semi], out int version) || version < 1)
            throw new InvalidDataException("The model's network data has no readable format version.");
        if (version > newestKnown)
            throw NetworkSerializer.Newer($"network format v{version}; this version reads up to v{newestKnown}");
        rest = rest[(semi + 1)..];
        semi = rest.IndexOf(';');
        if (!rest.StartsWith(HashField) || semi < 0)
            throw new InvalidDataException("The model's network data has no checksum.");
        string expectedHash = rest[HashField.Length..semi].ToString();
        // Decoded straight from the text, without a copy of it.
        var base64 = rest[(semi + 1)..];
        var decoded = new byte[base64.Length / 4 * 3];
        if (!Convert.TryFromBase64Chars(base64, decoded, out int written))
            throw new InvalidDataException("The model's network data is damaged (bad base64).");
        var record = new ArraySegment<byte>(decoded, 0, written);
        if (Hash(record) != expectedHash)
            throw new InvalidDataException("The model's network data is damaged (checksum mismatch).");
        return (version, record);
    }

    /// <summary>
    /// The part of the text that identifies its content (the prefix, version and hash), so that a caller can
    /// recognise a network it has already decoded without comparing megabytes.
    /// </summary>
    public static ReadOnlySpan<char> Identity(ReadOnlySpan<char> text)
    {
        int end = text.IndexOf(";" + HashField);
        if (end < 0) return text;
        int hashStart = end + 1 + HashField.Length;
        int close = text[hashStart..].IndexOf(';');
        return close < 0 ? text : text[..(hashStart + close)];
    }

    private static string Hash(ReadOnlySpan<byte> bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
}
