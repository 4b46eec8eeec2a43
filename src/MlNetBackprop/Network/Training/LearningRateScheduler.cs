namespace MlNetBackprop.Network.Training;

/// <summary>The learning rate of the current epoch and the rule (<see cref="LearningRateSchedule"/>) that changes it.</summary>
internal sealed class LearningRateScheduler
{
    private readonly LearningRateSchedule _schedule;
    private readonly double _initial, _powerT;

    public LearningRateScheduler(LearningRateSchedule schedule, double initial, double powerT)
    {
        (_schedule, _initial, _powerT) = (schedule, initial, powerT);
        Current = initial;
    }

    /// <summary>Below this an adaptive schedule gives up, as scikit-learn's does.</summary>
    public const double Smallest = 1e-6;

    /// <summary>What an adaptive schedule divides η by at each stall, as scikit-learn's does.</summary>
    public const double AdaptiveDivisor = 5;

    /// <summary>The rate for the next mini-batches.</summary>
    public double Current { get; private set; }

    /// <summary>Called at the end of every epoch with the number of examples seen since training started.</summary>
    public void EpochEnded(long examplesSeen)
    {
        if (_schedule == LearningRateSchedule.InverseScaling)
            Current = _initial / Math.Pow(examplesSeen + 1, _powerT);
    }

    /// <summary>
    /// Called when the monitored cost has stalled. Returns true when training should stop: always for a schedule that is
    /// not adaptive, and for an adaptive one once η has fallen below <see cref="Smallest"/>; otherwise η is divided by 5.
    /// </summary>
    public bool Stalled()
    {
        if (_schedule != LearningRateSchedule.Adaptive || Current <= Smallest)
            return true;
        Current /= AdaptiveDivisor;
        return false;
    }
}
