using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Costs;
using MlNetBackprop.Network.Targets;

namespace MlNetBackprop.Network.Storage;

/// <summary>
/// The first storage format, read so that models saved by the first version keep loading: one code word for the
/// hidden, output and cost kinds (a byte each), the layer sizes, the output's scale and offset, then each layer's
/// weights and biases.
/// </summary>
internal static class NetworkFormatV1
{
    /// <summary>Reads what follows the magic number and version.</summary>
    public static NetworkSerializer.Stored Read(BinaryReader reader)
    {
        int kinds = reader.ReadInt32();
        int count = reader.ReadInt32();
        if (count < 2 || count > NetworkSerializer.MaxLayers)
            throw new InvalidDataException($"The model's network data claims {count} layers.");
        var sizes = new int[count];
        for (int i = 0; i < count; i++) sizes[i] = reader.ReadInt32();
        var hidden = NetworkSerializer.Known<ActivationKind>(kinds & 0xFF, "activation");
        var output = NetworkSerializer.Known<ActivationKind>((kinds >> 8) & 0xFF, "activation");
        var cost = NetworkSerializer.Known<CostKind>((kinds >> 16) & 0xFF, "cost");
        var network = NetworkSerializer.Build(NetworkLayout.Uniform(sizes, hidden, output, cost));
        float scale = reader.ReadSingle(), offset = reader.ReadSingle();
        NetworkSerializer.ReadParameters(reader, network);
        return new NetworkSerializer.Stored(network, new LabelStandardization(offset, scale));
    }
}
