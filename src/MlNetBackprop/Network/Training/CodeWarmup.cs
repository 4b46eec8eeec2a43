using System.Numerics;
using MlNetBackprop.Network.Inputs;
using MlNetBackprop.Network.Kernels;
using MlNetBackprop.Network.Layers;

namespace MlNetBackprop.Network.Training;

/// <summary>
/// Has the JIT compile the training code before training needs it, by running a few mini-batches of zeros through a
/// throwaway network of the same shape with the same settings. The trainer runs it on a second core while the main one
/// reads the data: compiling the kernels' generic instantiations took about 0.2 s of a cold <c>Fit</c>'s first epoch
/// (it was twice a steady epoch, and a third more even with tiered compilation switched off). The throwaway network
/// keeps the layer sizes, so that the products take the paths and thread splits training will take; only a sparse
/// input layer is made narrower, since its kernels do not depend on the input width.
/// </summary>
internal static class CodeWarmup
{
    /// <summary>A sparse input layer's width in the throwaway network: its kernels read only the rows the non-zeros pick.</summary>
    private const int SparseWidth = 64;

    /// <summary>
    /// A network of more parameters than this gets no warm-up: a copy of it would cost memory, and its epochs are long
    /// enough that compiling their code is a small part of them.
    /// </summary>
    public const long MostParameters = 4_000_000;

    /// <summary>
    /// Calls per method after which the runtime queues its optimised compilation (tiered compilation's call-count
    /// threshold is 30): the runtime's own methods the training calls (System.Numerics.Tensors' element-wise operations)
    /// start as unoptimised code, and only calls count.
    /// </summary>
    private const int Batches = 40;

    /// <summary>The warm-up stops after this long, whatever it has run, so that a large network does not pay for it twice.</summary>
    private static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(250);

    /// <summary>The most rows a warm-up batch has: enough for every kernel path and thread split, and little memory.</summary>
    private const int MostRows = 1024;

    /// <summary>
    /// Runs the warm-up: the work of up to <see cref="Batches"/> training steps and an evaluation, on zeros, with batches
    /// of the training's size (at most <paramref name="rows"/>, the data's, when it is known). It only saves time: it
    /// never fails, and it stops when <paramref name="cancellation"/> is cancelled.
    /// </summary>
    public static void Run<T>(NetworkLayout layout, SgdSettings settings, bool weighted, long? rows, CancellationToken cancellation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        try
        {
            Warm<T>(layout, settings, weighted, (int)long.Clamp(long.Min(settings.BatchSize, rows ?? MostRows), 1, MostRows), cancellation);
        }
        catch (Exception)
        {
            // Nothing depends on the warm-up; training itself reports whatever is wrong with the settings or data.
        }
    }

    private static void Warm<T>(NetworkLayout layout, SgdSettings settings, bool weighted, int rows, CancellationToken cancellation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shape = layout.SparseInput
            ? new NetworkLayout(layout.Layers.Skip(1).Prepend(layout.Layers[0] with { Inputs = int.Min(layout.InputSize, SparseWidth) }), layout.Cost)
            : layout;
        long parameters = shape.Layers.Sum(LayerKinds.StoredValues);
        if (parameters > MostParameters) return;
        var network = new FeedForwardNetwork<T>(shape);
        using var runner = settings.Threads > 1 ? new ParallelRunner(settings.Threads) : null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        stop.CancelAfter(Budget);
        var workspace = new Workspace<T>(runner);
        var data = new ZeroBatches<T>(shape, rows, Batches, weighted);
        var dropout = settings.Dropout > 0 ? new DropoutMasks<T>(shape, rows, settings.Dropout, new Random(0)) : null;
        var epoch = new EpochRun<T>(network, data, workspace, rows, dropout, settings with { L2Regularization = 1e-4, CancellationToken = stop.Token });
        data.BeginEpoch(new Random(0));
        try
        {
            epoch.Run(1, T.CreateChecked(settings.LearningRate), null);
        }
        catch (OperationCanceledException)
        {
            // The budget ran out (or the Fit was cancelled): what was compiled so far stays compiled.
        }
        // The validation pass's forward-only cost.
        var batch = MiniBatch<T>.For(shape, rows, weighted);
        batch.Rows = rows;
        network.WeightedCost(batch, workspace);
        network.ApplyDeferredDecay();
        network.IsFinite();
    }
}
