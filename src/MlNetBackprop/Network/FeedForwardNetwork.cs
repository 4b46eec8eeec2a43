using System.Numerics;
using MlNetBackprop.Network.Kernels;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MlNetBackprop.Network.Costs;
using MlNetBackprop.Network.Inputs;
using MlNetBackprop.Network.Layers;
using MlNetBackprop.Network.Training;

namespace MlNetBackprop.Network;

/// <summary>
/// Nielsen's feedforward network: an ordered list of layers, each computing its output from the one below (a fully
/// connected layer zˡ = wˡaˡ⁻¹ + bˡ and aˡ = σ(zˡ)), and the cost of the output. The code's l is the book's l − 1:
/// <c>Layers[0]</c> reads the input. A mini-batch is a matrix with one example per row.
/// </summary>
internal sealed class FeedForwardNetwork<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Layer<T>[] _layers;
    private readonly Parameter<T>[] _parameters;

    /// <summary>Creates a network of the given layout with all its numbers zero (and standardizations that change nothing).</summary>
    public FeedForwardNetwork(NetworkLayout layout)
        : this(layout, layout.Layers.Select(LayerKinds.Create<T>).ToArray())
    {
    }

    /// <summary>
    /// A network of the given layers, from the input side, whose output is measured by <paramref name="cost"/>; each layer
    /// must take as many inputs as the one below it gives.
    /// </summary>
    public FeedForwardNetwork(IReadOnlyList<Layer<T>> layers, CostKind cost)
        : this(new NetworkLayout(layers.Select(l => l.Shape), cost), layers.ToArray())
    {
    }

    private FeedForwardNetwork(NetworkLayout layout, Layer<T>[] layers)
    {
        Layout = layout;
        _layers = layers;
        Cost = Cost<T>.Create(layout.Cost, layers[^1].Activation);
        _parameters = layers.SelectMany(l => l.Parameters).ToArray();
        FirstTrainableLayer = Array.FindIndex(layers, l => l.Parameters.Count > 0);
    }

    /// <summary>The layer sizes, kinds and functions.</summary>
    public NetworkLayout Layout { get; }

    /// <summary>The layers from the input side to the output layer.</summary>
    public IReadOnlyList<Layer<T>> Layers => _layers;

    /// <summary>Every layer's parameter blocks, layer after layer, in each layer's order.</summary>
    public IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <summary>
    /// The lowest layer with parameters (−1 when none has): backpropagation stops there, since no gradient is needed
    /// below it (a standardization layer in front has none).
    /// </summary>
    public int FirstTrainableLayer { get; }

    /// <summary>The cost, which also holds the output layer's activation.</summary>
    public Cost<T> Cost { get; }

    /// <summary>The number of layers.</summary>
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

    /// <summary>What layer <paramref name="layer"/> reads for the batch fed forward from <paramref name="first"/>.</summary>
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
    /// Σₓ sₓ·Cₓ over the batch just fed forward, sₓ the example weights (1 each when <paramref name="exampleScale"/> is empty);
    /// each sₓ·Cₓ also into <paramref name="rowCosts"/> when it is given (a paired comparison of two networks).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double WeightedCostOfOutput(Workspace<T> workspace, ReadOnlySpan<T> targets, ReadOnlySpan<T> exampleScale, int rows, Span<double> rowCosts = default)
    {
        int width = Layout.OutputSize;
        var z = workspace.OutputWeightedInputs(rows);
        var a = workspace.Output(rows);
        double sum = 0;
        for (int r = 0; r < rows; r++)
        {
            var range = new Range(r * width, (r + 1) * width);
            T scale = exampleScale.IsEmpty ? T.One : exampleScale[r];
            double cost = double.CreateChecked(scale * Cost.Value(z[range], a[range], targets[range]));
            if (!rowCosts.IsEmpty) rowCosts[r] = cost;
            sum += cost;
        }
        return sum;
    }

    /// <summary>Σₓ sₓ·Cₓ over a batch after a forward pass alone (what finite differences evaluate, twice per parameter).</summary>
    public double WeightedCost(MiniBatch<T> batch, Workspace<T> workspace, DropoutMasks<T>? dropout = null)
    {
        FeedForward(batch, workspace, dropout);
        return WeightedCostOfOutput(workspace, batch.Targets, batch.ExampleScale, batch.Rows);
    }

    /// <summary>Σw² over every block weight decay reaches (the weights, not the biases), for the L2 term λ/(2n)·Σw².</summary>
    public double SumOfSquaredWeights()
    {
        double sum = 0;
        foreach (var parameter in _parameters)
            if (parameter.Decays)
                sum += double.CreateChecked(TensorPrimitives.SumOfSquares<T>(parameter.Values.Span));
        return sum;
    }

    /// <summary>A deep copy in another precision (double for gradient checks, float for training).</summary>
    public FeedForwardNetwork<TOther> ConvertTo<TOther>() where TOther : unmanaged, IFloatingPointIeee754<TOther>
        => new(_layers.Select(l => l.ConvertTo<TOther>()).ToArray(), Layout.Cost);

    /// <summary>
    /// Copies every number of <paramref name="other"/>, a network of the same layers and cost, into this one: parameters
    /// and constants (a standardization's statistics). The first layers may read different input forms (a model trained
    /// on dense rows continued on sparse ones): their weights are then copied through the book's order.
    /// </summary>
    public void CopyParametersFrom(FeedForwardNetwork<T> other)
    {
        if (!other.Layout.SameShape(Layout))
            throw new ArgumentException($"Cannot copy a {other.Layout} network into a {Layout} one.", nameof(other));
        other.ApplyDeferredDecay();
        ApplyDeferredDecay();
        for (int l = 0; l < _layers.Length; l++)
        {
            if (_layers[l] is FullyConnectedLayer<T> to && other._layers[l] is FullyConnectedLayer<T> from && to.InputMajor != from.InputMajor)
            {
                var bookOrder = new T[to.InputSize * to.OutputSize];
                from.CopyWeightsTo(bookOrder);
                to.SetWeights(bookOrder);
                from.Biases.CopyTo(to.Biases, 0);
                continue;
            }
            foreach (var (source, target) in other._layers[l].StoredBlocks.Zip(_layers[l].StoredBlocks))
                source.Span.CopyTo(target.Span);
        }
    }

    /// <summary>Has every layer apply the decay it keeps aside (see <see cref="Layer{T}.ApplyDeferredDecay"/>), so that <see cref="Parameters"/> hold the true values.</summary>
    public void ApplyDeferredDecay()
    {
        foreach (var layer in _layers)
            layer.ApplyDeferredDecay();
    }

    /// <summary>Whether every stored number is finite (one vectorised pass over each block; it runs after every epoch).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool IsFinite()
    {
        foreach (var layer in _layers)
            foreach (var block in layer.StoredBlocks)
                if (!ElementWise.AllFinite<T>(block.Span)) return false;
        return true;
    }
}
