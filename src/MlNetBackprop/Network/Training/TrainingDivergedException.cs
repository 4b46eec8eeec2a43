namespace MlNetBackprop.Network.Training;

/// <summary>Thrown when the cost or the weights stop being finite numbers during training.</summary>
internal sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for the epoch where it happened.</summary>
    public TrainingDivergedException(int epoch, double loss)
        : base($"Training diverged in epoch {epoch}: the cost became {loss} and the weights are no longer finite numbers.")
    {
        Epoch = epoch;
    }

    /// <summary>The 1-based epoch in which training diverged.</summary>
    public int Epoch { get; }
}
