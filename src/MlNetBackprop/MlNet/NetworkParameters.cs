using MlNetBackprop.Network;
using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Layers;
using MlNetBackprop.Network.Targets;

namespace MlNetBackprop;

/// <summary>
/// The trained network, read-only: layer sizes, each hidden layer's activation, and for each weight layer l its weights w
/// (n_out × n_in, row-major, so that w[j·n_in + k] is the weight from neuron k of the layer below to neuron j, as in
/// Nielsen's w_jk) and biases.
/// </summary>
public sealed class NetworkParameters
{
    private readonly FeedForwardNetwork<float> _network;
    private readonly Lazy<ReadOnlyMemory<float>>[] _weights;

    internal NetworkParameters(FeedForwardNetwork<float> network, LabelStandardization standardization)
    {
        _network = network;
        // Each layer's weights in the book's order, whatever order the layer stores them in: a dense layer hands out its
        // own (read-only) array, a sparse input layer a copy, made when first asked for.
        _weights = network.Layers.Select(layer => new Lazy<ReadOnlyMemory<float>>(
            () => layer is DenseLayer<float> dense ? dense.Weights : BookOrder(layer))).ToArray();
        Standardization = standardization;
        LayerSizes = Array.AsReadOnly(network.Layout.Sizes.ToArray()); // a view of a copy: no caller can change the network's layout
        HiddenLayerActivations = network.Layout.Activations.SkipLast(1)
            .Select(kind => HiddenActivations.OptionOf(kind) ?? throw new InvalidOperationException($"A hidden layer has the output-only activation {kind}."))
            .ToArray();
    }

    /// <summary>The layer sizes from the input layer to the output layer.</summary>
    public IReadOnlyList<int> LayerSizes { get; }

    /// <summary>The number of weight layers (hidden layers + 1).</summary>
    public int LayerCount => _network.LayerCount;

    /// <summary>Each hidden layer's activation, from the input side.</summary>
    public IReadOnlyList<HiddenActivation> HiddenLayerActivations { get; }

    /// <summary>
    /// The first hidden layer's activation: every hidden layer's, unless <see cref="BackpropTrainer.Options.HiddenLayerActivations"/>
    /// gave them their own (see <see cref="HiddenLayerActivations"/>). A network without hidden layers has none: null.
    /// </summary>
    public HiddenActivation? Activation => HiddenLayerActivations.Count > 0 ? HiddenLayerActivations[0] : null;

    /// <summary>The weights of layer <paramref name="layer"/> (0 feeds the first hidden layer), row-major n_out × n_in.</summary>
    public ReadOnlyMemory<float> GetWeights(int layer) => _weights[CheckLayer(layer)].Value;

    /// <summary>The biases of layer <paramref name="layer"/>.</summary>
    public ReadOnlyMemory<float> GetBiases(int layer) => _network.Layers[CheckLayer(layer)].Biases;

    /// <summary>
    /// Regression: the network is trained on the standardised label, and predictions are output × OutputScale + OutputOffset.
    /// 1 for classification.
    /// </summary>
    public float OutputScale => Standardization.StandardDeviation;

    /// <summary>See <see cref="OutputScale"/>; 0 for classification.</summary>
    public float OutputOffset => Standardization.Mean;

    internal FeedForwardNetwork<float> Network => _network;

    internal LabelStandardization Standardization { get; }

    private static float[] BookOrder(Network.Layers.Layer<float> layer)
    {
        var weights = new float[layer.InputSize * layer.OutputSize];
        layer.CopyWeightsTo(weights);
        return weights;
    }

    private int CheckLayer(int layer) => layer >= 0 && layer < _network.LayerCount
        ? layer
        : throw new ArgumentOutOfRangeException(nameof(layer), layer, $"The network has weight layers 0 to {_network.LayerCount - 1}.");
}
