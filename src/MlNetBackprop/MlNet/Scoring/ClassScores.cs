namespace MlNetBackprop.MlNet.Scoring;

/// <summary>
/// Multiclass output: one score column per class slot and the 1-based index of the best class. The row types come in
/// sizes, written at build time by MlNetBackprop.Generators; the scoring chain takes the smallest that holds the classes.
/// </summary>
internal interface IClassScores
{
    /// <summary>The scores, one per class slot (only the first K are meaningful).</summary>
    float[] Values { get; }

    /// <summary>The 1-based index of the highest-scoring class, 0 when the scores are not numbers.</summary>
    uint PredictedIndex { get; set; }
}
