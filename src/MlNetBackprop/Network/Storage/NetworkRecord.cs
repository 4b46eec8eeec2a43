using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Costs;
using MlNetBackprop.Network.Kernels;
using MlNetBackprop.Network.Layers;
using MlNetBackprop.Network.Targets;

namespace MlNetBackprop.Network.Storage;

/// <summary>
/// A trained network as stored bytes, carried as text (<see cref="RecordText"/>) inside an ML.NET model; format 1, frozen
/// with the first release. Little-endian:
/// <list type="number">
/// <item>the magic number "MBNP" and the format version;</item>
/// <item>the layer count, then per layer its kind, activation, input and output widths (<see cref="LayerShape"/>);</item>
/// <item>the cost;</item>
/// <item>the outputs' scaling: a count (0 for none, or one per output), then that many means and as many standard deviations;</item>
/// <item>every layer's numbers as float32, layer after layer, each block in the layer's storage order
/// (<see cref="Layer{T}.StoredBlocks"/>), as many as the shapes say (<see cref="LayerKinds.StoredValues"/>);</item>
/// <item>nothing after.</item>
/// </list>
/// The reader trusts nothing: every code must be known, every size in range and backed by the bytes present before
/// anything is allocated, every number finite, and the record must end where its shapes say.
/// </summary>
internal static class NetworkRecord
{
    /// <summary>The record's kind in its text.</summary>
    public const string Kind = "Network";

    /// <summary>The format this version writes, and the newest it reads.</summary>
    public const int Version = 1;

    private const uint Magic = 0x504E424D; // "MBNP"

    /// <summary>More layers than any network this engine trains; a larger count means damaged data.</summary>
    public const int MaxLayers = 1024;

    /// <summary>What the record is called in messages.</summary>
    private const string What = "network data";

    /// <summary>A stored network and the scaling its regression outputs are mapped back with.</summary>
    public sealed record Stored(FeedForwardNetwork<float> Network, LabelStandardization Standardization);

    /// <summary>The network's record as text.</summary>
    public static string ToText(FeedForwardNetwork<float> network, LabelStandardization standardization)
        => RecordText.Wrap(Kind, Version, ToBytes(network, standardization));

    /// <summary>The network's record.</summary>
    public static byte[] ToBytes(FeedForwardNetwork<float> network, LabelStandardization standardization)
    {
        network.ApplyDeferredDecay();
        long header = 3 * sizeof(int) + network.LayerCount * (2 + 2 * sizeof(int)) + 1 + sizeof(int) + 2L * standardization.Count * sizeof(float);
        long values = network.Layout.Layers.Sum(LayerKinds.StoredValues);
        // One array of the final size: a stream growing by doubling would hold up to three copies of a large first layer.
        var writer = new ByteWriter(header + values * sizeof(float));
        writer.UInt32(Magic);
        writer.Int32(Version);
        writer.Int32(network.LayerCount);
        foreach (var shape in network.Layout.Layers)
        {
            writer.Byte((byte)shape.Kind);
            writer.Byte((byte)shape.Activation);
            writer.Int32(shape.Inputs);
            writer.Int32(shape.Outputs);
        }
        writer.Byte((byte)network.Layout.Cost);
        writer.Int32(standardization.Count);
        writer.Singles(standardization.Means);
        writer.Singles(standardization.StandardDeviations);
        foreach (var layer in network.Layers)
            foreach (var block in layer.StoredBlocks)
                writer.Singles(block.Span);
        return writer.Bytes;
    }

    /// <summary>Decodes text written by <see cref="ToText"/>; <see cref="InvalidDataException"/> for anything else.</summary>
    public static Stored FromText(ReadOnlySpan<char> text) => FromBytes(RecordText.Unwrap(text, Kind, Version).Record);

    /// <summary>Decodes a record written by <see cref="ToBytes"/>; <see cref="InvalidDataException"/> for anything else.</summary>
    public static Stored FromBytes(ReadOnlySpan<byte> bytes)
    {
        var reader = new ByteReader(bytes, What);
        if (reader.UInt32() != Magic)
            throw new InvalidDataException($"The model's {What} has a wrong header.");
        int version = reader.Int32();
        if (version != Version)
            throw version > Version ? RecordText.Newer($"network format v{version}") : new InvalidDataException($"The model's {What} claims format v{version}.");
        int count = reader.Int32();
        if (count < 1 || count > MaxLayers)
            throw Damaged($"it claims {count} layers");
        var shapes = new LayerShape[count];
        for (int l = 0; l < count; l++)
        {
            var kind = Known<LayerKind>(reader.Byte(), "layer");
            var activation = Known<ActivationKind>(reader.Byte(), "activation");
            shapes[l] = new LayerShape(kind, reader.Int32(), reader.Int32(), activation);
        }
        var cost = Known<CostKind>(reader.Byte(), "cost");
        var standardization = ReadScaling(ref reader, shapes[^1].Outputs);
        NetworkLayout layout;
        try
        {
            layout = new NetworkLayout(shapes, cost);
        }
        catch (ArgumentException e)
        {
            throw Damaged(e.Message, e);
        }
        // The numbers the shapes declare must be exactly the bytes that are left, before a layer is allocated.
        long values = layout.Layers.Sum(LayerKinds.StoredValues);
        if (values * sizeof(float) != reader.Remaining)
            throw Damaged($"its layers declare {values:N0} numbers ({values * sizeof(float):N0} bytes) but {reader.Remaining:N0} bytes follow");
        FeedForwardNetwork<float> network;
        try
        {
            network = new FeedForwardNetwork<float>(layout);
        }
        catch (ArgumentException e)
        {
            throw Damaged(e.Message, e);
        }
        for (int l = 0; l < network.LayerCount; l++)
            foreach (var block in network.Layers[l].StoredBlocks)
            {
                reader.Singles(block.Span);
                if (!ElementWise.AllFinite<float>(block.Span))
                    throw Damaged($"layer {l} ({shapes[l]}) holds a NaN or infinite number");
            }
        reader.End();
        return new Stored(network, standardization);
    }

    private static LabelStandardization ReadScaling(ref ByteReader reader, int outputs)
    {
        int scaled = reader.Int32();
        if (scaled == 0) return LabelStandardization.None;
        if (scaled < 0 || scaled != outputs)
            throw Damaged($"it scales {scaled} outputs of {outputs}");
        // The count is the output width, which the layer shapes bound; the bytes are checked before the arrays are made.
        if (2L * scaled * sizeof(float) > reader.Remaining)
            throw Damaged($"it scales {scaled} outputs but {reader.Remaining:N0} bytes follow");
        var means = new float[scaled];
        var deviations = new float[scaled];
        reader.Singles(means);
        reader.Singles(deviations);
        for (int j = 0; j < scaled; j++)
            if (!float.IsFinite(means[j]) || !(deviations[j] > 0) || !float.IsFinite(deviations[j]))
                throw Damaged($"its scaling of output {j} (mean {means[j]}, deviation {deviations[j]}) is not a pair of finite numbers with a positive deviation");
        return new LabelStandardization(means, deviations);
    }

    /// <summary>A stored code as the engine's enum, or the newer-version error for a code this version does not know.</summary>
    private static TKind Known<TKind>(int code, string what) where TKind : struct, Enum
    {
        var kind = (TKind)Enum.ToObject(typeof(TKind), code);
        return Enum.IsDefined(kind) ? kind : throw RecordText.Newer($"{what} code {code}, which this version does not know");
    }

    private static InvalidDataException Damaged(string detail, Exception? inner = null)
        => new($"The model's {What} is damaged: {detail.TrimEnd('.')}.", inner);
}
