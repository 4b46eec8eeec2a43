using MlNetBackprop.Network.Optimizers;

namespace MlNetBackprop.Network.Training;

/// <summary>The hyper-parameters of mini-batch training, Nielsen's SGD() and what scikit-learn and Keras add to it.</summary>
internal sealed record SgdSettings
{
    /// <summary>Passes over the training data (at most, with early stopping).</summary>
    public int Epochs { get; init; } = 30;

    /// <summary>Examples per mini-batch (m).</summary>
    public int BatchSize { get; init; } = 10;

    /// <summary>The initial learning rate η.</summary>
    public double LearningRate { get; init; } = 0.5;

    /// <summary>The L2 regularisation parameter λ: the cost gains λ/(2n)·Σw².</summary>
    public double L2Regularization { get; init; }

    /// <summary>The update rule and its hyper-parameters.</summary>
    public OptimizerSettings Optimizer { get; init; } = new();

    /// <summary>How η changes.</summary>
    public ScheduleKind Schedule { get; init; } = ScheduleKind.Constant;

    /// <summary>The exponent of the inverse-scaling schedule.</summary>
    public double PowerT { get; init; } = 0.5;

    /// <summary>The probability of dropping a hidden neuron during training; 0 for none.</summary>
    public double Dropout { get; init; }

    /// <summary>Stop when the validation cost has not improved by <see cref="Tolerance"/> for <see cref="Patience"/> epochs.</summary>
    public bool EarlyStopping { get; init; }

    /// <summary>With early stopping, end with the weights of the epoch of lowest validation cost.</summary>
    public bool RestoreBestWeights { get; init; } = true;

    /// <summary>Epochs without improvement before the schedule or early stopping acts (scikit-learn's n_iter_no_change).</summary>
    public int Patience { get; init; } = 10;

    /// <summary>The improvement of the monitored cost that counts (scikit-learn's tol).</summary>
    public double Tolerance { get; init; } = 1e-4;

    /// <summary>Seeds the shuffles and the dropout masks.</summary>
    public int Seed { get; init; }

    /// <summary>Threads for the matrix products; the trained network is the same bits for any count.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>The number of the first epoch (greater than 1 when training continues an earlier run).</summary>
    public int FirstEpoch { get; init; } = 1;

    /// <summary>Stops training between mini-batches.</summary>
    public CancellationToken CancellationToken { get; init; }
}
