using Microsoft.ML.Data;
using MlNetBackprop.Network;

namespace MlNetBackprop.MlNet.Persistence;

/// <summary>
/// Feeds one row forward through a trained network. The network is read-only here; each thread gets its own
/// scratch buffers, because ML.NET may run several cursors over one transformer at once.
/// </summary>
internal sealed class NetworkScorer
{
    [ThreadStatic] private static Workspace<float>? t_workspace;
    [ThreadStatic] private static float[]? t_dense;

    private readonly FeedForwardNetwork<float> _network;

    public NetworkScorer(NetworkSerializer.Stored stored)
    {
        _network = stored.Network;
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
                $"Schema mismatch for feature column: the model was trained on vectors of {InputSize} values, but this row has {features.Length}. Prepare the scoring data exactly like the training data.");
        ReadOnlySpan<float> input;
        if (features.IsDense)
        {
            input = features.GetValues();
        }
        else
        {
            var dense = t_dense is { Length: var n } && n >= InputSize ? t_dense : t_dense = new float[InputSize];
            dense.AsSpan(0, InputSize).Clear();
            var values = features.GetValues();
            var indices = features.GetIndices();
            for (int i = 0; i < values.Length; i++)
                dense[indices[i]] = values[i];
            input = dense.AsSpan(0, InputSize);
        }
        var workspace = t_workspace ??= new Workspace<float>();
        _network.FeedForward(input, 1, workspace);
        z = workspace.WeightedInputs[_network.LayerCount - 1].AsSpan(0, OutputSize);
        a = workspace.Activations[_network.LayerCount].AsSpan(0, OutputSize);
    }
}
