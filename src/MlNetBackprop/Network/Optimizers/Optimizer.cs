using System.Numerics;
using MlNetBackprop.Network.Layers;

namespace MlNetBackprop.Network.Optimizers;

/// <summary>
/// An update rule: moves every parameter block against its mini-batch gradient, at the run's learning rate η times the
/// block's <see cref="Parameter{T}.LearningRateFactor"/>. The L2 term λ/(2n)·Σw² enters as its gradient (λ/n)·w added to
/// the gradient of every block that decays (the weights; biases are not regularised, as in the book); for plain SGD that
/// is exactly chapter 3's weight decay w → (1 − ηλ/n)·w − η·∂C/∂w. A step is <see cref="Prepare"/>, backpropagation into
/// <see cref="Store"/>, then <see cref="Step"/>. Any state (velocities, moments) is allocated once, when the rule is made.
/// </summary>
internal abstract class Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    protected Optimizer(FeedForwardNetwork<T> network) => Parameters = network.Parameters;

    /// <summary>The blocks the rule moves.</summary>
    protected IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>The learning rate and L2 coefficient of the step being taken (see <see cref="Prepare"/>).</summary>
    protected T Eta { get; private set; }

    /// <summary>The L2 coefficient λ/n of the step being taken.</summary>
    protected T L2 { get; private set; }

    /// <summary>Where backpropagation lands BP3 and BP4 for this rule: the gradients, unless the rule steps while they are formed.</summary>
    public virtual GradientStore<T> Store => GradientStore<T>.Gradients;

    /// <summary>Sets the learning rate <paramref name="eta"/> and the L2 coefficient <paramref name="l2"/> = λ/n of the next step, before its backpropagation.</summary>
    public virtual void Prepare(T eta, T l2) => (Eta, L2) = (eta, l2);

    /// <summary>Moves the parameters by the gradients the last backpropagation wrote (nothing for a rule that stepped already).</summary>
    public abstract void Step();

    /// <summary>
    /// The rule's state now (velocities, moments and the step count), so that training can resume where it stopped. The
    /// blocks are the rule's own arrays, not copies: take it when training has ended.
    /// </summary>
    public virtual OptimizerState<T> Export() => OptimizerState<T>.None;

    /// <summary>Takes up <paramref name="state"/>, which <see cref="Export"/> of the same rule on a network of the same shape gave.</summary>
    public virtual void Import(OptimizerState<T> state)
    {
        if (state.Blocks.Length != 0)
            throw new ArgumentException($"The saved state has {state.Blocks.Length} blocks of an update rule with state; this rule ({GetType().Name}) has none.", nameof(state));
    }

    /// <summary>η times <paramref name="parameter"/>'s factor.</summary>
    protected T RateOf(Parameter<T> parameter) => parameter.LearningRateFactor == 1 ? Eta : Eta * T.CreateChecked(parameter.LearningRateFactor);

    /// <summary>The L2 coefficient for <paramref name="parameter"/>: λ/n where it decays, 0 elsewhere.</summary>
    protected T L2Of(Parameter<T> parameter) => parameter.Decays ? L2 : T.Zero;

    /// <summary>Copies <paramref name="blocks"/> into <paramref name="into"/>, checking that the shapes agree.</summary>
    protected static void CopyBlocks(ReadOnlySpan<Memory<T>> blocks, Memory<T>[] into)
    {
        if (blocks.Length != into.Length)
            throw new ArgumentException($"The saved state has {blocks.Length} blocks where this network has {into.Length}.");
        for (int i = 0; i < into.Length; i++)
        {
            if (blocks[i].Length != into[i].Length)
                throw new ArgumentException($"The saved state's block {i} holds {blocks[i].Length} values where this network's holds {into[i].Length}.");
            blocks[i].Span.CopyTo(into[i].Span);
        }
    }

    /// <summary>
    /// The rule the settings name, for <paramref name="network"/>'s blocks. No default arm: a new <see cref="Solver"/>
    /// without its rule here fails to compile.
    /// </summary>
    public static Optimizer<T> Create(OptimizerSettings settings, FeedForwardNetwork<T> network) => settings.Solver switch
    {
        Solver.Sgd when settings.Momentum > 0 => new MomentumOptimizer<T>(network, settings.Momentum, settings.Nesterov),
        Solver.Sgd => new SgdOptimizer<T>(network),
        Solver.Adam => new AdamOptimizer<T>(network, settings.Beta1, settings.Beta2, settings.Epsilon),
        Solver.Lbfgs => throw new ArgumentException("L-BFGS is a full-batch rule, not a mini-batch one: the training loop runs it as LbfgsStep.", nameof(settings)),
    };
}
