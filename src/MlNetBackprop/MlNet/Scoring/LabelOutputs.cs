namespace MlNetBackprop.MlNet.Scoring;

/// <summary>
/// Multi-label's output: per label slot, a binary classifier's score, probability and decision. The row types come in
/// sizes, written at build time by MlNetBackprop.Generators; the scoring chain takes the smallest that holds the labels.
/// </summary>
internal interface ILabelOutputs
{
    /// <summary>The raw scores z, one per label slot (only the first K are meaningful; the rest are NaN).</summary>
    float[] Scores { get; }

    /// <summary>The probabilities σ(z), one per label slot.</summary>
    float[] Probabilities { get; }

    /// <summary>Whether z &gt; 0 (probability above one half), one per label slot.</summary>
    bool[] Decisions { get; }
}
