using MlNetBackprop.Network.Targets;

namespace MlNetBackprop.Network;

/// <summary>
/// Feeds one example at a time forward through a trained network, for scoring. The network is read-only here; each
/// thread gets its own workspace, because ML.NET may run several cursors over one model at once.
/// </summary>
internal sealed class Predictor
{
    private sealed class Scratch(int inputSize)
    {
        public readonly Workspace<float> Workspace = new();
        public readonly float[] Dense = new float[inputSize];
    }

    private readonly FeedForwardNetwork<float> _network;
    // Per predictor and per thread: two models scored alternately on one thread never resize each other's buffers.
    private readonly ThreadLocal<Scratch> _scratch;

    /// <summary>A predictor for <paramref name="network"/>, whose regression output is mapped back with <paramref name="standardization"/>.</summary>
    public Predictor(FeedForwardNetwork<float> network, LabelStandardization standardization)
    {
        _network = network;
        Standardization = standardization;
        _scratch = new ThreadLocal<Scratch>(() => new Scratch(network.Layout.InputSize));
    }

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
        var workspace = _scratch.Value!.Workspace;
        _network.FeedForward(input, 1, workspace);
        z = workspace.OutputWeightedInputs(1);
        a = workspace.Output(1);
    }

    /// <summary>The same for an example given by its non-zero values and their indices.</summary>
    public void Forward(ReadOnlySpan<float> values, ReadOnlySpan<int> indices, out ReadOnlySpan<float> z, out ReadOnlySpan<float> a)
    {
        var dense = _scratch.Value!.Dense;
        Array.Clear(dense);
        for (int i = 0; i < values.Length; i++)
            dense[indices[i]] = values[i];
        Forward(dense, out z, out a);
    }
}
