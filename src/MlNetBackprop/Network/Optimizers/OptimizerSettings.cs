namespace MlNetBackprop.Network.Optimizers;

/// <summary>The update rule and its hyper-parameters, as the trainer's options give them.</summary>
/// <param name="Solver">SGD (with momentum when <paramref name="Momentum"/> &gt; 0) or Adam.</param>
/// <param name="Momentum">SGD's momentum coefficient μ; 0 for Nielsen's plain rule.</param>
/// <param name="Nesterov">Nesterov's variant of momentum.</param>
/// <param name="Beta1">Adam's decay rate of the first moment.</param>
/// <param name="Beta2">Adam's decay rate of the second moment.</param>
/// <param name="Epsilon">Adam's ε.</param>
/// <param name="History">L-BFGS: the pairs of steps and gradient changes kept.</param>
/// <param name="MaxEvaluations">L-BFGS: the most passes over the data (function evaluations) a run takes.</param>
internal sealed record OptimizerSettings(Solver Solver, double Momentum, bool Nesterov, double Beta1, double Beta2, double Epsilon,
    int History = 10, int MaxEvaluations = 15000)
{
    /// <summary>
    /// How many blocks this rule's <see cref="OptimizerState{T}"/> holds for a network of <paramref name="parameterBlocks"/>
    /// parameter blocks (Adam: m and v; momentum: the velocities; plain SGD and L-BFGS: none), so that a saved state can be matched
    /// to the rule before it is taken up.
    /// </summary>
    public int StateBlocks(int parameterBlocks) => Solver switch
    {
        Solver.Sgd when Momentum > 0 => parameterBlocks,
        Solver.Sgd => 0,
        Solver.Adam => 2 * parameterBlocks,
        Solver.Lbfgs => 0,
    };
}
