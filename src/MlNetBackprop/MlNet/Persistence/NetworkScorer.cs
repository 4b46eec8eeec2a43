using Microsoft.ML.Data;
using MlNetBackprop.Network;

namespace MlNetBackprop.MlNet.Persistence;

/// <summary>
/// Feeds one row forward through a trained network. The network is read-only here; each thread gets its own
/// scratch buffers, because ML.NET may run several cursors over one transformer at once.
/// </summary>
internal sealed class NetworkScorer
{
    private sealed class Scratch(int inputSize)
    {
        public readonly Workspace<float> Workspace = new();
        public readonly float[] Dense = new float[inputSize];
    }

    private readonly FeedForwardNetwork<float> _network;
    // Per scorer and per thread: two models scored alternately on one thread never resize each other's buffers.
    private readonly ThreadLocal<Scratch> _scratch;

    public NetworkScorer(NetworkSerializer.Stored stored)
    {
        _network = stored.Network;
        _scratch = new ThreadLocal<Scratch>(() => new Scratch(_network.Layout.InputSize));
        OutputScale = stored.OutputScale;
        OutputOffset = stored.OutputOffset;
    }

    /// <summary>Width of the input layer.</summary>
    public int InputSize => _network.Layout.InputSize;

    /// <summary>Width of the output layer.</summary>
    public int OutputSize => _network.Layout.OutputSize;

    /// <summary>Regression's targets were standardised for training: prediction = output·scale + offset.</summary>
    public float OutputScale { get; }

    /// <summary>See <see cref="OutputScale"/>.</summary>
    public float OutputOffset { get; }

    /// <summary>
    /// The output layer's weighted inputs z and activations a for one example. The spans stay valid until the
    /// calling thread scores its next row.
    /// </summary>
    public void Forward(in VBuffer<float> features, out ReadOnlySpan<float> z, out ReadOnlySpan<float> a)
    {
        if (features.Length != InputSize)
            throw new InvalidOperationException(
                $"The model was trained on feature vectors of {InputSize} values, but this row has {features.Length}: prepare the scoring data exactly like the training data.");
        var scratch = _scratch.Value!;
        ReadOnlySpan<float> input;
        if (features.IsDense)
        {
            input = features.GetValues();
        }
        else
        {
            var dense = scratch.Dense;
            Array.Clear(dense);
            var values = features.GetValues();
            var indices = features.GetIndices();
            for (int i = 0; i < values.Length; i++)
                dense[indices[i]] = values[i];
            input = dense;
        }
        var workspace = scratch.Workspace;
        _network.FeedForward(input, 1, workspace);
        z = workspace.WeightedInputs[_network.LayerCount - 1].Span[..OutputSize];
        a = workspace.Activations[_network.LayerCount].Span[..OutputSize];
    }
}
