using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Costs;

namespace MlNetBackprop.Network;

/// <summary>
/// What a network is made of, without its numbers: the layer sizes [n₀, n₁, …, n_L] from the input to the output layer,
/// the activation of each weight layer (the last one is the output layer's), the cost, and whether the first layer reads
/// sparse input rows (see <see cref="Layers.SparseInputLayer{T}"/>). Two layouts are equal when all of that is.
/// </summary>
internal sealed class NetworkLayout : IEquatable<NetworkLayout>
{
    private readonly int[] _sizes;
    private readonly ActivationKind[] _activations;

    /// <summary>
    /// A layout of <paramref name="sizes"/> (input first) with one activation per weight layer; throws
    /// <see cref="ArgumentException"/> for a network this engine cannot build.
    /// </summary>
    public NetworkLayout(IEnumerable<int> sizes, IEnumerable<ActivationKind> activations, CostKind cost, bool sparseInput = false)
    {
        SparseInput = sparseInput;
        _sizes = sizes.ToArray();
        _activations = activations.ToArray();
        Cost = cost;
        if (_sizes.Length < 2)
            throw new ArgumentException("A network needs at least an input and an output layer.");
        if (_activations.Length != _sizes.Length - 1)
            throw new ArgumentException($"{_sizes.Length - 1} weight layers need as many activations, not {_activations.Length}.");
        for (int l = 0; l < _sizes.Length; l++)
            if (_sizes[l] <= 0)
                throw new ArgumentException($"Layer {l} has size {_sizes[l]}; every layer needs at least one neuron.");
        long parameters = 0;
        for (int l = 1; l < _sizes.Length; l++)
            parameters += (long)_sizes[l] * (_sizes[l - 1] + 1);
        if (parameters > int.MaxValue / 4)
            throw new ArgumentException($"The network would have {parameters:N0} parameters, more than this engine supports.");
        Sizes = Array.AsReadOnly(_sizes);
        Activations = Array.AsReadOnly(_activations);
    }

    /// <summary>A layout whose hidden layers all share one activation.</summary>
    public static NetworkLayout Uniform(int[] sizes, ActivationKind hidden, ActivationKind output, CostKind cost)
        => new(sizes, Enumerable.Repeat(hidden, Math.Max(sizes.Length - 2, 0)).Append(output), cost);

    /// <summary>Whether the first layer reads sparse input rows.</summary>
    public bool SparseInput { get; }

    /// <summary>This layout with its first layer reading sparse rows (<paramref name="sparse"/>) or dense ones.</summary>
    public NetworkLayout WithSparseInput(bool sparse) => sparse == SparseInput ? this : new(_sizes, _activations, Cost, sparse);

    /// <summary>Whether the networks of both layouts have the same parameters, whatever form their inputs take.</summary>
    public bool SameShape(NetworkLayout other) => WithSparseInput(false).Equals(other.WithSparseInput(false));

    /// <summary>The layer sizes from the input layer to the output layer.</summary>
    public IReadOnlyList<int> Sizes { get; }

    /// <summary>Per weight layer, its activation; the last is the output layer's.</summary>
    public IReadOnlyList<ActivationKind> Activations { get; }

    /// <summary>The output layer's activation.</summary>
    public ActivationKind Output => _activations[^1];

    /// <summary>The cost training minimises.</summary>
    public CostKind Cost { get; }

    /// <summary>The number of weight layers L (one per non-input layer).</summary>
    public int LayerCount => _sizes.Length - 1;

    /// <summary>Width of the input layer.</summary>
    public int InputSize => _sizes[0];

    /// <summary>Width of the output layer.</summary>
    public int OutputSize => _sizes[^1];

    /// <inheritdoc/>
    public bool Equals(NetworkLayout? other)
        => other is not null && Cost == other.Cost && SparseInput == other.SparseInput && _sizes.AsSpan().SequenceEqual(other._sizes) && _activations.AsSpan().SequenceEqual(other._activations);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as NetworkLayout);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (int size in _sizes) hash.Add(size);
        foreach (var activation in _activations) hash.Add(activation);
        hash.Add(Cost);
        hash.Add(SparseInput);
        return hash.ToHashCode();
    }

    /// <summary>For messages: "784-100-10 (Sigmoid; Softmax output, LogLikelihood cost)", with "sparse input; " first for sparse input.</summary>
    public override string ToString()
        => $"{string.Join("-", _sizes)} ({(SparseInput ? "sparse input; " : "")}{string.Join(", ", _activations[..^1])}{(_activations.Length > 1 ? "; " : "")}{Output} output, {Cost} cost)";
}
