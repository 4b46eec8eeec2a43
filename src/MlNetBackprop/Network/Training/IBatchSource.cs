using System.Numerics;
using MlNetBackprop.Network.Kernels;

namespace MlNetBackprop.Network.Training;

/// <summary>
/// Where the training loop gets its shuffled mini-batches, one epoch at a time: from examples held in memory, or
/// streamed from storage through a bounded shuffle buffer when they do not fit.
/// </summary>
internal interface IBatchSource<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Examples per epoch.</summary>
    int Rows { get; }

    /// <summary>Values per input row.</summary>
    int InputSize { get; }

    /// <summary>Width of the target vector.</summary>
    int OutputSize { get; }

    /// <summary>Whether targets are classes (one-hot or one 0/1 output), so that accuracy applies.</summary>
    bool Classifies { get; }

    /// <summary>Whether examples carry weights (batches then carry them too).</summary>
    bool HasExampleScale { get; }

    /// <summary>Whether the inputs come as sparse rows (for a network whose first layer reads them) rather than dense ones.</summary>
    bool SparseInputs { get; }

    /// <summary>
    /// Offers the training loop's threads for filling batches (null when training ends); a source may ignore them. The
    /// batches must not depend on it.
    /// </summary>
    void UseThreads(ParallelRunner? runner)
    {
    }

    /// <summary>Starts an epoch; <paramref name="random"/> decides its order.</summary>
    void BeginEpoch(Random random);

    /// <summary>
    /// Fills <paramref name="batch"/> with up to its capacity of the epoch's next examples and sets its row count; 0 rows
    /// when the epoch is over.
    /// </summary>
    void NextBatch(MiniBatch<T> batch);
}
