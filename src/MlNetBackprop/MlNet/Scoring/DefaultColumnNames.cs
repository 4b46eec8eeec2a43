namespace MlNetBackprop.MlNet.Scoring;

/// <summary>The column names ML.NET's trainers produce and its evaluators read by default.</summary>
internal static class DefaultColumnNames
{
    public const string Score = "Score";
    public const string Probability = "Probability";
    public const string PredictedLabel = "PredictedLabel";
}
