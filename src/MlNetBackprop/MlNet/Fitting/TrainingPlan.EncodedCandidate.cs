using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetBackprop.MlNet.Data;
using MlNetBackprop.MlNet.Scoring;
using MlNetBackprop.Network;
using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Costs;
using MlNetBackprop.Network.Inputs;
using MlNetBackprop.Network.Layers;
using MlNetBackprop.Network.Optimizers;
using MlNetBackprop.Network.Targets;
using MlNetBackprop.Network.Training;

namespace MlNetBackprop.MlNet.Fitting;

/// <summary>
/// The second network a <c>Fit</c> trains when <see cref="BackpropTrainer.Options.PiecewiseLinearBins"/> is left to
/// validation: the plain network's layers behind a piecewise-linear encoding of the numeric features.
/// </summary>
internal sealed partial class TrainingPlan
{
    /// <summary>
    /// Whether <c>Fit</c> may try the encoded network beside the plain one on <paramref name="width"/> features: the
    /// encoding is left to validation, the features are standardized, and they are few enough to be encoded at all.
    /// </summary>
    private bool MayEncode(int width)
        => Options.PiecewiseLinearBins is null && Options.StandardizeFeatures && width < BackpropTrainer.AutomaticEncodingMostInputs;

    /// <summary>
    /// The encoded network that <c>Fit</c> trains beside the plain one when the encoding is left to validation: the plain
    /// network's layers behind a piecewise-linear encoding of <see cref="BackpropTrainer.AutomaticPiecewiseLinearBins"/>
    /// bins, initialised from <paramref name="random"/>; null when the options set the encoding, no feature is numeric, or
    /// the encoded input would be wider than <see cref="BackpropTrainer.AutomaticEncodingMostInputs"/>.
    /// </summary>
    public FeedForwardNetwork<float>? CreateEncodedCandidate(Random random, int[]? selected, FeatureStatistics? features)
    {
        if (features is null || !MayEncode(features.Width)) return null;
        var network = CreateNetwork(random, null, selected is not null, selected, features, BackpropTrainer.AutomaticPiecewiseLinearBins,
            BackpropTrainer.AutomaticEncodingMostInputs);
        return network?.Layers.OfType<PiecewiseLinearLayer<float>>().Any() == true ? network : null;
    }

    /// <summary>The engine's settings for the encoded network: the plain one's, with at least <see cref="BackpropTrainer.AutomaticEncodingPatience"/> epochs of patience.</summary>
    public SgdSettings EncodedCandidateSettings(int seed, int trainingRows)
    {
        var settings = Settings(seed, 1, trainingRows);
        return settings with { Patience = int.Max(settings.Patience, BackpropTrainer.AutomaticEncodingPatience) };
    }
}
