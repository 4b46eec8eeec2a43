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
    private const string HashField = "sha256=";

    /// <summary>The text of a record of format <paramref name="version"/>.</summary>
    public static string Wrap(int version, byte[] record) => $"{Prefix}v{version};{HashField}{Hash(record)};{Convert.ToBase64String(record)}";

    /// <summary>
    /// The version and record in <paramref name="text"/>; <see cref="InvalidDataException"/> for text that is not ours, is
    /// damaged, or is of a version newer than <paramref name="newestKnown"/>.
    /// </summary>
    public static (int Version, byte[] Record) Unwrap(ReadOnlySpan<char> text, int newestKnown)
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
        byte[] record;
        try { record = Convert.FromBase64String(rest[(semi + 1)..].ToString()); }
        catch (FormatException e) { throw new InvalidDataException("The model's network data is damaged (bad base64).", e); }
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

    private static string Hash(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
}
