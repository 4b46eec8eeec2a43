using MlNetBackprop.Network.Optimizers;

namespace MlNetBackprop.Network.Training;

/// <summary>
/// The hyper-parameters of mini-batch training, Nielsen's SGD() and what scikit-learn and Keras add to it. There are no
/// defaults here: they are the trainer's options', translated in one place (<c>TrainingPlan.SettingsFrom</c>).
/// </summary>
/// <param name="Epochs">Passes over the training data (at most, with early stopping).</param>
/// <param name="BatchSize">Examples per mini-batch (m).</param>
/// <param name="LearningRate">The initial learning rate η.</param>
/// <param name="L2Regularization">The L2 regularisation parameter λ: the cost gains λ/(2n)·Σw².</param>
/// <param name="Optimizer">The update rule and its hyper-parameters.</param>
/// <param name="Schedule">How η changes.</param>
/// <param name="PowerT">The exponent of the inverse-scaling schedule.</param>
/// <param name="Dropout">The probability of dropping a hidden neuron during training; 0 for none.</param>
/// <param name="EarlyStopping">Stop when the validation cost has stalled (see <see cref="StallMonitor"/>).</param>
/// <param name="StopWhenTrainingStalls">Without early stopping, stop when the training cost has stalled (scikit-learn's rule).</param>
/// <param name="RestoreBestWeights">With early stopping, end with the weights of the epoch of lowest validation cost.</param>
/// <param name="Patience">Epochs without improvement before the schedule or early stopping acts (scikit-learn's n_iter_no_change).</param>
/// <param name="Tolerance">The improvement of the monitored cost that counts (scikit-learn's tol).</param>
/// <param name="Seed">Seeds the shuffles and the dropout masks.</param>
/// <param name="Threads">Threads for the matrix products; the trained network is the same bits for any count.</param>
/// <param name="FirstEpoch">The number of the first epoch (greater than 1 when training continues an earlier run).</param>
/// <param name="CancellationToken">Stops training between mini-batches.</param>
internal sealed record SgdSettings(
    int Epochs, int BatchSize, double LearningRate, double L2Regularization, OptimizerSettings Optimizer,
    LearningRateSchedule Schedule, double PowerT, double Dropout,
    bool EarlyStopping, bool StopWhenTrainingStalls, bool RestoreBestWeights, int Patience, double Tolerance,
    int Seed, int Threads, int FirstEpoch, CancellationToken CancellationToken);
