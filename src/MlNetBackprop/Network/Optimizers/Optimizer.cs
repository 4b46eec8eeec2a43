using System.Numerics;

namespace MlNetBackprop.Network.Optimizers;

/// <summary>The update rules the trainer knows.</summary>
internal enum OptimizerKind : byte
{
    /// <summary>Plain stochastic gradient descent: w → w − η·∇C (Nielsen's rule).</summary>
    Sgd = 0,
    /// <summary>SGD with (optionally Nesterov) momentum.</summary>
    Momentum = 1,
    /// <summary>Adam (Kingma &amp; Ba, 2015).</summary>
    Adam = 2,
}

/// <summary>
/// An update rule: moves the weights and biases against the mini-batch gradient. The L2 term λ/(2n)·Σw² enters as
/// its gradient (λ/n)·w added to every weight's gradient (biases are not regularised, as in the book); for plain SGD
/// that is exactly chapter 3's weight decay w → (1 − ηλ/n)·w − η·∂C/∂w. Any state (velocities, moments) is allocated
/// once, when the optimizer is created.
/// </summary>
internal abstract class Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>One step with learning rate <paramref name="eta"/> and L2 coefficient <paramref name="l2"/> = λ/n.</summary>
    public abstract void Step(FeedForwardNetwork<T> network, Gradient<T> gradient, T eta, T l2);

    /// <summary>The optimizer of the given kind for <paramref name="network"/>'s shape.</summary>
    public static Optimizer<T> Create(OptimizerSettings settings, FeedForwardNetwork<T> network) => settings.Kind switch
    {
        OptimizerKind.Sgd => new SgdOptimizer<T>(),
        OptimizerKind.Momentum => new MomentumOptimizer<T>(network, settings.Momentum, settings.Nesterov),
        OptimizerKind.Adam => new AdamOptimizer<T>(network, settings.Beta1, settings.Beta2, settings.Epsilon),
        _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Kind, "Unknown optimizer."),
    };
}

/// <summary>The optimizer's kind and hyper-parameters.</summary>
internal sealed record OptimizerSettings
{
    /// <summary>Which rule.</summary>
    public OptimizerKind Kind { get; init; } = OptimizerKind.Sgd;

    /// <summary>The momentum coefficient μ (Momentum only).</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>Nesterov's variant of momentum.</summary>
    public bool Nesterov { get; init; }

    /// <summary>Adam's decay rate of the first moment.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Adam's decay rate of the second moment.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Adam's ε.</summary>
    public double Epsilon { get; init; } = 1e-8;
}
