using System.Numerics;

namespace MlNetBackprop.Network.Optimizers;

/// <summary>
/// An update rule: moves every parameter block against its mini-batch gradient. The L2 term λ/(2n)·Σw² enters as its
/// gradient (λ/n)·w added to the gradient of every regularised block (the weights; biases are not regularised, as in
/// the book); for plain SGD that is exactly chapter 3's weight decay w → (1 − ηλ/n)·w − η·∂C/∂w. Any state (velocities,
/// moments) is allocated once, when the optimizer is created.
/// </summary>
internal abstract class Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>One step with learning rate <paramref name="eta"/> and L2 coefficient <paramref name="l2"/> = λ/n.</summary>
    public abstract void Step(FeedForwardNetwork<T> network, Gradient<T> gradient, T eta, T l2);

    /// <summary>A copy of the rule's state (velocities, moments and the step count), so that training can resume where it stopped.</summary>
    public virtual OptimizerState<T> Export() => OptimizerState<T>.None;

    /// <summary>Takes up <paramref name="state"/>, which <see cref="Export"/> of the same rule on a network of the same shape gave.</summary>
    public virtual void Import(OptimizerState<T> state)
    {
        if (state.Blocks.Length != 0)
            throw new ArgumentException($"The saved state has {state.Blocks.Length} blocks of an update rule with state; this rule ({GetType().Name}) has none.", nameof(state));
    }

    /// <summary>Copies <paramref name="blocks"/> into <paramref name="into"/>, checking that the shapes agree.</summary>
    protected static void CopyBlocks(ReadOnlySpan<T[]> blocks, Memory<T>[] into)
    {
        if (blocks.Length != into.Length)
            throw new ArgumentException($"The saved state has {blocks.Length} blocks where this network has {into.Length}.");
        for (int i = 0; i < into.Length; i++)
        {
            if (blocks[i].Length != into[i].Length)
                throw new ArgumentException($"The saved state's block {i} holds {blocks[i].Length} values where this network's holds {into[i].Length}.");
            blocks[i].CopyTo(into[i].Span);
        }
    }

    /// <summary>
    /// The rule the settings name, for <paramref name="network"/>'s shape. No default arm: a new <see cref="Solver"/>
    /// without its rule here fails to compile.
    /// </summary>
    public static Optimizer<T> Create(OptimizerSettings settings, FeedForwardNetwork<T> network) => settings.Solver switch
    {
        Solver.Sgd when settings.Momentum > 0 => new MomentumOptimizer<T>(network, settings.Momentum, settings.Nesterov),
        Solver.Sgd => new SgdOptimizer<T>(),
        Solver.Adam => new AdamOptimizer<T>(network, settings.Beta1, settings.Beta2, settings.Epsilon),
    };
}

/// <summary>The update rule and its hyper-parameters, as the trainer's options give them.</summary>
/// <param name="Solver">SGD (with momentum when <paramref name="Momentum"/> &gt; 0) or Adam.</param>
/// <param name="Momentum">SGD's momentum coefficient μ; 0 for Nielsen's plain rule.</param>
/// <param name="Nesterov">Nesterov's variant of momentum.</param>
/// <param name="Beta1">Adam's decay rate of the first moment.</param>
/// <param name="Beta2">Adam's decay rate of the second moment.</param>
/// <param name="Epsilon">Adam's ε.</param>
internal sealed record OptimizerSettings(Solver Solver, double Momentum, bool Nesterov, double Beta1, double Beta2, double Epsilon)
{
    /// <summary>Whether this is Nielsen's plain SGD, whose step can be taken inside the backward pass (see <see cref="FusedSgdStep{T}"/>).</summary>
    public bool IsPlainSgd => Solver == Solver.Sgd && Momentum == 0;

    /// <summary>
    /// How many blocks this rule's <see cref="OptimizerState{T}"/> holds for a network of <paramref name="parameterBlocks"/>
    /// parameter blocks (Adam: m and v; momentum: the velocities; plain SGD: none), so that a saved state can be matched
    /// to the rule before it is taken up.
    /// </summary>
    public int StateBlocks(int parameterBlocks) => Solver switch
    {
        Solver.Sgd when Momentum > 0 => parameterBlocks,
        Solver.Sgd => 0,
        Solver.Adam => 2 * parameterBlocks,
    };
}

/// <summary>What an update rule carries from step to step: its per-parameter blocks (velocities; Adam's m then v) and its step count.</summary>
internal sealed record OptimizerState<T>(int Steps, T[][] Blocks) where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The state of a rule that keeps none (plain SGD).</summary>
    public static OptimizerState<T> None { get; } = new(0, []);
}
