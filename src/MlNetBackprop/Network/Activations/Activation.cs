using System.Numerics;

namespace MlNetBackprop.Network.Activations;

/// <summary>
/// An activation function σ applied to a layer's weighted inputs z, and the product with its derivative that BP1 and
/// BP2 need. A batch is laid out row after row, one example per row of <c>width</c> values.
/// </summary>
internal abstract class Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Which function this is.</summary>
    public abstract ActivationKind Kind { get; }

    /// <summary>a = σ(z).</summary>
    public abstract void Apply(ReadOnlySpan<T> z, Span<T> a, int width);

    /// <summary>
    /// Turns ∂C/∂a into δ = ∂C/∂z in place: δ ⊙= σ′(z) for an element-wise σ (the derivative is taken from z or from
    /// a = σ(z), whichever is cheaper; both are given), the Jacobian's product row by row for softmax.
    /// </summary>
    public abstract void MultiplyByDerivative(ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> delta, int width);

    /// <summary>
    /// The activation of the given kind. The switch has no default arm: a new <see cref="ActivationKind"/> without its
    /// class here fails to compile (CS8509).
    /// </summary>
    public static Activation<T> Create(ActivationKind kind) => kind switch
    {
        ActivationKind.Sigmoid => new Sigmoid<T>(),
        ActivationKind.Tanh => new Tanh<T>(),
        ActivationKind.Relu => new Relu<T>(),
        ActivationKind.Identity => new Identity<T>(),
        ActivationKind.Softmax => new Softmax<T>(),
        ActivationKind.LeakyRelu => new LeakyRelu<T>(),
        ActivationKind.Selu => new Selu<T>(),
        ActivationKind.Mish => new Mish<T>(),
        ActivationKind.SmoothClip => new SmoothClip<T>(),
    };
}
