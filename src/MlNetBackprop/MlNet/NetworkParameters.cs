using MlNetBackprop.Network;

namespace MlNetBackprop;

/// <summary>
/// The trained network, read-only: layer sizes, and for each weight layer l its weights w (n_out × n_in, row-major,
/// so that w[j·n_in + k] is the weight from neuron k of the layer below to neuron j, as in Nielsen's w_jk) and biases.
/// </summary>
public sealed class NetworkParameters
{
    private readonly FeedForwardNetwork<float> _network;

    internal NetworkParameters(FeedForwardNetwork<float> network, float outputScale, float outputOffset)
    {
        _network = network;
        OutputScale = outputScale;
        OutputOffset = outputOffset;
    }

    /// <summary>The layer sizes from the input layer to the output layer.</summary>
    public IReadOnlyList<int> LayerSizes => _network.Layout.Sizes;

    /// <summary>The number of weight layers (hidden layers + 1).</summary>
    public int LayerCount => _network.LayerCount;

    /// <summary>The hidden layers' activation.</summary>
    public HiddenActivation Activation => _network.Layout.Hidden switch
    {
        MlNetBackprop.Network.Activations.ActivationKind.Tanh => HiddenActivation.Tanh,
        MlNetBackprop.Network.Activations.ActivationKind.Relu => HiddenActivation.Relu,
        MlNetBackprop.Network.Activations.ActivationKind.Identity => HiddenActivation.Identity,
        _ => HiddenActivation.Sigmoid,
    };

    /// <summary>The weights of layer <paramref name="layer"/> (0 feeds the first hidden layer), row-major n_out × n_in.</summary>
    public ReadOnlyMemory<float> GetWeights(int layer) => _network.Weights[CheckLayer(layer)];

    /// <summary>The biases of layer <paramref name="layer"/>.</summary>
    public ReadOnlyMemory<float> GetBiases(int layer) => _network.Biases[CheckLayer(layer)];

    /// <summary>
    /// Regression: the network is trained on the standardised label, and predictions are output × OutputScale + OutputOffset.
    /// 1 for classification.
    /// </summary>
    public float OutputScale { get; }

    /// <summary>See <see cref="OutputScale"/>; 0 for classification.</summary>
    public float OutputOffset { get; }

    internal FeedForwardNetwork<float> Network => _network;

    private int CheckLayer(int layer) => layer >= 0 && layer < _network.LayerCount
        ? layer
        : throw new ArgumentOutOfRangeException(nameof(layer), layer, $"The network has weight layers 0 to {_network.LayerCount - 1}.");
}
