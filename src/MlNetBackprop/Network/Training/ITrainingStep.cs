using System.Numerics;
using MlNetBackprop.Network.Optimizers;

namespace MlNetBackprop.Network.Training;

/// <summary>
/// What the training loop runs once per epoch: a pass of mini-batch steps (<see cref="EpochRun{T}"/>), or one iteration
/// of full-batch L-BFGS (<see cref="LbfgsStep{T}"/>). The loop around it (validation, early stopping, the best weights,
/// the history, the schedule) is the same for both.
/// </summary>
internal interface ITrainingStep<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Runs the step with learning rate <paramref name="eta"/> (mini-batch rules; L-BFGS chooses its own steps).</summary>
    StepResult Run(int epoch, T eta, Action<int, int, double>? onProgress);

    /// <summary>The rule's state now, its own arrays: take it when training has ended.</summary>
    OptimizerState<T> State();

    /// <summary>Takes up a resumed run's state.</summary>
    void Resume(OptimizerState<T> state);
}
