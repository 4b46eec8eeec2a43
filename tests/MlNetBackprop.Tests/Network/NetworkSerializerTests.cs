using MlNetBackprop.Network;
using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Costs;
using Xunit;

namespace MlNetBackprop.Tests.Network;

public sealed class NetworkSerializerTests
{
    private static FeedForwardNetwork<float> Sample()
    {
        var network = new FeedForwardNetwork<float>(new NetworkLayout([3, 4, 2], ActivationKind.Tanh, ActivationKind.Softmax, CostKind.LogLikelihood));
        network.InitializeWeights(new Random(5));
        return network;
    }

    [Fact]
    public void Round_trip_keeps_every_bit_and_the_layout()
    {
        var network = Sample();
        var stored = NetworkSerializer.FromText(NetworkSerializer.ToText(network, 2.5f, -1.25f));
        Assert.Equal(network.Layout.Sizes, stored.Network.Layout.Sizes);
        Assert.Equal(network.Layout with { Sizes = stored.Network.Layout.Sizes }, stored.Network.Layout);
        for (int l = 0; l < network.LayerCount; l++)
        {
            Assert.Equal(network.Weights[l].ToArray(), stored.Network.Weights[l].ToArray());
            Assert.Equal(network.Biases[l], stored.Network.Biases[l]);
        }
        Assert.Equal(2.5f, stored.OutputScale);
        Assert.Equal(-1.25f, stored.OutputOffset);
    }

    [Fact]
    public void Damaged_text_is_refused_with_a_reason()
    {
        string text = NetworkSerializer.ToText(Sample(), 1, 0);
        Assert.Contains("checksum", Assert.Throws<InvalidDataException>(() => NetworkSerializer.FromText(text[..^8] + "AAAAAAAA")).Message);
        Assert.Contains("not in MlNetBackprop's format", Assert.Throws<InvalidDataException>(() => NetworkSerializer.FromText("hello")).Message);
    }

    [Fact]
    public void A_newer_format_version_asks_for_an_update()
    {
        string text = NetworkSerializer.ToText(Sample(), 1, 0).Replace(";v1;", ";v9;");
        var ex = Assert.Throws<InvalidDataException>(() => NetworkSerializer.FromText(text));
        Assert.Contains("v9", ex.Message);
        Assert.Contains("update", ex.Message);
    }

    [Fact]
    public void Identity_is_the_header_up_to_the_hash()
    {
        string text = NetworkSerializer.ToText(Sample(), 1, 0);
        string identity = NetworkSerializer.Identity(text).ToString();
        Assert.StartsWith("MlNetBackprop.Network;v1;sha256=", identity);
        Assert.Equal("MlNetBackprop.Network;v1;sha256=".Length + 64, identity.Length);
    }
}
