namespace MlNetBackprop.Network.Training;

/// <summary>The learning rate of the current epoch and the rule (<see cref="LearningRateSchedule"/>) that changes it.</summary>
internal sealed class LearningRateScheduler
{
    private readonly LearningRateSchedule _schedule;
    private readonly double _initial, _powerT;
    private readonly int _epochs;
    private int _epochsEnded;

    /// <summary>
    /// A schedule from <paramref name="initial"/>; resuming a run that had seen <paramref name="examplesSeen"/> examples,
    /// an inverse-scaling schedule goes on from them and an adaptive one from the rate <paramref name="resumeAt"/> it had
    /// reached (a constant one takes the rate it is given, which a continued run may have changed on purpose). A cosine-log
    /// schedule spans <paramref name="epochs"/> epochs.
    /// </summary>
    public LearningRateScheduler(LearningRateSchedule schedule, double initial, double powerT, long examplesSeen = 0, double? resumeAt = null,
        int epochs = 1)
    {
        (_schedule, _initial, _powerT, _epochs) = (schedule, initial, powerT, Math.Max(epochs, 1));
        Current = schedule switch
        {
            LearningRateSchedule.InverseScaling when examplesSeen > 0 => initial / Math.Pow(examplesSeen + 1, powerT),
            LearningRateSchedule.Adaptive => resumeAt ?? initial,
            LearningRateSchedule.CosineLog => CosineLog(0),
            _ => initial,
        };
    }

    /// <summary>The cosine-log rate in epoch <paramref name="epoch"/> (0-based), taken at its middle.</summary>
    private double CosineLog(int epoch)
    {
        double t = (epoch + 0.5) / _epochs;
        return _initial * (0.5 - 0.5 * Math.Cos(2 * Math.PI * Math.Log2(1 + 15 * t)));
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
        _epochsEnded++;
        if (_schedule == LearningRateSchedule.InverseScaling)
            Current = _initial / Math.Pow(examplesSeen + 1, _powerT);
        else if (_schedule == LearningRateSchedule.CosineLog)
            Current = CosineLog(_epochsEnded);
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
