using System.Runtime.CompilerServices;
using System.Numerics;

namespace MlNetBackprop.Network.Training;

/// <summary>Mini-batches from a <see cref="TrainingSet{T}"/> in memory: a Fisher–Yates shuffle of the rows per epoch.</summary>
internal sealed class InMemoryBatches<T>(TrainingSet<T> data) : IBatchSource<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int[] _order = Enumerable.Range(0, data.Rows).ToArray();
    private int _next;

    /// <summary>The examples.</summary>
    public TrainingSet<T> Data => data;

    public int Rows => data.Rows;
    public int InputSize => data.InputSize;
    public int OutputSize => data.OutputSize;
    public bool Classifies => data.Encoding.Classifies;
    public bool HasExampleScale => data.HasExampleScale;
    public bool SparseInputs => data.IsSparse;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void BeginEpoch(Random random)
    {
        // Fisher–Yates with the seeded generator: the same seed gives the same batches.
        for (int i = _order.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (_order[i], _order[j]) = (_order[j], _order[i]);
        }
        _next = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void NextBatch(MiniBatch<T> batch)
    {
        int rows = Math.Min(batch.Capacity, _order.Length - _next);
        data.Gather(_order.AsSpan(_next, rows), batch);
        _next += rows;
    }
}
