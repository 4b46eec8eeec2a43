namespace MlNetBackprop.Network.Training;

/// <summary>How the learning rate changes during training.</summary>
internal enum ScheduleKind : byte
{
    /// <summary>η stays as given (Nielsen's SGD).</summary>
    Constant = 0,
    /// <summary>After each epoch η = η₀ / (t + 1)^power_t, t the number of examples seen so far (scikit-learn's "invscaling").</summary>
    InverseScaling = 1,
    /// <summary>η is divided by 5 each time the monitored cost stalls (scikit-learn's "adaptive").</summary>
    Adaptive = 2,
}

/// <summary>The learning rate of the current epoch and the rule that changes it.</summary>
internal sealed class LearningRateSchedule
{
    private readonly ScheduleKind _kind;
    private readonly double _initial, _powerT;

    public LearningRateSchedule(ScheduleKind kind, double initial, double powerT)
    {
        (_kind, _initial, _powerT) = (kind, initial, powerT);
        Current = initial;
    }

    /// <summary>Below this an adaptive schedule gives up, as scikit-learn's does.</summary>
    public const double Smallest = 1e-6;

    /// <summary>The rate for the next mini-batches.</summary>
    public double Current { get; private set; }

    /// <summary>Called at the end of every epoch with the number of examples seen since training started.</summary>
    public void EpochEnded(long examplesSeen)
    {
        if (_kind == ScheduleKind.InverseScaling)
            Current = _initial / Math.Pow(examplesSeen + 1, _powerT);
    }

    /// <summary>
    /// Called when the monitored cost has stalled. Returns true when training should stop: always for a schedule that is
    /// not adaptive, and for an adaptive one once η has fallen below <see cref="Smallest"/>; otherwise η is divided by 5.
    /// </summary>
    public bool Stalled()
    {
        if (_kind != ScheduleKind.Adaptive || Current <= Smallest)
            return true;
        Current /= 5;
        return false;
    }
}
