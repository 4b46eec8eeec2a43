using Microsoft.ML.Data;

namespace MlNetBackprop.MlNet.Scoring;

// The row types of the saved scoring chain. ML.NET's CustomMapping reads and writes their public members by
// reflection (the types themselves may stay internal: ML.NET creates its getters through reflection, which does not
// check the type's visibility), so they are plumbing, out of the public API.

/// <summary>Input of the mapping that adds the constant model key: it reads no column.</summary>
internal sealed class NoColumns
{
}

/// <summary>The constant key under which the saved network is looked up on every row.</summary>
internal sealed class ModelKey
{
    /// <summary>Always <see cref="Persistence.SavedRecords.NetworkKey"/>: the key of the lookup's network.</summary>
    [ColumnName(ScoringColumns.ModelKey)]
    public uint Key;
}

/// <summary>What the forward pass reads for one row: the features and the network's stored text.</summary>
internal sealed class ForwardInput
{
    /// <summary>The feature vector.</summary>
    [ColumnName(ScoringColumns.Features)]
    public VBuffer<float> Features;

    /// <summary>The network, as written by the trainer (the same string on every row).</summary>
    [ColumnName(ScoringColumns.Model)]
    public ReadOnlyMemory<char> Model;
}

/// <summary>Regression output: the predicted value.</summary>
internal sealed class RegressionOutput
{
    /// <summary>The prediction, in the label's own units.</summary>
    public float Score;
}

/// <summary>Binary classification output, as ML.NET's binary trainers name it.</summary>
internal sealed class BinaryOutput
{
    /// <summary>The raw score z of the output neuron (the logit).</summary>
    public float Score;

    /// <summary>σ(z): the probability of the positive class.</summary>
    public float Probability;

    /// <summary>Whether the score is positive (probability above one half).</summary>
    public bool PredictedLabel;
}
