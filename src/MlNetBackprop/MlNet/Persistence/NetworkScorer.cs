using MlNetBackprop.Internal;
using Microsoft.ML.Data;
using MlNetBackprop.Network;

namespace MlNetBackprop.MlNet.Persistence;

/// <summary>Hands one row's feature vector to the engine's <see cref="Predictor"/>, as it is: dense, or its non-zero values and indices.</summary>
internal sealed class NetworkScorer(Predictor predictor)
{
    /// <summary>The engine's predictor (and its label standardisation).</summary>
    public Predictor Predictor => predictor;

    /// <summary>
    /// The output layer's weighted inputs z and activations a for one example. The spans stay valid until the
    /// calling thread scores its next row.
    /// </summary>
    public void Forward(in VBuffer<float> features, out ReadOnlySpan<float> z, out ReadOnlySpan<float> a)
    {
        if (features.Length != predictor.InputSize)
            throw new InvalidOperationException(
                $"The model was trained on feature vectors of {predictor.InputSize} values, but this row has {features.Length}: prepare the scoring data exactly like the training data.");
        if (features.IsDense)
            predictor.Forward(features.GetValues(), out z, out a);
        else
            predictor.Forward(features.GetValues(), features.GetIndices(), out z, out a);
    }
}
