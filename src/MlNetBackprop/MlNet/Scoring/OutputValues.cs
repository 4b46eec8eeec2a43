namespace MlNetBackprop.MlNet.Scoring;

/// <summary>
/// Multi-output regression's output: one value column per target slot. The row types come in sizes, written at build
/// time by MlNetBackprop.Generators; the scoring chain takes the smallest that holds the targets.
/// </summary>
internal interface IOutputValues
{
    /// <summary>The values, one per target slot (only the first K are meaningful; the rest are NaN).</summary>
    float[] Values { get; }
}
