using System.Buffers.Binary;
using System.Runtime.InteropServices;
using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Costs;
using MlNetBackprop.Network.Layers;
using MlNetBackprop.Network.Targets;
using MlNetBackprop.Network.Training;

namespace MlNetBackprop.Network.Storage;

/// <summary>
/// The trained network's storage format: a versioned little-endian binary record, carried as text (see
/// <see cref="NetworkText"/>) so that it can travel inside an ML.NET model. Version 2 holds each layer's kind (dense, or
/// sparse input with its weights input-major), size and activation, the cost, regression's label standardisation, then every layer's parameters as float32. Version 1 (one
/// activation for all hidden layers) is still read. A reader refuses a version, or a layer, activation or cost code,
/// that it does not know, saying that a newer MlNetBackprop made it.
/// </summary>
internal static class NetworkSerializer
{
    /// <summary>The version this MlNetBackprop writes, and the newest it reads.</summary>
    internal const int CurrentVersion = 2;
    internal const uint Magic = 0x504E424D; // "MBNP"

    /// <summary>The code of a dense layer in a stored network.</summary>
    private const byte DenseLayerCode = 1;

    /// <summary>The code of a sparse input layer (its weights stored input-major, as it holds them).</summary>
    private const byte SparseInputLayerCode = 2;

    /// <summary>The flag saying that an attachment follows the parameters (a length, then its bytes).</summary>
    private const int AttachmentFlag = 1;

    /// <summary>The flag saying that a training checkpoint follows (after the attachment, if any: a length, then its bytes).</summary>
    private const int CheckpointFlag = 2;

    /// <summary>
    /// A stored network, the standardisation its regression output is mapped back with, and what the caller attached
    /// to it (empty when nothing was; the engine does not read it).
    /// </summary>
    public sealed record Stored(FeedForwardNetwork<float> Network, LabelStandardization Standardization, byte[] Attachment, Checkpoint? Checkpoint)
    {
        /// <summary>A network stored with nothing attached.</summary>
        public Stored(FeedForwardNetwork<float> network, LabelStandardization standardization) : this(network, standardization, [], null) { }
    }

