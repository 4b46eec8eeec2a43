using MlNetBackprop.Network;
using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Costs;
using MlNetBackprop.Network.Layers;
using MlNetBackprop.Network.Optimizers;
using MlNetBackprop.Network.Storage;
using MlNetBackprop.Network.Targets;
using MlNetBackprop.Network.Training;
using Xunit;

namespace MlNetBackprop.Tests.Network;

/// <summary>The stored network and resume state: every bit kept, and anything else refused with a reason.</summary>
public sealed class NetworkRecordTests
{
    /// <summary>A standardization and two hidden layers with different activations, so that each layer's own kind must survive.</summary>
    private static FeedForwardNetwork<float> Sample()
    {
        var network = Engine.Network<float>(NetworkLayout.FullyConnected([3, 4, 5, 2], [ActivationKind.Tanh, ActivationKind.LeakyRelu, ActivationKind.Softmax],
            CostKind.LogLikelihood, preparation: new InputPreparation(Standardized: true)), 5);
        ((StandardizationLayer<float>)network.Layers[0]).Set([1.5, -2, 0.25], [0.5, 2, 4]);
        return network;
    }

    [Fact]
    public void Round_trip_keeps_every_bit_and_the_layout()
    {
        var network = Sample();
        var stored = NetworkRecord.FromText(NetworkRecord.ToText(network, LabelStandardization.None));
        Assert.Equal(network.Layout, stored.Network.Layout);
        Assert.Equal(Stored(network), Stored(stored.Network));
        Assert.Equal(LabelStandardization.None, stored.Standardization);

        var regression = Engine.Network<float>(NetworkLayout.Uniform([3, 4, 1], ActivationKind.Relu, ActivationKind.Identity, CostKind.Quadratic), 6);
        var scaled = NetworkRecord.FromText(NetworkRecord.ToText(regression, new LabelStandardization(-1.25f, 2.5f)));
        Assert.Equal(Stored(regression), Stored(scaled.Network));
        Assert.Equal(new LabelStandardization(-1.25f, 2.5f), scaled.Standardization);
    }

    [Fact]
    public void A_network_of_several_targets_keeps_each_targets_scaling_and_a_scaling_of_another_width_is_refused()
    {
        var network = Engine.Network<float>(NetworkLayout.Uniform([3, 4, 3], ActivationKind.Relu, ActivationKind.Identity, CostKind.Quadratic), 6);
        var scaling = new LabelStandardization([1000f, 0.02f, -5f], [300f, 0.01f, 2f]);
        var stored = NetworkRecord.FromText(NetworkRecord.ToText(network, scaling));
        Assert.Equal(scaling, stored.Standardization);
        Assert.Equal(Stored(network), Stored(stored.Network));
        Span<float> restored = stackalloc float[3];
        stored.Standardization.Restore([1f, -1f, 0.5f], restored);
        Assert.Equal([1300f, 0.02f - 0.01f, -4f], restored.ToArray());

        // One target's record has the very bytes the single-output format always had: a count of 1, the mean, the deviation.
        var single = Engine.Network<float>(NetworkLayout.Uniform([3, 4, 1], ActivationKind.Relu, ActivationKind.Identity, CostKind.Quadratic), 6);
        var bytes = NetworkRecord.ToBytes(single, new LabelStandardization(-1.25f, 2.5f));
        int at = 12 + 2 * 10 + 1;
        Assert.Equal(1, BitConverter.ToInt32(bytes, at));
        Assert.Equal(-1.25f, BitConverter.ToSingle(bytes, at + 4));
        Assert.Equal(2.5f, BitConverter.ToSingle(bytes, at + 8));

        // A scaling of two outputs on a network of three is damage.
        var wrong = NetworkRecord.ToBytes(network, scaling);
        BitConverter.GetBytes(2).CopyTo(wrong, 12 + 2 * 10 + 1);
        Assert.Contains("scales 2 outputs of 3", Assert.Throws<InvalidDataException>(() => NetworkRecord.FromBytes(wrong)).Message);
    }

    [Fact]
    public void Every_kind_of_layer_round_trips()
    {
        var layout = NetworkLayout.FullyConnected([6, 5, 1], [ActivationKind.Selu, ActivationKind.Identity], CostKind.Quadratic,
            preparation: new InputPreparation(Selected: 4, Standardized: true, Clipped: true, Bins: 5, Scaled: true));
        var network = Engine.Network<float>(layout, seed: 9);
        ((ColumnSelectionLayer<float>)network.Layers[0]).Set([0, 2, 3, 5]);
        ((StandardizationLayer<float>)network.Layers[1]).Set([1, 2, 3, 4], [0.5, 0.25, 2, 1]);
        ((PiecewiseLinearLayer<float>)network.Layers[2]).Set([1, 1, 3, 3, 3], [-1, 0, -2, 0, 1], [0, 1, 0, 1, 2]);
        network.Layers[3].Parameters[0].Values.Span.Fill(1.5f);
        Assert.Equal(Enum.GetValues<LayerKind>().Except([LayerKind.SparseInput]).Order(), network.Layers.Select(l => l.Kind).Distinct().Order());
        var stored = NetworkRecord.FromText(NetworkRecord.ToText(network, new LabelStandardization(2, 3)));
        Assert.Equal(network.Layout, stored.Network.Layout);
        Assert.Equal(Stored(network), Stored(stored.Network));
    }

