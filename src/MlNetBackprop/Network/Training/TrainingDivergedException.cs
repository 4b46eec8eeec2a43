namespace MlNetBackprop.Network.Training;

/// <summary>Thrown when the cost or the weights stop being finite numbers during training.</summary>
internal sealed class TrainingDivergedException : Exception
{
    private TrainingDivergedException(int epoch, string what)
        : base($"Training diverged in epoch {epoch}: {what}.")
        => (Epoch, What) = (epoch, what);

    /// <summary>A mini-batch's cost was not a finite number.</summary>
    public static TrainingDivergedException Cost(int epoch, double cost) => new(epoch, $"the cost of a mini-batch became {cost}");

    /// <summary>The parameters were no longer all finite at the end of an epoch.</summary>
    public static TrainingDivergedException Weights(int epoch) => new(epoch, "the weights are no longer all finite numbers");

    /// <summary>The 1-based epoch in which training diverged.</summary>
    public int Epoch { get; }

    /// <summary>What stopped being finite, as a phrase.</summary>
    public string What { get; }
}
