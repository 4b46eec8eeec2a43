using System.Runtime.CompilerServices;
using System.Numerics;
using MlNetBackprop.Network.Kernels;

namespace MlNetBackprop.Network.Training;

/// <summary>
/// Mini-batches from a <see cref="TrainingSet{T}"/> in memory: a Fisher–Yates shuffle of the rows per epoch. With the
/// training loop's threads, a large dense batch is gathered in parts on all of them (the gather was a sixth of a
/// two-thread epoch at batch 128, on one thread); each row lands where it would on one thread.
/// </summary>
internal sealed class InMemoryBatches<T>(TrainingSet<T> data) : IBatchSource<T>, IParallelWork where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>A batch of fewer values than this is gathered on one thread: handing it over would cost more than it saves.</summary>
    private const int ParallelValues = 64 * 1024;

    private readonly int[] _order = Enumerable.Range(0, data.Rows).ToArray();
    private int _next;
    private ParallelRunner? _runner;
    private MiniBatch<T>? _batch;
    private int _start, _count;

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
        // Fisher–Yates of the rows in their stored order with the epoch's generator: an epoch's batches depend on that
        // generator alone, not on the epochs before, so that a run resumed at epoch k shuffles as an unbroken one.
        for (int i = 0; i < _order.Length; i++) _order[i] = i;
        for (int i = _order.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (_order[i], _order[j]) = (_order[j], _order[i]);
        }
        _next = 0;
    }

    public void UseThreads(ParallelRunner? runner) => _runner = runner;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void NextBatch(MiniBatch<T> batch)
    {
        int rows = Math.Min(batch.Capacity, _order.Length - _next);
        if (_runner is { Threads: > 1 } && !batch.IsSparse && (long)rows * data.InputSize >= ParallelValues)
        {
            batch.Rows = rows;
            (_batch, _start, _count) = (batch, _next, rows);
            try { _runner.Run(this); }
            finally { _batch = null; }
        }
        else
        {
            data.Gather(_order.AsSpan(_next, rows), batch);
        }
        _next += rows;
    }

    /// <inheritdoc/>
    public void Execute(int part, int parts)
        => data.GatherDense(_order.AsSpan(_start, _count), _batch!, part * _count / parts, (part + 1) * _count / parts);
}
