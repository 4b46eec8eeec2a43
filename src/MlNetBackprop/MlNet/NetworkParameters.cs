using MlNetBackprop.Network;
using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Layers;
using MlNetBackprop.Network.Targets;

namespace MlNetBackprop;

/// <summary>
/// The trained network, read-only: its fully connected layers' sizes, each hidden layer's activation, and for each of
/// those layers l its weights w (n_out × n_in, row-major, so that w[j·n_in + k] is the weight from input k to neuron j,
/// as in Nielsen's w_jk) and biases; and, when the network standardizes its features, their means and scales.
/// </summary>
public sealed class NetworkParameters
{
    private readonly FeedForwardNetwork<float> _network;
    private readonly FullyConnectedLayer<float>[] _layers;
    private readonly Lazy<ReadOnlyMemory<float>>[] _weights;

    internal NetworkParameters(FeedForwardNetwork<float> network, LabelStandardization standardization)
    {
        _network = network;
        _layers = network.Layers.OfType<FullyConnectedLayer<float>>().ToArray();
        // Each layer's weights in the book's order, whatever order the layer stores them in: a dense layer hands out its
        // own (read-only) array, a sparse input layer a copy, made when first asked for.
        _weights = _layers.Select(layer => new Lazy<ReadOnlyMemory<float>>(
            () => layer.InputMajor ? BookOrder(layer) : layer.Weights)).ToArray();
        Standardization = standardization;
        // A view of a copy: no caller can change the network's layout.
        LayerSizes = Array.AsReadOnly(_layers.Select(l => l.OutputSize).Prepend(_layers[0].InputSize).ToArray());
        HiddenLayerActivations = _layers.SkipLast(1)
            .Select(layer => HiddenActivations.OptionOf(layer.Activation.Kind)
                ?? throw new InvalidOperationException($"A hidden layer has the output-only activation {layer.Activation.Kind}."))
            .ToArray();
        var standardizing = network.Layers.OfType<StandardizationLayer<float>>().FirstOrDefault();
        FeatureMeans = standardizing?.Mean.ToArray() ?? ReadOnlyMemory<float>.Empty;
        FeatureScales = standardizing?.Scale.ToArray() ?? ReadOnlyMemory<float>.Empty;
    }

    /// <summary>
    /// The sizes from what the first fully connected layer reads (the features; with
    /// <see cref="BackpropTrainer.Options.PiecewiseLinearBins"/>, the features followed by their encoding) through the
    /// hidden layers to the output layer.
    /// </summary>
    public IReadOnlyList<int> LayerSizes { get; }

    /// <summary>The number of fully connected layers (hidden layers + 1).</summary>
    public int LayerCount => _layers.Length;

    /// <summary>Each hidden layer's activation, from the input side.</summary>
    public IReadOnlyList<HiddenActivation> HiddenLayerActivations { get; }

    /// <summary>
    /// The first hidden layer's activation: every hidden layer's, unless <see cref="BackpropTrainer.Options.HiddenLayerActivations"/>
    /// gave them their own (see <see cref="HiddenLayerActivations"/>). A network without hidden layers has none: null.
    /// </summary>
    public HiddenActivation? Activation => HiddenLayerActivations.Count > 0 ? HiddenLayerActivations[0] : null;

    /// <summary>
    /// The weights of layer <paramref name="layer"/> (0 reads the features, standardized when <see cref="FeatureMeans"/>
    /// is not empty), row-major n_out × n_in.
    /// </summary>
    public ReadOnlyMemory<float> GetWeights(int layer) => _weights[CheckLayer(layer)].Value;

    /// <summary>The biases of layer <paramref name="layer"/>.</summary>
    public ReadOnlyMemory<float> GetBiases(int layer) => _layers[CheckLayer(layer)].Biases;

    /// <summary>
    /// The means μ the network subtracts from the features before its first layer (<see cref="BackpropTrainer.Options.StandardizeFeatures"/>):
    /// layer 0 reads (x − μ)·s, s being <see cref="FeatureScales"/>. Empty when the network reads the features as they come.
    /// </summary>
    public ReadOnlyMemory<float> FeatureMeans { get; }

    /// <summary>The scales s = 1/σ (1 for 0/1 features) the network multiplies the centred features by; empty with <see cref="FeatureMeans"/>.</summary>
    public ReadOnlyMemory<float> FeatureScales { get; }

    /// <summary>
    /// Regression: the network is trained on the standardised label, and predictions are output × OutputScale + OutputOffset.
    /// 1 for classification. A multi-output model has one per target: read <see cref="OutputScales"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The network has several scaled outputs.</exception>
    public float OutputScale => Standardization.Count > 0 ? Single(Standardization.StandardDeviations, nameof(OutputScales)) : 1f;

    /// <summary>See <see cref="OutputScale"/>; 0 for classification.</summary>
    /// <exception cref="InvalidOperationException">The network has several scaled outputs.</exception>
    public float OutputOffset => Standardization.Count > 0 ? Single(Standardization.Means, nameof(OutputOffsets)) : 0f;

    private static float Single(ReadOnlySpan<float> values, string several) => values.Length == 1 ? values[0]
        : throw new InvalidOperationException($"The network has {values.Length} scaled outputs, one per target: read {several}.");

    /// <summary>
    /// Regression, one or several targets: each output's scale, prediction j being output j × OutputScales[j] +
    /// OutputOffsets[j]; empty for classification and multi-label.
    /// </summary>
    public IReadOnlyList<float> OutputScales => Standardization.StandardDeviations.ToArray();

    /// <summary>See <see cref="OutputScales"/>.</summary>
    public IReadOnlyList<float> OutputOffsets => Standardization.Means.ToArray();

    internal FeedForwardNetwork<float> Network => _network;

    internal LabelStandardization Standardization { get; }

    private static float[] BookOrder(FullyConnectedLayer<float> layer)
    {
        var weights = new float[layer.InputSize * layer.OutputSize];
        layer.CopyWeightsTo(weights);
        return weights;
    }

    private int CheckLayer(int layer) => layer >= 0 && layer < _layers.Length
        ? layer
        : throw new ArgumentOutOfRangeException(nameof(layer), layer, $"The network has fully connected layers 0 to {_layers.Length - 1}.");
}