    [Fact]
    public void A_sparse_input_layer_round_trips_in_its_own_order()
    {
        var network = Engine.Network<float>(NetworkLayout.FullyConnected([6, 3, 1], [ActivationKind.Relu, ActivationKind.Sigmoid], CostKind.CrossEntropy,
            sparseInput: true), 8);
        var stored = NetworkRecord.FromText(NetworkRecord.ToText(network, LabelStandardization.None));
        Assert.Equal(network.Layout, stored.Network.Layout);
        Assert.Equal(Stored(network), Stored(stored.Network));
    }

    [Fact]
    public void Damaged_text_is_refused_with_a_reason()
    {
        string text = NetworkRecord.ToText(Sample(), LabelStandardization.None);
        Assert.Contains("checksum", Assert.Throws<InvalidDataException>(() => NetworkRecord.FromText(text[..^8] + "AAAAAAAA")).Message);
        Assert.Contains("not in MlNetBackprop's format", Assert.Throws<InvalidDataException>(() => NetworkRecord.FromText("hello")).Message);
        Assert.Contains("no readable format version", Assert.Throws<InvalidDataException>(() => NetworkRecord.FromText("MlNetBackprop.Network;x;")).Message);
        Assert.Contains("not in MlNetBackprop's format", Assert.Throws<InvalidDataException>(
            () => NetworkRecord.FromText(text.Replace("MlNetBackprop.Network;", "MlNetBackprop.TrainingRecord;"))).Message);
    }

    [Fact]
    public void A_newer_format_version_asks_for_an_update()
    {
        string text = NetworkRecord.ToText(Sample(), LabelStandardization.None).Replace(";v1;", ";v9;");
        var message = Assert.Throws<InvalidDataException>(() => NetworkRecord.FromText(text)).Message;
        Assert.Contains("made by a newer version of MlNetBackprop", message);
        Assert.Contains("format v9", message);
        Assert.Contains("update the MlNetBackprop package", message);
    }

    [Theory]
    [InlineData(12, 99, "layer code 99")]      // the first layer's kind
    [InlineData(13, 42, "activation code 42")] // the first layer's activation
    public void An_unknown_code_in_a_known_version_asks_for_an_update(int offset, byte code, string expected)
    {
        // Magic (4 bytes), version (4), layer count (4), then per layer its kind and activation.
        var bytes = NetworkRecord.ToBytes(Sample(), LabelStandardization.None);
        bytes[offset] = code;
        var message = Assert.Throws<InvalidDataException>(() => NetworkRecord.FromBytes(bytes)).Message;
        Assert.Contains("made by a newer version of MlNetBackprop", message);
        Assert.Contains(expected, message);
    }

    [Fact]
    public void A_record_of_another_length_than_its_layers_declare_is_refused_before_anything_is_built()
    {
        var bytes = NetworkRecord.ToBytes(Sample(), LabelStandardization.None);
        Assert.Contains("declare", Assert.Throws<InvalidDataException>(() => NetworkRecord.FromBytes(bytes[..^20])).Message);
        Assert.Contains("declare", Assert.Throws<InvalidDataException>(() => NetworkRecord.FromBytes([.. bytes, 0, 0, 0, 0])).Message);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => NetworkRecord.FromBytes(bytes[..15])).Message);
    }

    [Fact]
    public void A_record_with_a_number_that_is_not_finite_is_refused()
    {
        var bytes = NetworkRecord.ToBytes(Sample(), LabelStandardization.None);
        BitConverter.GetBytes(float.NaN).CopyTo(bytes, bytes.Length - 4);
        Assert.Contains("NaN or infinite", Assert.Throws<InvalidDataException>(() => NetworkRecord.FromBytes(bytes)).Message);
    }

    [Fact]
    public void Identity_is_the_header_up_to_the_hash()
    {
        string text = NetworkRecord.ToText(Sample(), LabelStandardization.None);
        string identity = RecordText.Identity(text).ToString();
        Assert.StartsWith("MlNetBackprop.Network;v1;sha256=", identity);
        Assert.Equal("MlNetBackprop.Network;v1;sha256=".Length + 64, identity.Length);
    }

    [Fact]
    public void The_resume_state_round_trips_and_is_checked_against_the_network()
    {
        var state = new ResumeState(new OptimizerState<float>(7, [new float[] { 1, 2, 3 }, new float[] { -0.5f }]), 1234, 0.01);
        string text = ResumeRecord.ToText(state);
        var back = ResumeRecord.FromText(text, parameterBlocks: 2, parameterValues: 4);
        Assert.Equal(7, back.Optimizer.Steps);
        Assert.Equal([1f, 2f, 3f], back.Optimizer.Blocks[0].ToArray());
        Assert.Equal([-0.5f], back.Optimizer.Blocks[1].ToArray());
        Assert.Equal((1234L, 0.01), (back.ExamplesSeen, back.LearningRate));
        Assert.Contains("damaged", Assert.Throws<InvalidDataException>(() => ResumeRecord.FromText(text, parameterBlocks: 2, parameterValues: 1)).Message);
        Assert.Contains("damaged", Assert.Throws<InvalidDataException>(() => ResumeRecord.FromText(text, parameterBlocks: 0, parameterValues: 4)).Message);
    }

    private static float[] Stored(FeedForwardNetwork<float> network) => network.Layers.SelectMany(l => l.StoredBlocks).SelectMany(b => b.ToArray()).ToArray();
}
