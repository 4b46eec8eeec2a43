using MlNetBackprop.Network;
using MlNetBackprop.Network.Inputs;
using MlNetBackprop.Network.Layers;
using MlNetBackprop.Network.Training;

namespace MlNetBackprop.MlNet.Fitting;

/// <summary>
/// The second network a <c>Fit</c> trains when <see cref="BackpropTrainer.Options.PiecewiseLinearBins"/> is left to
/// validation (the plain network's layers behind a piecewise-linear encoding of the numeric features), and the numbers
/// of the layers in front of either network's first dense layer.
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
    /// Whether <c>Fit</c> trains the encoded network beside the plain one (see <see cref="CreateEncodedCandidate"/>) on
    /// these features, when nothing is continued: the question early stopping's automatic rule asks, since the choice
    /// needs a validation split. Draws nothing at random.
    /// </summary>
    public bool ChoosesEncoding(bool continues, int[]? selected, FeatureStatistics? features)
    {
        if (continues || features is null || !MayEncode(features.Width)) return false;
        int width = selected?.Length ?? InputSize;
        var bins = PreparedInputs(selected is not null, selected, features, BackpropTrainer.AutomaticPiecewiseLinearBins,
            BackpropTrainer.AutomaticEncodingMostInputs - width).Bins.Features;
        return bins is { Length: > 0 } && width + bins.Length <= BackpropTrainer.AutomaticEncodingMostInputs;
    }

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
    public SgdSettings EncodedCandidateSettings(int seed, int trainingRows, bool choosesEncoding)
    {
        var settings = Settings(seed, 1, trainingRows, choosesEncoding);
        return settings with { Patience = int.Max(settings.Patience, BackpropTrainer.AutomaticEncodingPatience) };
    }

    /// <summary>
    /// The numbers of the layers in front of the first dense one: the standardization's centres and scales and the
    /// encoding's bins (in the standardized units), from <paramref name="features"/>' statistics; the bins stop being looked
    /// for once there are more than <paramref name="mostBins"/> (the network would be too wide to make).
    /// </summary>
    private (double[] Center, double[] Scale, (int[] Features, double[] Low, double[] High) Bins) PreparedInputs(bool sparse, int[]? selected,
        FeatureStatistics? features, int encodingBins, int mostBins = int.MaxValue)
    {
        bool prepared = !sparse || selected is not null;
        double[] center = [], scale = [];
        if (prepared && Options.StandardizeFeatures)
        {
            var statistics = features ?? throw new ArgumentNullException(nameof(features), "A standardized network needs the features' statistics.");
            (center, scale) = Options.RobustStandardization ? statistics.MedianAndScale() : statistics.MeanAndScale();
        }
        bool clipped = Options.RobustStandardization;
        var bins = prepared && encodingBins > 0
            ? (features ?? throw new ArgumentNullException(nameof(features), "An encoding needs the features' statistics."))
                .Bins(encodingBins, (k, v) => center.Length == 0 ? v : StandardizationLayer<float>.Standardize(v, center[k], scale[k], clipped), mostBins)
            : default;
        return (center, scale, bins);
    }
}
