using System.Numerics;
using MlNetBackprop.Network.Optimizers;

namespace MlNetBackprop.Network.Training;

/// <summary>
/// One epoch's mini-batches, as Nielsen's SGD() runs them: for each batch, forward, backpropagate and let the update rule
/// move the weights; and the buffers, the rule and the dropout masks they share, allocated once. The training loop runs
/// an epoch with it, and so does the code warm-up, which must run the very same code.
/// </summary>
internal sealed class EpochRun<T> : ITrainingStep<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>How many progress reports an epoch gives at most, for a progress bar's resolution.</summary>
    private const int ProgressReportsPerEpoch = 100;

    private readonly FeedForwardNetwork<T> _network;
    private readonly IBatchSource<T> _data;
    private readonly Workspace<T> _workspace;
    private readonly int _progressEvery;
    private readonly MiniBatch<T> _batch;
    private readonly DropoutMasks<T>? _dropout;
    private readonly Optimizer<T> _optimizer;
    private readonly T _l2;
    private readonly CancellationToken _cancellation;

    public EpochRun(FeedForwardNetwork<T> network, IBatchSource<T> data, Workspace<T> workspace, int batchSize, DropoutMasks<T>? dropout,
        SgdSettings settings)
    {
        (_network, _data, _workspace, _dropout, _cancellation) = (network, data, workspace, dropout, settings.CancellationToken);
        workspace.EnsureFits(network, batchSize);
        // Batches are gathered straight into the workspace's input rows, which spares the forward pass a copy.
        _batch = data.SparseInputs
            ? MiniBatch<T>.Sparse(batchSize, data.InputSize, data.OutputSize, data.HasExampleScale, data.Classifies)
            : new MiniBatch<T>(workspace.Activations[0], batchSize, data.InputSize, data.OutputSize, data.HasExampleScale, data.Classifies);
        if (dropout is not null) workspace.EnsureDropoutBuffers();
        _optimizer = Optimizer<T>.Create(settings.Optimizer, network);
        _l2 = T.CreateChecked(settings.L2Regularization / data.Rows);
        _progressEvery = Math.Max(1, (data.Rows + batchSize - 1) / batchSize / ProgressReportsPerEpoch);
    }

    /// <summary>Takes up a resumed run's update-rule state (none for plain SGD).</summary>
    public void Resume(OptimizerState<T> state) => _optimizer.Import(state);

    /// <summary>The update rule's state now: its own arrays, which the run no longer changes once it has ended.</summary>
    public OptimizerState<T> State() => _optimizer.Export();

    /// <summary>Runs the epoch's batches with learning rate <paramref name="eta"/>: Σₓ sₓCₓ and the examples classified right.</summary>
    public StepResult Run(int epoch, T eta, Action<int, int, double>? onProgress)
    {
        _optimizer.Prepare(eta, _l2);
        var store = _optimizer.Store;
        double costSum = 0;
        long correct = 0;
        int done = 0;
        for (int batch = 1; ; batch++)
        {
            _cancellation.ThrowIfCancellationRequested();
            _data.NextBatch(_batch);
            int rows = _batch.Rows;
            if (rows == 0) break;
            _dropout?.Draw(rows);
            double batchCost = Backpropagation.Run(_network, _batch, _workspace, store, _dropout);
            if (!double.IsFinite(batchCost))
                throw TrainingDivergedException.Cost(epoch, batchCost);
            costSum += batchCost;
            if (_data.Classifies)
                correct += Evaluator<T>.CountCorrect(_workspace, _batch);
            _optimizer.Step();
            done += rows;
            if (onProgress is not null && (batch % _progressEvery == 0 || done == _data.Rows))
                onProgress(epoch, done, costSum / done);
        }
        if (done != _data.Rows)
            throw new InvalidOperationException($"The epoch delivered {done} examples where {_data.Rows} were expected: the data changed while training.");
        return new StepResult(costSum, correct, Converged: false);
    }
}
