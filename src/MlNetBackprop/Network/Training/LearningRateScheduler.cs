namespace MlNetBackprop.Network.Training;

/// <summary>The learning rate of the current epoch and the rule (<see cref="LearningRateSchedule"/>) that changes it.</summary>
internal sealed class LearningRateScheduler
{
    private readonly LearningRateSchedule _schedule;
    private readonly double _initial, _powerT;

    /// <summary>
    /// A schedule from <paramref name="initial"/>; resuming a run that had seen <paramref name="examplesSeen"/> examples,
    /// an inverse-scaling schedule goes on from them and an adaptive one from the rate <paramref name="resumeAt"/> it had
    /// reached (a constant one takes the rate it is given, which a continued run may have changed on purpose).
    /// </summary>
    public LearningRateScheduler(LearningRateSchedule schedule, double initial, double powerT, long examplesSeen = 0, double? resumeAt = null)
    {
        (_schedule, _initial, _powerT) = (schedule, initial, powerT);
        Current = schedule switch
        {
            LearningRateSchedule.InverseScaling when examplesSeen > 0 => initial / Math.Pow(examplesSeen + 1, powerT),
            LearningRateSchedule.Adaptive => resumeAt ?? initial,
            _ => initial,
        };
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
