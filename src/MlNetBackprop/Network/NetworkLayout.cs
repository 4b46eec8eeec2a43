using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Costs;
using MlNetBackprop.Network.Layers;

namespace MlNetBackprop.Network;

/// <summary>
/// What a network is made of, without its numbers: its layers from the input side (<see cref="LayerShape"/>: kind, widths,
/// activation; the last is the output layer) and the cost. Two layouts are equal when all of that is.
/// </summary>
internal sealed class NetworkLayout : IEquatable<NetworkLayout>
{
    /// <summary>More numbers than any network this engine trains: a network's parameters live in arrays indexed by int.</summary>
    public const long MaxValues = int.MaxValue / 4;

    private readonly LayerShape[] _layers;

    /// <summary>
    /// A layout of <paramref name="layers"/>, each taking as many inputs as the one below gives; throws
    /// <see cref="ArgumentException"/> for a network this engine cannot build.
    /// </summary>
    public NetworkLayout(IEnumerable<LayerShape> layers, CostKind cost)
    {
        _layers = layers.ToArray();
        Cost = cost;
        if (_layers.Length == 0)
            throw new ArgumentException("A network needs at least an output layer.");
        long values = 0;
        for (int l = 0; l < _layers.Length; l++)
        {
            var shape = _layers[l];
            if (LayerKinds.Invalid(shape) is { } why)
                throw new ArgumentException($"Layer {l} is not a layer this engine builds: {why}.");
            if (l > 0 && shape.Inputs != _layers[l - 1].Outputs)
                throw new ArgumentException($"Layer {l} takes {shape.Inputs} inputs, but the layer below has {_layers[l - 1].Outputs} outputs.");
            if (l > 0 && LayerKinds.ReadsSparseRows(shape.Kind))
                throw new ArgumentException($"Layer {l} reads sparse rows; only the first layer can.");
            values += LayerKinds.StoredValues(shape);
            if (values > MaxValues)
                throw new ArgumentException($"The network would hold more than {MaxValues:N0} numbers, more than this engine supports.");
        }
        Layers = Array.AsReadOnly(_layers);
        Sizes = Array.AsReadOnly(_layers.Select(s => s.Outputs).Prepend(_layers[0].Inputs).ToArray());
        Activations = Array.AsReadOnly(_layers.Select(s => s.Activation).ToArray());
    }

    /// <summary>
    /// Fully connected layers of <paramref name="sizes"/> (input first) with one activation per layer, the first reading
    /// sparse rows when <paramref name="sparseInput"/>, behind the layers <paramref name="preparation"/> names (which read
    /// dense rows, or, a column selection, sparse ones).
    /// </summary>
    public static NetworkLayout FullyConnected(IReadOnlyList<int> sizes, IReadOnlyList<ActivationKind> activations, CostKind cost,
        bool sparseInput = false, InputPreparation? preparation = null)
    {
        var prepared = preparation ?? InputPreparation.None;
        if (sizes.Count < 2 || activations.Count != sizes.Count - 1)
            throw new ArgumentException($"{sizes.Count} sizes need {Math.Max(sizes.Count - 1, 1)} activations, not {activations.Count}, and at least an input and an output.");
        if (sparseInput && prepared != InputPreparation.None)
            throw new ArgumentException("A first layer that reads sparse rows has nothing in front of it (a column selection makes them dense).");
        if (prepared.Clipped && !prepared.Standardized)
            throw new ArgumentException("Smooth clipping is a standardization's.");
        var layers = new List<LayerShape>();
        int width = sizes[0];
        if (prepared.Selected > 0)
        {
            layers.Add(new LayerShape(LayerKind.ColumnSelection, width, prepared.Selected, ActivationKind.Identity));
            width = prepared.Selected;
        }
        if (prepared.Standardized)
            layers.Add(new LayerShape(LayerKind.Standardization, width, width, prepared.Clipped ? ActivationKind.SmoothClip : ActivationKind.Identity));
        if (prepared.Bins > 0)
        {
            layers.Add(new LayerShape(LayerKind.PiecewiseLinear, width, checked(width + prepared.Bins), ActivationKind.Identity));
            width += prepared.Bins;
        }
        if (prepared.Scaled) layers.Add(new LayerShape(LayerKind.Scaling, width, width, ActivationKind.Identity));
        for (int l = 0; l < activations.Count; l++)
            layers.Add(new LayerShape(l == 0 && sparseInput ? LayerKind.SparseInput : LayerKind.Dense, l == 0 ? width : sizes[l], sizes[l + 1], activations[l]));
        return new NetworkLayout(layers, cost);
    }

