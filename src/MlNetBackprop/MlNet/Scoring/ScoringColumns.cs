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

    private static readonly string[] SlotPrefixes = [ScorePrefix, ProbabilityPrefix, DecisionPrefix];

    private static string Slot(int slot) => slot.ToString("D4", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Whether <paramref name="name"/> is one of the chain's working columns, which it drops before handing its output
    /// back: an input column of that name would be hidden and dropped with it.
    /// </summary>
    public static bool IsWorking(string name)
        => name is Features or ModelKey or Model or PredictedIndex
            || SlotPrefixes.Any(prefix => name.Length == prefix.Length + 4
                && name.StartsWith(prefix, StringComparison.Ordinal) && name.AsSpan(prefix.Length).IndexOfAnyExceptInRange('0', '9') < 0);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for an input column named like a working column (see <see cref="IsWorking"/>).</summary>
    public static void CheckNoneUsed(IEnumerable<string> inputColumns, string parameter = "inputSchema")
    {
        if (inputColumns.FirstOrDefault(IsWorking) is { } taken)
            throw new ArgumentOutOfRangeException(parameter,
                $"Column '{taken}' of the input has the name of a working column of BackpropTrainer's scoring, which would hide it and drop it from the output: rename the column.");
    }
}
