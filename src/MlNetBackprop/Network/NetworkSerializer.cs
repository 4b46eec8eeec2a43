using System.Security.Cryptography;
using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Costs;

namespace MlNetBackprop.Network;

/// <summary>
/// The trained network's storage format: a versioned little-endian binary record, carried as text
/// (<c>"MlNetBackprop.Network;v1;sha256=…;"</c> then base64) so that it can travel inside an ML.NET model.
/// Version 1 holds the layout, the output scaling (for standardised regression targets) and every weight
/// and bias as float32. A reader refuses versions newer than it knows, with a message saying so.
/// </summary>
internal static class NetworkSerializer
{
    private const string Prefix = "MlNetBackprop.Network;";
    private const int CurrentVersion = 1;
    private const uint Magic = 0x504E424D; // "MBNP"

    /// <summary>The network and the affine map y = a·scale + offset applied to its outputs at scoring time.</summary>
    public sealed record Stored(FeedForwardNetwork<float> Network, float OutputScale, float OutputOffset);

    /// <summary>Encodes the network as text.</summary>
    public static string ToText(FeedForwardNetwork<float> network, float outputScale, float outputOffset)
    {
        var layout = network.Layout;
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream)) // BinaryWriter is little-endian on every platform
        {
            writer.Write(Magic);
            writer.Write(CurrentVersion);
            writer.Write((int)layout.Hidden | ((int)layout.Output << 8) | ((int)layout.Cost << 16));
            writer.Write(layout.Sizes.Length);
            foreach (int size in layout.Sizes) writer.Write(size);
            writer.Write(outputScale);
            writer.Write(outputOffset);
            for (int l = 0; l < network.LayerCount; l++)
            {
                foreach (float w in network.Weights[l].Span) writer.Write(w);
                foreach (float b in network.Biases[l]) writer.Write(b);
            }
            writer.Write(0); // reserved: flags for later versions
        }
        byte[] bytes = stream.ToArray();
        string hash = Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
        return $"{Prefix}v{CurrentVersion};sha256={hash};{Convert.ToBase64String(bytes)}";
    }

    /// <summary>
    /// The part of the text that identifies its content (the prefix, version and hash), so that a caller can
    /// recognise a network it has already decoded without comparing megabytes.
    /// </summary>
    public static ReadOnlySpan<char> Identity(ReadOnlySpan<char> text)
    {
        int end = text.IndexOf(";sha256=");
        if (end < 0) return text;
        int close = text[(end + 8)..].IndexOf(';');
        return close < 0 ? text : text[..(end + 8 + close)];
    }

    /// <summary>Decodes text written by <see cref="ToText"/>; throws <see cref="InvalidDataException"/> on anything else.</summary>
    public static Stored FromText(ReadOnlySpan<char> text)
    {
        if (!text.StartsWith(Prefix))
            throw new InvalidDataException("The model's network data is not in MlNetBackprop's format.");
        var rest = text[Prefix.Length..];
        int semi = rest.IndexOf(';');
        if (semi < 2 || rest[0] != 'v' || !int.TryParse(rest[1..semi], out int version))
            throw new InvalidDataException("The model's network data has no readable format version.");
        if (version > CurrentVersion)
            throw new InvalidDataException(
                $"The model was saved in network format v{version}, newer than this MlNetBackprop reads (v{CurrentVersion}): update the MlNetBackprop package.");
        rest = rest[(semi + 1)..];
        if (!rest.StartsWith("sha256="))
            throw new InvalidDataException("The model's network data has no checksum.");
        semi = rest.IndexOf(';');
        string expectedHash = rest[7..semi].ToString();
        byte[] bytes;
        try { bytes = Convert.FromBase64String(rest[(semi + 1)..].ToString()); }
        catch (FormatException e) { throw new InvalidDataException("The model's network data is damaged (bad base64).", e); }
        if (Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant() != expectedHash)
            throw new InvalidDataException("The model's network data is damaged (checksum mismatch).");

        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes));
            int ReadInt() => reader.ReadInt32();
            float ReadFloat() => reader.ReadSingle();

            if (unchecked((uint)ReadInt()) != Magic || ReadInt() != version)
                throw new InvalidDataException("The model's network data has a wrong header.");
            int kinds = ReadInt();
            int count = ReadInt();
            if (count < 2 || count > 1024)
                throw new InvalidDataException($"The model's network data claims {count} layers.");
            var sizes = new int[count];
            for (int i = 0; i < count; i++) sizes[i] = ReadInt();
            var layout = new NetworkLayout(sizes, (ActivationKind)(kinds & 0xFF), (ActivationKind)((kinds >> 8) & 0xFF),
                (CostKind)((kinds >> 16) & 0xFF));
            var network = new FeedForwardNetwork<float>(layout);
            float scale = ReadFloat(), offset = ReadFloat();
            for (int l = 0; l < network.LayerCount; l++)
            {
                var w = network.Weights[l].Span;
                for (int i = 0; i < w.Length; i++) w[i] = ReadFloat();
                var b = network.Biases[l];
                for (int i = 0; i < b.Length; i++) b[i] = ReadFloat();
            }
            return new Stored(network, scale, offset);
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException)
        {
            throw new InvalidDataException("The model's network data is damaged or truncated.", e);
        }
    }
}
