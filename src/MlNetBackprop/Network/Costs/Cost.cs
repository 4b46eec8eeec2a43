using System.Numerics;
using MlNetBackprop.Network.Activations;

namespace MlNetBackprop.Network.Costs;

/// <summary>
/// A cost as Nielsen's network2.py has it: its value for one example, and the output error δᴸ it induces (BP1),
/// so that a new cost is a new small class. Each cost holds the output activation it is paired with.
/// </summary>
internal abstract class Cost<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// A cost over <paramref name="output"/>; a cost defined only over one kind of output layer names it as
    /// <paramref name="definedOver"/>, and any other output is refused with <see cref="ArgumentException"/>.
    /// </summary>
    protected Cost(Activation<T> output, ActivationKind? definedOver = null)
    {
        if (definedOver is ActivationKind required && output.Kind != required)
            throw new ArgumentException($"The {GetType().Name.Split('`')[0]} is defined over {required} outputs, not {output.Kind}.", nameof(output));
        Output = output;
    }

    /// <summary>Which cost this is.</summary>
    public abstract CostKind Kind { get; }

    /// <summary>The activation σ of the output layer.</summary>
    public Activation<T> Output { get; }

    /// <summary>The cost of one example with weighted input z, output a and target y.</summary>
    public abstract T Value(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> y);

    /// <summary>BP1: δᴸ = ∇ₐC ⊙ σ′(zᴸ), for a batch laid out row after row, <paramref name="width"/> outputs per row.</summary>
    public abstract void OutputError(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> y, Span<T> delta, int width);

    /// <summary>
    /// The cost of the given kind over the given output activation; throws <see cref="ArgumentException"/> for a pair
    /// the cost is not defined for. No default arm: a new <see cref="CostKind"/> without its class fails to compile.
    /// </summary>
    public static Cost<T> Create(CostKind kind, Activation<T> output) => kind switch
    {
        CostKind.Quadratic => new QuadraticCost<T>(output),
        CostKind.CrossEntropy => new CrossEntropyCost<T>(output),
        CostKind.LogLikelihood => new LogLikelihoodCost<T>(output),
    };

    /// <summary>
    /// A missing target (NaN: a multi-output row without that target's value) is left out of the cost: its output's error
    /// δ is 0, so that it teaches the network nothing, while the row's other targets teach it as usual. A cost over
    /// outputs that each have their own target calls this on its output error (before any Jacobian mixes them).
    /// </summary>
    protected static void LeaveOutMissingTargets(ReadOnlySpan<T> y, Span<T> delta)
    {
        for (int i = 0; i < y.Length; i++)
            if (T.IsNaN(y[i])) delta[i] = T.Zero;
    }

    /// <summary>ln(1 + eˣ) without overflow for large x.</summary>
    protected static T Softplus(T x) => x > T.Zero ? x + T.Log(T.One + T.Exp(-x)) : T.Log(T.One + T.Exp(x));
}