    /// <summary>
    /// Encodes the network as text, with <paramref name="attachment"/> (bytes the engine keeps but does not read: the
    /// trainer's record of how the network was trained) after the parameters. Readers of version 2 that predate
    /// attachments stop before it, so the model stays readable to them.
    /// </summary>
    public static string ToText(FeedForwardNetwork<float> network, LabelStandardization standardization, ReadOnlySpan<byte> attachment = default,
        Checkpoint? checkpoint = null)
    {
        var saved = checkpoint is null ? [] : CheckpointSerializer.ToBytes(checkpoint);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream)) // BinaryWriter is little-endian on every platform
        {
            writer.Write(Magic);
            writer.Write(CurrentVersion);
            writer.Write(network.LayerCount);
            network.Settle();
            foreach (var layer in network.Layers)
            {
                writer.Write(layer switch
                {
                    DenseLayer<float> => DenseLayerCode,
                    SparseInputLayer<float> => SparseInputLayerCode,
                    _ => throw new NotSupportedException($"The storage format has no code for a {layer.GetType().Name}."),
                });
                writer.Write((byte)layer.Activation.Kind);
                writer.Write(layer.InputSize);
                writer.Write(layer.OutputSize);
            }
            writer.Write((byte)network.Layout.Cost);
            writer.Write(standardization.Mean);
            writer.Write(standardization.StandardDeviation);
        }
        // The parameters go in as one block of little-endian float32 each, straight into a record of its final size: a
        // stream growing by doubling would hold up to three copies of a large first layer's weights.
        var header = stream.ToArray();
        long parameterBytes = network.Parameters.Sum(p => (long)p.Length) * sizeof(float);
        int tail = sizeof(int) + (attachment.IsEmpty ? 0 : sizeof(int) + attachment.Length) + (saved.Length == 0 ? 0 : sizeof(int) + saved.Length);
        var record = new byte[checked(header.Length + (int)parameterBytes + tail)];
        header.CopyTo(record, 0);
        int at = header.Length;
        foreach (var parameter in network.Parameters)
        {
            var bytes = record.AsSpan(at, parameter.Length * sizeof(float));
            MemoryMarshal.AsBytes(parameter.Values.Span).CopyTo(bytes);
            if (!BitConverter.IsLittleEndian) ReverseEach(bytes);
            at += bytes.Length;
        }
        BinaryPrimitives.WriteInt32LittleEndian(record.AsSpan(at), (attachment.IsEmpty ? 0 : AttachmentFlag) | (saved.Length == 0 ? 0 : CheckpointFlag));
        at += sizeof(int);
        foreach (var section in new[] { attachment.ToArray(), saved })
        {
            if (section.Length == 0) continue;
            BinaryPrimitives.WriteInt32LittleEndian(record.AsSpan(at), section.Length);
            section.CopyTo(record.AsSpan(at + sizeof(int)));
            at += sizeof(int) + section.Length;
        }
        return NetworkText.Wrap(CurrentVersion, record);
    }

    /// <summary>Swaps each four-byte value between little- and big-endian order.</summary>
    private static void ReverseEach(Span<byte> values)
    {
        var words = MemoryMarshal.Cast<byte, int>(values);
        for (int i = 0; i < words.Length; i++) words[i] = BinaryPrimitives.ReverseEndianness(words[i]);
    }

    /// <summary>Decodes text written by <see cref="ToText"/> (or by version 1); throws <see cref="InvalidDataException"/> on anything else.</summary>
    public static Stored FromText(ReadOnlySpan<char> text)
    {
        var (version, bytes) = NetworkText.Unwrap(text, CurrentVersion);
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes.Array!, bytes.Offset, bytes.Count));
            if (reader.ReadUInt32() != Magic || reader.ReadInt32() != version)
                throw new InvalidDataException("The model's network data has a wrong header.");
            return version == 1 ? NetworkFormatV1.Read(reader) : ReadVersion2(reader);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The model's network data is truncated.", e);
        }
    }

    private static Stored ReadVersion2(BinaryReader reader)
    {
        int count = reader.ReadInt32();
        if (count < 1 || count > MaxLayers)
            throw new InvalidDataException($"The model's network data claims {count} layers.");
        var sizes = new List<int>();
        var activations = new ActivationKind[count];
        bool sparseInput = false;
        for (int l = 0; l < count; l++)
        {
            byte kind = reader.ReadByte();
            if (kind == SparseInputLayerCode && l == 0)
                sparseInput = true;
            else if (kind == SparseInputLayerCode)
                throw new InvalidDataException($"The model's network data is damaged: layer {l} is a sparse input layer, which only the first layer can be.");
            else if (kind != DenseLayerCode)
                throw Newer($"network format v2 with layer code {kind}, which this version does not know");
            activations[l] = Known<ActivationKind>(reader.ReadByte(), "activation");
            int inputs = reader.ReadInt32(), outputs = reader.ReadInt32();
            if (l == 0) sizes.Add(inputs);
            else if (inputs != sizes[^1])
                throw new InvalidDataException($"The model's network data is damaged: layer {l} takes {inputs} inputs from a layer of {sizes[^1]}.");
            sizes.Add(outputs);
        }
        var cost = Known<CostKind>(reader.ReadByte(), "cost");
        var standardization = new LabelStandardization(reader.ReadSingle(), reader.ReadSingle());
        var network = Build(new NetworkLayout(sizes, activations, cost, sparseInput));
        ReadParameters(reader, network);
        if (reader.BaseStream.Length - reader.BaseStream.Position < sizeof(int)) return new Stored(network, standardization);
        int flags = reader.ReadInt32();
        if ((flags & ~(AttachmentFlag | CheckpointFlag)) != 0) throw Newer($"network format v2 with flags {flags}, which this version does not know");
        var attachment = (flags & AttachmentFlag) != 0 ? Section(reader) : [];
        var checkpoint = (flags & CheckpointFlag) != 0 ? CheckpointSerializer.FromBytes(Section(reader)) : null;
        return new Stored(network, standardization, attachment, checkpoint);
    }

    /// <summary>A section after the parameters: its length, then its bytes (models written before sections end with flags 0).</summary>
    private static byte[] Section(BinaryReader reader)
    {
        int length = reader.ReadInt32();
        if (length < 0 || length > reader.BaseStream.Length - reader.BaseStream.Position)
            throw new InvalidDataException($"The model's network data is damaged: a section of {length} bytes.");
        return reader.ReadBytes(length);
    }

    /// <summary>More layers than any network this engine trains; a larger count means damaged data.</summary>
    internal const int MaxLayers = 1024;

    /// <summary>A network of <paramref name="layout"/>, or <see cref="InvalidDataException"/> for a layout no trainer made.</summary>
    internal static FeedForwardNetwork<float> Build(NetworkLayout layout)
    {
        try
        {
            return new FeedForwardNetwork<float>(layout);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"The model's network data is damaged: {e.Message}", e);
        }
    }

    /// <summary>Reads every parameter block (little-endian float32 each), layer after layer, in the layers' order.</summary>
    internal static void ReadParameters(BinaryReader reader, FeedForwardNetwork<float> network)
    {
        foreach (var parameter in network.Parameters)
        {
            var bytes = MemoryMarshal.AsBytes(parameter.Values.Span);
            if (reader.Read(bytes) != bytes.Length)
                throw new EndOfStreamException();
            if (!BitConverter.IsLittleEndian) ReverseEach(bytes);
        }
    }

    /// <summary>A stored code as the engine's enum, or the newer-version error for a code this version does not know.</summary>
    internal static TKind Known<TKind>(int code, string what) where TKind : struct, Enum
    {
        var kind = (TKind)Enum.ToObject(typeof(TKind), code);
        return Enum.IsDefined(kind) ? kind : throw Newer($"{what} code {code}, which this version does not know");
    }

    /// <summary>The error for what only a newer MlNetBackprop writes.</summary>
    internal static InvalidDataException Newer(string detail)
        => new($"This model was made by a newer version of MlNetBackprop ({detail}): update the MlNetBackprop package.");
}
