using System.Numerics;

namespace MlNetBackprop.Network.Activations;

/// <summary>The activation functions the network knows, by name (the ML.NET options map onto these).</summary>
internal enum ActivationKind : byte
{
    /// <summary>σ(z) = 1/(1+e⁻ᶻ), Nielsen's neuron.</summary>
    Sigmoid = 1,
    /// <summary>tanh(z).</summary>
    Tanh = 2,
    /// <summary>max(0, z).</summary>
    Relu = 3,
    /// <summary>z itself: the linear output unit of regression.</summary>
    Identity = 4,
    /// <summary>e^zⱼ / Σₖ e^zₖ over each row: the softmax output layer of chapter 3.</summary>
    Softmax = 5,
}

/// <summary>
/// An activation function σ applied to a layer's weighted inputs z, and its derivative σ′(z) as BP1 and BP2 use it.
/// </summary>
internal abstract class Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Which function this is.</summary>
    public abstract ActivationKind Kind { get; }

    /// <summary>a = σ(z), for a batch laid out row after row, <paramref name="width"/> values per row.</summary>
    public abstract void Apply(ReadOnlySpan<T> z, Span<T> a, int width);

    /// <summary>
    /// δ ⊙= σ′(z). The derivative is taken from z or from a = σ(z), whichever is cheaper; both are given.
    /// </summary>
    public abstract void MultiplyByDerivative(ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> delta);

    /// <summary>The activation of the given kind.</summary>
    public static Activation<T> Create(ActivationKind kind) => kind switch
    {
        ActivationKind.Sigmoid => new Sigmoid<T>(),
        ActivationKind.Tanh => new Tanh<T>(),
        ActivationKind.Relu => new Relu<T>(),
        ActivationKind.Identity => new Identity<T>(),
        ActivationKind.Softmax => new Softmax<T>(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown activation."),
    };
}
