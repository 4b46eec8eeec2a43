using MlNetBackprop.Network.Optimizers;

namespace MlNetBackprop.Network.Training;

/// <summary>
/// The hyper-parameters of mini-batch training, Nielsen's SGD() and what scikit-learn and Keras add to it. Every member
/// is required: the defaults are the trainer's options', set in one place, and this record only carries them.
/// </summary>
internal sealed record SgdSettings
{
    /// <summary>Passes over the training data (at most, with early stopping).</summary>
    public required int Epochs { get; init; }

    /// <summary>Examples per mini-batch (m).</summary>
    public required int BatchSize { get; init; }

    /// <summary>The initial learning rate η.</summary>
    public required double LearningRate { get; init; }

    /// <summary>The L2 regularisation parameter λ: the cost gains λ/(2n)·Σw².</summary>
    public required double L2Regularization { get; init; }

    /// <summary>The update rule and its hyper-parameters.</summary>
    public required OptimizerSettings Optimizer { get; init; }

    /// <summary>How η changes.</summary>
    public required LearningRateSchedule Schedule { get; init; }

    /// <summary>The exponent of the inverse-scaling schedule.</summary>
    public required double PowerT { get; init; }

    /// <summary>The probability of dropping a hidden neuron during training; 0 for none.</summary>
    public required double Dropout { get; init; }

    /// <summary>Stop when the validation cost has stalled (see <see cref="StallMonitor"/>).</summary>
    public required bool EarlyStopping { get; init; }

    /// <summary>With early stopping, end with the weights of the epoch of lowest validation cost.</summary>
    public required bool RestoreBestWeights { get; init; }

    /// <summary>Epochs without improvement before the schedule or early stopping acts (scikit-learn's n_iter_no_change).</summary>
    public required int Patience { get; init; }

    /// <summary>The improvement of the monitored cost that counts (scikit-learn's tol).</summary>
    public required double Tolerance { get; init; }

    /// <summary>Seeds the shuffles and the dropout masks.</summary>
    public required int Seed { get; init; }

    /// <summary>Threads for the matrix products; the trained network is the same bits for any count.</summary>
    public required int Threads { get; init; }

    /// <summary>The number of the first epoch (greater than 1 when training continues an earlier run).</summary>
    public required int FirstEpoch { get; init; }

    /// <summary>Stops training between mini-batches.</summary>
    public CancellationToken CancellationToken { get; init; }
}
