using System.Numerics;

namespace MlNetBackprop.Network;

/// <summary>∂C/∂w and ∂C/∂b for every layer, laid out like the network's weights and biases.</summary>
internal sealed class Gradient<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates zero gradients shaped like <paramref name="network"/>.</summary>
    public Gradient(FeedForwardNetwork<T> network)
    {
        Weights = network.Weights.Select(w => new T[w.Length]).ToArray();
        Biases = network.Biases.Select(b => new T[b.Length]).ToArray();
    }

    /// <summary>Per layer, ∂C/∂w (n_out × n_in, row-major).</summary>
    public T[][] Weights { get; }

    /// <summary>Per layer, ∂C/∂b.</summary>
    public T[][] Biases { get; }
}
