using System.Numerics;
using System.Numerics.Tensors;

namespace MlNetBackprop.Network.Training;

/// <summary>
/// Feeds a whole example set forward in batches and measures its mean weighted cost and, for classification, its
/// accuracy: Nielsen's monitor_evaluation_cost and monitor_evaluation_accuracy. Buffers are allocated once.
/// </summary>
internal sealed class Evaluator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TrainingSet<T> _data;
    private readonly int _batch;
    private readonly int[] _rows;
    private readonly T[] _inputs, _targets, _scale;

    public Evaluator(TrainingSet<T> data, int batchSize)
    {
        _data = data;
        _batch = Math.Max(1, Math.Min(batchSize, data.Rows));
        _rows = new int[_batch];
        _inputs = new T[_batch * data.InputSize];
        _targets = new T[_batch * data.OutputSize];
        _scale = new T[_batch];
    }

    /// <summary>The mean weighted cost (without any L2 term) and the accuracy (null when not classifying).</summary>
    public (double Cost, double? Accuracy) Evaluate(FeedForwardNetwork<T> network, Workspace<T> workspace, bool classifies)
    {
        double cost = 0, weight = 0;
        long correct = 0;
        int width = _data.OutputSize;
        for (int start = 0; start < _data.Rows; start += _batch)
        {
            int rows = Math.Min(_batch, _data.Rows - start);
            for (int i = 0; i < rows; i++) _rows[i] = start + i;
            _data.Gather(_rows.AsSpan(0, rows), _inputs, _targets, _scale);
            var scale = _data.ExampleScale is null ? ReadOnlySpan<T>.Empty : _scale.AsSpan(0, rows);
            cost += network.WeightedCost(_inputs, _targets, scale, rows, workspace);
            if (_data.ExampleScale is null)
                weight += rows;
            else
                foreach (T s in scale) weight += double.CreateChecked(s);
            var a = workspace.Activations[network.LayerCount].Span;
            if (classifies)
                correct += CountCorrect(a, _targets, rows, width);
        }
        return (cost / weight, classifies ? (double)correct / _data.Rows : null);
    }

    /// <summary>How many of the batch's rows the outputs classify as their targets do (argmax, or 0.5 for one output).</summary>
    public static long CountCorrect(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, int rows, int width)
    {
        long correct = 0;
        T half = T.CreateChecked(0.5);
        for (int r = 0; r < rows; r++)
        {
            var a = outputs.Slice(r * width, width);
            var y = targets.Slice(r * width, width);
            if (width == 1)
                correct += (a[0] > half) == (y[0] > half) ? 1 : 0;
            else
                correct += TensorPrimitives.IndexOfMax<T>(a) == TensorPrimitives.IndexOfMax<T>(y) ? 1 : 0;
        }
        return correct;
    }
}
