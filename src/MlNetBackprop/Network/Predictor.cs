using MlNetBackprop.Network.Inputs;
using MlNetBackprop.Network.Targets;

namespace MlNetBackprop.Network;

/// <summary>
/// Feeds one example at a time forward through a trained network, for scoring. The network is read-only here; each
/// thread gets its own workspace, because ML.NET may run several cursors over one model at once.
/// </summary>
internal sealed class Predictor
{
    private sealed class Scratch(int inputSize, bool sparse)
    {
        public readonly Workspace<float> Workspace = new();
        // A network that reads dense rows gets a sparse row made dense here, and one that reads sparse rows gets a dense row
        // as its non-zeros: each is allocated only for the form the network reads.
        public readonly float[] Dense = sparse ? [] : new float[inputSize];
        public readonly SparseRows<float> Sparse = new(inputSize, 1);
    }

    private readonly FeedForwardNetwork<float> _network;
    // Per predictor and per thread: two models scored alternately on one thread never resize each other's buffers.
    private readonly ThreadLocal<Scratch> _scratch;

    /// <summary>A predictor for <paramref name="network"/>, whose regression output is mapped back with <paramref name="standardization"/>.</summary>
    public Predictor(FeedForwardNetwork<float> network, LabelStandardization standardization)
    {
        _network = network;
        Standardization = standardization;
        _scratch = new ThreadLocal<Scratch>(() => new Scratch(network.Layout.InputSize, network.Layout.SparseInput));
    }

    /// <summary>The network it feeds forward (never changed here).</summary>
    public FeedForwardNetwork<float> Network => _network;

    /// <summary>Width of the input layer.</summary>
    public int InputSize => _network.Layout.InputSize;

    /// <summary>Width of the output layer.</summary>
    public int OutputSize => _network.Layout.OutputSize;

    /// <summary>How regression's output maps back to the label's units.</summary>
    public LabelStandardization Standardization { get; }

    /// <summary>
    /// The output layer's weighted inputs z and activations a for one example given densely. The spans stay valid until
    /// the calling thread's next call.
    /// </summary>
    public void Forward(ReadOnlySpan<float> input, out ReadOnlySpan<float> z, out ReadOnlySpan<float> a)
    {
        var scratch = _scratch.Value!;
        if (_network.Layout.SparseInput)
        {
            scratch.Sparse.Clear();
            scratch.Sparse.AppendDense(input[..InputSize]);
            _network.FeedForward(scratch.Sparse, 1, scratch.Workspace);
        }
        else
        {
            _network.FeedForward(input, 1, scratch.Workspace);
        }
        z = scratch.Workspace.OutputWeightedInputs(1);
        a = scratch.Workspace.Output(1);
    }

    /// <summary>
    /// The same for an example given by its non-zero values and their indices (rising, within the input layer), at the
    /// cost of its non-zeros when the network's first layer reads sparse rows.
    /// </summary>
    public void Forward(ReadOnlySpan<float> values, ReadOnlySpan<int> indices, out ReadOnlySpan<float> z, out ReadOnlySpan<float> a)
    {
        var scratch = _scratch.Value!;
        if (!_network.Layout.SparseInput)
        {
            SparseRows<float>.Scatter(values, indices, scratch.Dense);
            Forward(scratch.Dense, out z, out a);
            return;
        }
        scratch.Sparse.Clear();
        scratch.Sparse.Append(values, indices);
        _network.FeedForward(scratch.Sparse, 1, scratch.Workspace);
        z = scratch.Workspace.OutputWeightedInputs(1);
        a = scratch.Workspace.Output(1);
    }
}
