namespace MlNetBackprop.MlNet.Scoring;

/// <summary>Names of the scoring chain's working columns, dropped before the output is handed back.</summary>
internal static class ScoringColumns
{
    public const string Features = "BackpropFeatures";
    public const string ModelKey = "BackpropModelKey";
    public const string Model = "BackpropModel";
    public const string PredictedIndex = "BackpropPredictedIndex";
    public const string ScorePrefix = "BackpropScore";

    public static string Score(int classIndex) => ScorePrefix + classIndex.ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
}
