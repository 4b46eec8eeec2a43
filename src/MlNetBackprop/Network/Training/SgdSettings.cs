namespace MlNetBackprop.Network.Training;

/// <summary>The hyper-parameters of mini-batch stochastic gradient descent, as in Nielsen's SGD().</summary>
internal sealed record SgdSettings
{
    /// <summary>Passes over the training data.</summary>
    public int Epochs { get; init; } = 30;

    /// <summary>Examples per mini-batch (m).</summary>
    public int BatchSize { get; init; } = 10;

    /// <summary>The learning rate η.</summary>
    public double LearningRate { get; init; } = 0.5;

    /// <summary>The L2 regularisation parameter λ: the cost gains λ/(2n)·Σw².</summary>
    public double L2Regularization { get; init; }

    /// <summary>Seeds the weight initialisation and the shuffles.</summary>
    public int Seed { get; init; }

    /// <summary>Threads for the matrix products; the trained network is the same bits for any count.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Stops training between mini-batches.</summary>
    public CancellationToken CancellationToken { get; init; }
}
