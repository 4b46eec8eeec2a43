namespace MlNetBackprop.MlNet.Scoring;

/// <summary>Names of the scoring chain's working columns, dropped before the output is handed back.</summary>
internal static class ScoringColumns
{
    public const string Features = "BackpropFeatures";
    public const string ModelKey = "BackpropModelKey";
    public const string Model = "BackpropModel";
    public const string PredictedIndex = "BackpropPredictedIndex";
    public const string ScorePrefix = "BackpropScore";
    public const string ProbabilityPrefix = "BackpropProbability";
    public const string DecisionPrefix = "BackpropDecision";

    public static string Score(int slot) => ScorePrefix + Slot(slot);

    public static string Probability(int slot) => ProbabilityPrefix + Slot(slot);

    public static string Decision(int slot) => DecisionPrefix + Slot(slot);

    private static string Slot(int slot) => slot.ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
}