    /// <summary>Fully connected layers whose hidden layers all share one activation.</summary>
    public static NetworkLayout Uniform(int[] sizes, ActivationKind hidden, ActivationKind output, CostKind cost)
        => FullyConnected(sizes, Enumerable.Repeat(hidden, Math.Max(sizes.Length - 2, 0)).Append(output).ToArray(), cost);

    /// <summary>The layers from the input side; the last is the output layer.</summary>
    public IReadOnlyList<LayerShape> Layers { get; }

    /// <summary>The widths from the input to the output: the first layer's inputs, then each layer's outputs.</summary>
    public IReadOnlyList<int> Sizes { get; }

    /// <summary>Per layer, its activation; the last is the output layer's.</summary>
    public IReadOnlyList<ActivationKind> Activations { get; }

    /// <summary>The cost training minimises.</summary>
    public CostKind Cost { get; }

    /// <summary>The number of layers L.</summary>
    public int LayerCount => _layers.Length;

    /// <summary>Width of the input.</summary>
    public int InputSize => _layers[0].Inputs;

    /// <summary>Width of the output layer.</summary>
    public int OutputSize => _layers[^1].Outputs;

    /// <summary>The output layer's activation.</summary>
    public ActivationKind Output => _layers[^1].Activation;

    /// <summary>Whether the first layer reads sparse input rows.</summary>
    public bool SparseInput => LayerKinds.ReadsSparseRows(_layers[0].Kind);

    /// <summary>This layout with its first layer reading sparse rows (<paramref name="sparse"/>) or dense ones.</summary>
    public NetworkLayout WithSparseInput(bool sparse)
    {
        if (sparse == SparseInput) return this;
        var first = _layers[0];
        if (first.Kind is not (LayerKind.Dense or LayerKind.SparseInput))
            throw new ArgumentException($"The first layer ({first.Kind}) reads one form of rows only.");
        return new NetworkLayout(_layers.Skip(1).Prepend(first with { Kind = sparse ? LayerKind.SparseInput : LayerKind.Dense }), Cost);
    }

    /// <summary>Whether the networks of both layouts have the same numbers, whatever form their inputs take.</summary>
    public bool SameShape(NetworkLayout other) => WithDenseFirst(this).Equals(WithDenseFirst(other));

    private static NetworkLayout WithDenseFirst(NetworkLayout layout) => layout.Layers[0].Kind == LayerKind.SparseInput ? layout.WithSparseInput(false) : layout;

    /// <inheritdoc/>
    public bool Equals(NetworkLayout? other) => other is not null && Cost == other.Cost && _layers.AsSpan().SequenceEqual(other._layers);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as NetworkLayout);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var layer in _layers) hash.Add(layer);
        hash.Add(Cost);
        return hash.ToHashCode();
    }

    /// <summary>For messages: "784-100-10 (Relu; Softmax output, LogLikelihood cost)", with the kinds of any layer other than a dense one first.</summary>
    public override string ToString()
    {
        var special = _layers.Where(l => l.Kind != LayerKind.Dense).Select(l => l.Kind switch
        {
            LayerKind.SparseInput => "sparse input",
            LayerKind.Standardization when l.Activation == ActivationKind.SmoothClip => "robustly standardized and clipped input",
            LayerKind.Standardization => "standardized input",
            LayerKind.Scaling => "feature scales",
            LayerKind.PiecewiseLinear => "piecewise-linear encoding",
            LayerKind.ColumnSelection => "used columns of sparse input",
            var k => k.ToString(),
        }).Distinct().ToArray();
        var neurons = _layers.Where(l => LayerKinds.HasNeurons(l.Kind)).ToArray();
        string sizes = string.Join("-", neurons.Select(l => l.Outputs).Prepend(InputSize));
        string hidden = string.Join(", ", neurons.SkipLast(1).Select(l => l.Activation));
        return $"{sizes} ({string.Join("; ", special)}{(special.Length > 0 ? "; " : "")}{hidden}{(hidden.Length > 0 ? "; " : "")}{Output} output, {Cost} cost)";
    }
}
