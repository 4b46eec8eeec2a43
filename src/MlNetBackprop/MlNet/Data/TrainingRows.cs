using MlNetBackprop.Network.Inputs;
using MlNetBackprop.Network.Targets;
using MlNetBackprop.Network.Training;

namespace MlNetBackprop.MlNet.Data;

/// <summary>
/// Training rows read into memory: the inputs (a dense matrix, or sparse rows), each row's label and weight, and what
/// the labels add up to.
/// </summary>
internal sealed record TrainingRows(float[]? Dense, SparseRows<float>? Sparse, int Rows, TrainingLabels Labels, float[]? Weights, LabelStatistics Statistics,
    RowTally Tally)
{
    /// <summary>The rows as the engine's training set, with targets by <paramref name="encoding"/> and weights <paramref name="scale"/>.</summary>
    public TrainingSet<float> ToSet(int inputSize, TargetEncoding encoding, float[]? scale) => Sparse is not null
        ? new TrainingSet<float>(Sparse, Labels, encoding, scale)
        : new TrainingSet<float>(Dense!, Rows, inputSize, Labels, encoding, scale);
}
