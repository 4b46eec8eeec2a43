using MlNetBackprop.Network;
using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Costs;
using MlNetBackprop.Network.Storage;
using MlNetBackprop.Network.Targets;
using Xunit;

namespace MlNetBackprop.Tests.Network;

public sealed class NetworkSerializerTests
{
    /// <summary>Two hidden layers with different activations, so that each layer's own kind must survive.</summary>
    private static FeedForwardNetwork<float> Sample()
        => Engine.Network<float>(new NetworkLayout([3, 4, 5, 2], [ActivationKind.Tanh, ActivationKind.LeakyRelu, ActivationKind.Softmax], CostKind.LogLikelihood), 5);

    [Fact]
    public void Round_trip_keeps_every_bit_and_the_layout()
    {
        var network = Sample();
        var stored = NetworkSerializer.FromText(NetworkSerializer.ToText(network, new LabelStandardization(-1.25f, 2.5f)));
        Assert.Equal(network.Layout, stored.Network.Layout);
        Assert.Equal(Engine.AllParameters(network), Engine.AllParameters(stored.Network));
        Assert.Equal(new LabelStandardization(-1.25f, 2.5f), stored.Standardization);
    }

    [Fact]
    public void Damaged_text_is_refused_with_a_reason()
    {
        string text = NetworkSerializer.ToText(Sample(), LabelStandardization.None);
        Assert.Contains("checksum", Assert.Throws<InvalidDataException>(() => NetworkSerializer.FromText(text[..^8] + "AAAAAAAA")).Message);
        Assert.Contains("not in MlNetBackprop's format", Assert.Throws<InvalidDataException>(() => NetworkSerializer.FromText("hello")).Message);
        Assert.Contains("no readable format version", Assert.Throws<InvalidDataException>(() => NetworkSerializer.FromText("MlNetBackprop.Network;x;")).Message);
    }

    [Fact]
    public void A_newer_format_version_asks_for_an_update()
    {
        string text = NetworkSerializer.ToText(Sample(), LabelStandardization.None).Replace(";v2;", ";v9;");
        var message = Assert.Throws<InvalidDataException>(() => NetworkSerializer.FromText(text)).Message;
        Assert.Contains("made by a newer version of MlNetBackprop", message);
        Assert.Contains("format v9", message);
        Assert.Contains("update the MlNetBackprop package", message);
    }

    [Theory]
    [InlineData(12, 99, "layer code 99")]      // the first layer's kind
    [InlineData(13, 42, "activation code 42")] // the first layer's activation
    public void An_unknown_code_in_a_known_version_asks_for_an_update(int offset, byte code, string expected)
    {
        // Layout of version 2: magic (4 bytes), version (4), layer count (4), then per layer its kind and activation.
        var bytes = Payload(NetworkSerializer.ToText(Sample(), LabelStandardization.None));
        bytes[offset] = code;
        var message = Assert.Throws<InvalidDataException>(() => NetworkSerializer.FromText(Text(2, bytes))).Message;
        Assert.Contains("made by a newer version of MlNetBackprop", message);
        Assert.Contains(expected, message);
    }

    [Fact]
    public void A_truncated_record_is_reported_as_truncated()
    {
        var bytes = Payload(NetworkSerializer.ToText(Sample(), LabelStandardization.None));
        var message = Assert.Throws<InvalidDataException>(() => NetworkSerializer.FromText(Text(2, bytes[..^20]))).Message;
        Assert.Contains("truncated", message);
    }

    [Fact]
    public void Version_1_records_are_still_read()
    {
        // Version 1: magic, version, kinds (hidden | output << 8 | cost << 16), sizes, scale, offset, weights and biases.
        var network = Engine.Network<float>(NetworkLayout.Uniform([3, 4, 2], ActivationKind.Tanh, ActivationKind.Softmax, CostKind.LogLikelihood), 6);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(NetworkSerializer.Magic);
            writer.Write(1);
            writer.Write((int)ActivationKind.Tanh | ((int)ActivationKind.Softmax << 8) | ((int)CostKind.LogLikelihood << 16));
            writer.Write(3);
            foreach (int size in new[] { 3, 4, 2 }) writer.Write(size);
            writer.Write(2.5f);
            writer.Write(-1.25f);
            foreach (float value in Engine.AllParameters(network)) writer.Write(value);
            writer.Write(0);
        }
        var stored = NetworkSerializer.FromText(Text(1, stream.ToArray()));
        Assert.Equal(network.Layout, stored.Network.Layout);
        Assert.Equal(Engine.AllParameters(network), Engine.AllParameters(stored.Network));
        Assert.Equal(new LabelStandardization(-1.25f, 2.5f), stored.Standardization);
    }

    [Fact]
    public void Identity_is_the_header_up_to_the_hash()
    {
        string text = NetworkSerializer.ToText(Sample(), LabelStandardization.None);
        string identity = NetworkText.Identity(text).ToString();
        Assert.StartsWith("MlNetBackprop.Network;v2;sha256=", identity);
        Assert.Equal("MlNetBackprop.Network;v2;sha256=".Length + 64, identity.Length);
    }

    private static byte[] Payload(string text) => Convert.FromBase64String(text[(text.LastIndexOf(';') + 1)..]);

    private static string Text(int version, byte[] bytes)
        => $"MlNetBackprop.Network;v{version};sha256={Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes)).ToLowerInvariant()};{Convert.ToBase64String(bytes)}";
}
