using System.Security.Cryptography;

namespace MlNetBackprop.Network.Storage;

/// <summary>
/// The text that carries one stored record's bytes inside an ML.NET model:
/// <c>"MlNetBackprop.{kind};v{version};sha256={hash};{base64 of the bytes}"</c>, the kind saying what the record is (the
/// network, the training record, the resume state). The hash lets a reader refuse damaged data, and lets a cache
/// recognise a record it has decoded already from the text's first hundred characters.
/// </summary>
internal static class RecordText
{
    private const string Prefix = "MlNetBackprop.";
    private const string HashField = "sha256=";

    /// <summary>The longest string .NET makes (its length is bounded by the largest object, not by an array's limit).</summary>
    private const int MaxTextLength = 0x3FFFFFDF;

    /// <summary>The text of a record of <paramref name="kind"/> in format <paramref name="version"/>.</summary>
    public static string Wrap(string kind, int version, byte[] record)
    {
        // Written once into a string of its final length: the base64 of a large network is hundreds of megabytes of
        // UTF-16, and building it in pieces would copy it again.
        string head = $"{Prefix}{kind};v{version};{HashField}{Hash(record)};";
        long length = head.Length + (record.LongLength + 2) / 3 * 4;
        if (length > MaxTextLength)
            throw new InvalidOperationException($"The {kind}'s {record.LongLength:N0} bytes are too many to store as one text.");
        return string.Create((int)length, (head, record), static (text, state) =>
        {
            state.head.CopyTo(text);
            if (!Convert.TryToBase64Chars(state.record, text[state.head.Length..], out _))
                throw new InvalidOperationException("The record's text was sized wrongly.");
        });
    }

    /// <summary>Whether <paramref name="text"/> is a record of <paramref name="kind"/> (by its prefix alone).</summary>
    public static bool IsOf(ReadOnlySpan<char> text, string kind)
        => text.StartsWith(Prefix) && text[Prefix.Length..].StartsWith(kind) && text.Length > Prefix.Length + kind.Length && text[Prefix.Length + kind.Length] == ';';

    /// <summary>
    /// The bytes of the record of <paramref name="kind"/> in <paramref name="text"/>, of format version 1 to
    /// <paramref name="newestKnown"/>; <see cref="InvalidDataException"/> for text that is not such a record, is damaged,
    /// or is of a newer version. Decoded straight from the text, without a copy of it.
    /// </summary>
    public static (int Version, byte[] Record) Unwrap(ReadOnlySpan<char> text, string kind, int newestKnown)
    {
        if (!IsOf(text, kind))
            throw new InvalidDataException($"The model's {kind} record is not in MlNetBackprop's format.");
        var rest = text[(Prefix.Length + kind.Length + 1)..];
        int semi = rest.IndexOf(';');
        if (semi < 2 || rest[0] != 'v' || !int.TryParse(rest[1..semi], out int version) || version < 1)
            throw new InvalidDataException($"The model's {kind} record has no readable format version.");
        if (version > newestKnown)
            throw Newer($"{kind} format v{version}; this version reads up to v{newestKnown}");
        rest = rest[(semi + 1)..];
        semi = rest.IndexOf(';');
        if (!rest.StartsWith(HashField) || semi < 0)
            throw new InvalidDataException($"The model's {kind} record has no checksum.");
        var expectedHash = rest[HashField.Length..semi];
        var base64 = rest[(semi + 1)..];
        if (base64.Length % 4 != 0)
            throw new InvalidDataException($"The model's {kind} record is damaged (its base64 is cut short).");
        var decoded = new byte[base64.Length / 4 * 3];
        if (!Convert.TryFromBase64Chars(base64, decoded, out int written))
            throw new InvalidDataException($"The model's {kind} record is damaged (bad base64).");
        if (written != decoded.Length) Array.Resize(ref decoded, written);
        if (!expectedHash.SequenceEqual(Hash(decoded)))
            throw new InvalidDataException($"The model's {kind} record is damaged (checksum mismatch).");
        return (version, decoded);
    }

    /// <summary>
    /// The part of the text that identifies its content (the prefix, kind, version and hash), so that a caller can
    /// recognise a record it has already decoded without comparing megabytes.
    /// </summary>
    public static ReadOnlySpan<char> Identity(ReadOnlySpan<char> text)
    {
        int end = text.IndexOf(";" + HashField);
        if (end < 0) return text;
        int hashStart = end + 1 + HashField.Length;
        int close = text[hashStart..].IndexOf(';');
        return close < 0 ? text : text[..(hashStart + close)];
    }

    /// <summary>The error for what only a newer MlNetBackprop writes.</summary>
    public static InvalidDataException Newer(string detail)
        => new($"This model was made by a newer version of MlNetBackprop ({detail}): update the MlNetBackprop package.");

    private static string Hash(ReadOnlySpan<byte> bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
}
