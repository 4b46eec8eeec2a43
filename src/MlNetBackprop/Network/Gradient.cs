using System.Numerics;
using MlNetBackprop.Network.Kernels;
using MlNetBackprop.Network.Layers;

namespace MlNetBackprop.Network;

/// <summary>
/// ∂C/∂θ for every parameter block of every layer, laid out like the blocks (a dense layer: ∂C/∂w n_out × n_in
/// row-major, then ∂C/∂b). As a sink of <see cref="Backpropagation"/> it receives each layer's BP3 and BP4. Each block
/// starts on a cache line, as the weights do: BP4 stores into ∂C/∂w in vector panels, and a block that started mid-line
/// (wherever the allocator put an array) made every store straddle two lines.
/// </summary>
internal sealed class Gradient<T> : IGradientSink<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates zero gradients shaped like <paramref name="network"/>.</summary>
    public Gradient(FeedForwardNetwork<T> network)
    {
        Layers = network.Layers.Select(layer => layer.Parameters.Select(p => AlignedStorage.Allocate<T>(p.Length)).ToArray()).ToArray();
        Blocks = Layers.SelectMany(blocks => blocks).ToArray();
    }

    /// <summary>Per layer, per parameter block of that layer (in <see cref="Layer{T}.Parameters"/>' order), ∂C/∂θ.</summary>
    public Memory<T>[][] Layers { get; }

    /// <summary>Every block, in the order of <see cref="FeedForwardNetwork{T}.Parameters"/>.</summary>
    public Memory<T>[] Blocks { get; }

    /// <inheritdoc/>
    public void Accept(int index, Layer<T> layer, ReadOnlyMemory<T> scaledErrors, ReadOnlyMemory<T> input, int rows, ParallelGemm<T> products)
        => layer.ComputeGradient(scaledErrors, input, rows, Layers[index], products);
}
