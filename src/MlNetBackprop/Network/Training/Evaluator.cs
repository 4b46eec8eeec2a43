using System.Runtime.CompilerServices;
using System.Numerics;
using MlNetBackprop.Network.Targets;

namespace MlNetBackprop.Network.Training;

/// <summary>
/// Feeds a whole example set forward in batches and measures its mean weighted cost and, for classification, its
/// accuracy (Nielsen's monitor_evaluation_cost, without the L2 term, and monitor_evaluation_accuracy). Buffers are
/// allocated once.
/// </summary>
internal sealed class Evaluator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TrainingSet<T> _data;
    private readonly int[] _rows;
    private readonly MiniBatch<T> _batch;

    public Evaluator(TrainingSet<T> data, int batchSize)
    {
        _data = data;
        int rows = Math.Max(1, Math.Min(batchSize, data.Rows));
        _rows = new int[rows];
        _batch = data.IsSparse
            ? MiniBatch<T>.Sparse(rows, data.InputSize, data.OutputSize, data.HasExampleScale, data.Encoding.Classifies)
            : new MiniBatch<T>(new T[rows * data.InputSize], rows, data.InputSize, data.OutputSize, data.HasExampleScale, data.Encoding.Classifies);
    }

    /// <summary>The number of rows fed forward at a time.</summary>
    public int BatchRows => _batch.Capacity;

    /// <summary>The mean weighted cost (without any L2 term) and the accuracy (null when not classifying).</summary>
    public (double Cost, double? Accuracy) Evaluate(FeedForwardNetwork<T> network, Workspace<T> workspace)
    {
        double cost = 0, weight = 0;
        long correct = 0;
        bool classifies = _data.Encoding.Classifies;
        for (int start = 0; start < _data.Rows; start += _batch.Capacity)
        {
            int rows = Math.Min(_batch.Capacity, _data.Rows - start);
            for (int i = 0; i < rows; i++) _rows[i] = start + i;
            _data.Gather(_rows.AsSpan(0, rows), _batch);
            cost += network.WeightedCost(_batch, workspace);
            if (!_batch.Weighted)
                weight += rows;
            else
                foreach (T s in _batch.ExampleScale) weight += double.CreateChecked(s);
            if (classifies)
                correct += CountCorrect(workspace, _batch);
        }
        return (cost / weight, classifies ? (double)correct / _data.Rows : null);
    }

    /// <summary>Each example's weighted cost sₓ·Cₓ, in the set's order: what a paired comparison of two networks needs.</summary>
    public double[] RowCosts(FeedForwardNetwork<T> network, Workspace<T> workspace)
    {
        var costs = new double[_data.Rows];
        for (int start = 0; start < _data.Rows; start += _batch.Capacity)
        {
            int rows = Math.Min(_batch.Capacity, _data.Rows - start);
            for (int i = 0; i < rows; i++) _rows[i] = start + i;
            _data.Gather(_rows.AsSpan(0, rows), _batch);
            network.FeedForward(_batch, workspace);
            network.WeightedCostOfOutput(workspace, _batch.Targets, _batch.ExampleScale, rows, costs.AsSpan(start, rows));
        }
        return costs;
    }

    /// <summary>How many of <paramref name="batch"/>, just fed forward, the network puts in their own class (see <see cref="OutputDecoding.PredictedClass{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static long CountCorrect(Workspace<T> workspace, MiniBatch<T> batch)
    {
        int rows = batch.Rows, width = batch.OutputSize;
        var classes = batch.Classes;
        var z = workspace.OutputWeightedInputs(rows);
        var a = workspace.Output(rows);
        long correct = 0;
        for (int r = 0; r < rows; r++)
        {
            var range = new Range(r * width, (r + 1) * width);
            if (OutputDecoding.PredictedClass<T>(z[range], a[range]) == classes[r])
                correct++;
        }
        return correct;
    }
}
