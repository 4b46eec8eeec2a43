using System.ComponentModel;
using Microsoft.ML.Data;

namespace MlNetBackprop.Internal;

// The row types of the saved scoring chain. ML.NET's CustomMapping reads and writes public members by
// reflection, so these types are public; they are plumbing, not API to program against.

/// <summary>Input of the mapping that adds the constant model key: it reads no column.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class NoColumns
{
}

/// <summary>The constant key under which the saved network is looked up on every row.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ModelKey
{
    /// <summary>Always 0: the one key of the lookup that carries the network.</summary>
    [ColumnName(ScoringColumns.ModelKey)]
    public uint Key;
}

/// <summary>What the forward pass reads for one row: the features and the network's stored text.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ForwardInput
{
    /// <summary>The feature vector.</summary>
    [ColumnName(ScoringColumns.Features)]
    public VBuffer<float> Features;

    /// <summary>The network, as written by the trainer (the same string on every row).</summary>
    [ColumnName(ScoringColumns.Model)]
    public ReadOnlyMemory<char> Model;
}

/// <summary>Regression output: the predicted value.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class RegressionOutput
{
    /// <summary>The prediction, in the label's own units.</summary>
    public float Score;
}

/// <summary>Binary classification output, as ML.NET's binary trainers name it.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class BinaryOutput
{
    /// <summary>The raw score z of the output neuron (the logit).</summary>
    public float Score;

    /// <summary>σ(z): the probability of the positive class.</summary>
    public float Probability;

    /// <summary>Whether the score is positive (probability above one half).</summary>
    public bool PredictedLabel;
}

/// <summary>
/// Multiclass output: one score column per class slot and the 1-based index of the best class. The classes come in
/// sizes, written at build time by MlNetBackprop.Generators; <see cref="MulticlassScores"/> is the largest.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IClassScores
{
    /// <summary>The scores, one per class slot (only the first K are meaningful).</summary>
    float[] Values { get; }

    /// <summary>The 1-based index of the highest-scoring class, 0 when the scores are not numbers.</summary>
    uint PredictedIndex { get; set; }
}

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
