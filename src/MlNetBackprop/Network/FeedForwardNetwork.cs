using System.Numerics;
using MlNetBackprop.Network.Kernels;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Costs;
using MlNetBackprop.Network.Inputs;
using MlNetBackprop.Network.Layers;
using MlNetBackprop.Network.Training;

namespace MlNetBackprop.Network;

/// <summary>
/// Nielsen's feedforward network: an ordered list of layers, each computing zˡ = wˡaˡ⁻¹ + bˡ and aˡ = σ(zˡ) from the one
/// below, and the cost of the output. The code's l is the book's l − 1: <c>Layers[0]</c> feeds the first hidden layer.
/// A mini-batch is a matrix with one example per row.
/// </summary>
internal sealed class FeedForwardNetwork<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Layer<T>[] _layers;
    private readonly Parameter<T>[] _parameters;

    /// <summary>
    /// Creates a network of the given layout with all weights and biases zero: dense layers, the first one a
    /// <see cref="SparseInputLayer{T}"/> when the layout's input is sparse.
    /// </summary>
    public FeedForwardNetwork(NetworkLayout layout)
        : this(layout, Enumerable.Range(0, layout.LayerCount).Select(l => CreateLayer(layout, l)).ToArray())
    {
    }

    private static Layer<T> CreateLayer(NetworkLayout layout, int l)
    {
        var (inputs, outputs, activation) = (layout.Sizes[l], layout.Sizes[l + 1], Activation<T>.Create(layout.Activations[l]));
        return l == 0 && layout.SparseInput ? new SparseInputLayer<T>(inputs, outputs, activation) : new DenseLayer<T>(inputs, outputs, activation);
    }

    /// <summary>
    /// A network of the given layers, from the input side, whose output is measured by <paramref name="cost"/>; each layer
    /// must take as many inputs as the one below it has neurons.
    /// </summary>
    public FeedForwardNetwork(IReadOnlyList<Layer<T>> layers, CostKind cost)
        : this(new NetworkLayout(layers.Select(l => l.InputSize).Take(1).Concat(layers.Select(l => l.OutputSize)), layers.Select(l => l.Activation.Kind), cost,
                sparseInput: layers.Count > 0 && layers[0] is SparseInputLayer<T>),
            layers.ToArray())
    {
        for (int l = 1; l < layers.Count; l++)
            if (layers[l] is SparseInputLayer<T>)
                throw new ArgumentException($"Layer {l} is a sparse input layer; only the first layer can read sparse rows.", nameof(layers));
        for (int l = 1; l < layers.Count; l++)
            if (layers[l].InputSize != layers[l - 1].OutputSize)
                throw new ArgumentException($"Layer {l} takes {layers[l].InputSize} inputs, but the layer below has {layers[l - 1].OutputSize} neurons.", nameof(layers));
    }

    private FeedForwardNetwork(NetworkLayout layout, Layer<T>[] layers)
    {
        Layout = layout;
        _layers = layers;
        Cost = Cost<T>.Create(layout.Cost, layers[^1].Activation);
        _parameters = layers.SelectMany(l => l.Parameters).ToArray();
    }

    /// <summary>The layer sizes and functions.</summary>
    public NetworkLayout Layout { get; }

    /// <summary>The layers from the input side to the output layer.</summary>
    public IReadOnlyList<Layer<T>> Layers => _layers;

    /// <summary>Every layer's parameter blocks, layer after layer, in each layer's order.</summary>
    public IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <summary>The cost, which also holds the output layer's activation.</summary>
    public Cost<T> Cost { get; }

    /// <summary>The number of weight layers.</summary>
    public int LayerCount => _layers.Length;

    /// <summary>Draws every layer's starting parameters from <paramref name="random"/> (see <see cref="WeightInitialization"/>).</summary>
    public void InitializeWeights(Random random, WeightInitialization kind = WeightInitialization.ScaledGaussian)
    {
        foreach (var layer in _layers)
            layer.Initialize(random, kind);
    }

    /// <summary>
    /// Feeds a batch forward: zˡ and aˡ for every layer, kept in <paramref name="workspace"/>; the output is
    /// <see cref="Workspace{T}.Output"/>. With <paramref name="dropout"/>, each layer above a hidden layer sees that layer's
    /// activations through its current mask.
    /// </summary>
    public void FeedForward(ReadOnlySpan<T> input, int rows, Workspace<T> workspace, DropoutMasks<T>? dropout = null)
    {
        if (Layout.SparseInput)
            throw new InvalidOperationException("The network's first layer reads sparse rows; feed it a sparse batch.");
        workspace.EnsureFits(this, rows);
        if (dropout is not null) workspace.EnsureDropoutBuffers();
        // The input is copied into the workspace so that every product works on aligned arrays a worker thread can
        // share; a caller that gathered the batch there already (the training loop's mini-batch lives in Activations[0]) saves
        // the copy.
        Span<T> inputCopy = workspace.InputBuffer(rows);
        if (!Unsafe.AreSame(ref MemoryMarshal.GetReference(input), ref MemoryMarshal.GetReference(inputCopy)))
            input[..inputCopy.Length].CopyTo(inputCopy);
        FeedForwardFrom(workspace.Activations[0], rows, workspace, dropout);
    }

    /// <summary>Feeds a batch of sparse input rows forward (a network whose first layer reads them); see the dense overload.</summary>
    public void FeedForward(SparseRows<T> input, int rows, Workspace<T> workspace, DropoutMasks<T>? dropout = null)
    {
        if (!Layout.SparseInput)
            throw new InvalidOperationException("The network's first layer reads dense rows; feed it a dense batch.");
        if (input.Rows < rows || input.Width != Layout.InputSize)
            throw new ArgumentException($"{input.Rows} sparse rows of {input.Width} columns cannot be {rows} inputs of {Layout.InputSize}.", nameof(input));
        workspace.EnsureFits(this, rows);
        if (dropout is not null) workspace.EnsureDropoutBuffers();
        FeedForwardFrom(LayerInput<T>.Of(input), rows, workspace, dropout);
    }

    /// <summary>Feeds a mini-batch forward, in whichever form its inputs are.</summary>
    public void FeedForward(MiniBatch<T> batch, Workspace<T> workspace, DropoutMasks<T>? dropout = null)
    {
        if (batch.SparseInputs is { } sparse)
            FeedForward(sparse, batch.Rows, workspace, dropout);
        else
            FeedForward(batch.Inputs, batch.Rows, workspace, dropout);
    }

    /// <summary>What weight layer <paramref name="layer"/> reads for the batch fed forward from <paramref name="first"/>.</summary>
    public static LayerInput<T> InputOf(int layer, LayerInput<T> first, Workspace<T> workspace, DropoutMasks<T>? dropout)
        => layer == 0 ? first : workspace.InputOf(layer, dropout);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FeedForwardFrom(LayerInput<T> first, int rows, Workspace<T> workspace, DropoutMasks<T>? dropout)
    {
        for (int l = 0; l < _layers.Length; l++)
        {
            var layer = _layers[l];
            layer.Forward(InputOf(l, first, workspace, dropout), rows, workspace.WeightedInputs[l], workspace.Activations[l + 1], workspace.Products);
            // Dropout: the next layer sees aˡ ⊙ mask; aˡ itself is kept for σ′ in BP2.
            if (dropout?.Masks[l] is { } mask)
            {
                int count = rows * layer.OutputSize;
                ElementWise.Multiply(workspace.Activations[l + 1].Span[..count], mask.AsSpan(0, count), workspace.Dropped[l + 1].Span[..count]);
            }
        }
    }

    /// <summary>
    /// Σₓ sₓ·Cₓ over the batch just fed forward, sₓ the example weights (1 each when <paramref name="exampleScale"/> is empty).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double WeightedCostOfOutput(Workspace<T> workspace, ReadOnlySpan<T> targets, ReadOnlySpan<T> exampleScale, int rows)
    {
        int width = Layout.OutputSize;
        var z = workspace.OutputWeightedInputs(rows);
        var a = workspace.Output(rows);
        double sum = 0;
        for (int r = 0; r < rows; r++)
        {
            var range = new Range(r * width, (r + 1) * width);
            T scale = exampleScale.IsEmpty ? T.One : exampleScale[r];
            sum += double.CreateChecked(scale * Cost.Value(z[range], a[range], targets[range]));
        }
        return sum;
    }

    /// <summary>Σₓ sₓ·Cₓ over a batch after a forward pass alone (what finite differences evaluate, twice per parameter).</summary>
    public double WeightedCost(MiniBatch<T> batch, Workspace<T> workspace, DropoutMasks<T>? dropout = null)
    {
        FeedForward(batch, workspace, dropout);
        return WeightedCostOfOutput(workspace, batch.Targets, batch.ExampleScale, batch.Rows);
    }

    /// <summary>Σw² over every regularised block (the weights, not the biases), for the L2 term λ/(2n)·Σw².</summary>
    public double SumOfSquaredWeights()
    {
        double sum = 0;
        foreach (var parameter in _parameters)
            if (parameter.Regularized)
                sum += double.CreateChecked(TensorPrimitives.SumOfSquares<T>(parameter.Values.Span));
        return sum;
    }

    /// <summary>A deep copy in another precision (double for gradient checks, float for training).</summary>
    public FeedForwardNetwork<TOther> ConvertTo<TOther>() where TOther : unmanaged, IFloatingPointIeee754<TOther>
        => new(_layers.Select(l => l.ConvertTo<TOther>()).ToArray(), Layout.Cost);

    /// <summary>
    /// Copies every parameter of <paramref name="other"/>, a network of the same sizes, functions and cost, into this one.
    /// The first layers may read different input forms (a model trained on dense rows continued on sparse ones): their
    /// weights are then copied through the book's order.
    /// </summary>
    public void CopyParametersFrom(FeedForwardNetwork<T> other)
    {
        if (!other.Layout.SameShape(Layout))
            throw new ArgumentException($"Cannot copy a {other.Layout} network into a {Layout} one.", nameof(other));
        if (other.Layout.Equals(Layout))
        {
            for (int i = 0; i < _parameters.Length; i++)
                other._parameters[i].Values.Span.CopyTo(_parameters[i].Values.Span);
            return;
        }
        for (int l = 0; l < _layers.Length; l++)
        {
            var bookOrder = new T[_layers[l].InputSize * _layers[l].OutputSize];
            other._layers[l].CopyWeightsTo(bookOrder);
            _layers[l].SetWeights(bookOrder);
            other._layers[l].Biases.CopyTo(_layers[l].Biases, 0);
        }
    }

    /// <summary>Has every layer apply the arithmetic it deferred (see <see cref="Layer{T}.Settle"/>), so that <see cref="Parameters"/> hold the true values.</summary>
    public void Settle()
    {
        foreach (var layer in _layers)
            layer.Settle();
    }

    /// <summary>Whether every parameter is a finite number (one vectorised pass over each block; it runs after every epoch).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool IsFinite()
    {
        foreach (var parameter in _parameters)
            if (!ElementWise.AllFinite<T>(parameter.Values.Span)) return false;
        return true;
    }
}
