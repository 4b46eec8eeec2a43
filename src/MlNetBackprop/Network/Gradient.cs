using System.Numerics;
using MlNetBackprop.Network.Kernels;
using MlNetBackprop.Network.Layers;

namespace MlNetBackprop.Network;

/// <summary>
/// ∂C/∂θ for every parameter block of every layer, laid out like the blocks (a dense layer: ∂C/∂w n_out × n_in
/// row-major, then ∂C/∂b). As a sink of <see cref="Backpropagation"/> it receives each layer's BP3 and BP4. Each block
/// starts on a cache line, as the weights do: BP4 stores into ∂C/∂w in vector panels, and a block that started mid-line
/// (wherever the allocator put an array) made every store straddle two lines. A block changed by rows
/// (<see cref="Parameter{T}.RowWidth"/>) also lists the rows the last batch reached; its other rows are zero.
/// </summary>
internal sealed class Gradient<T> : IGradientSink<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates zero gradients shaped like <paramref name="network"/>.</summary>
    public Gradient(FeedForwardNetwork<T> network)
    {
        Layers = network.Layers.Select(layer => layer.Parameters.Select(p => AlignedStorage.Allocate<T>(p.Length)).ToArray()).ToArray();
        Touched = network.Layers.Select(layer => layer.Parameters
            .Select(p => p.RowWidth > 0 ? new TouchedRows(p.Length / p.RowWidth, p.RowWidth) : null).ToArray()).ToArray();
        Blocks = Layers.SelectMany(blocks => blocks).ToArray();
        TouchedBlocks = Touched.SelectMany(blocks => blocks).ToArray();
    }

    /// <summary>Per layer, per parameter block of that layer (in <see cref="Layer{T}.Parameters"/>' order), ∂C/∂θ.</summary>
    public Memory<T>[][] Layers { get; }

    /// <summary>Per layer, per block: the rows the last batch reached, for blocks changed by rows; null for the others.</summary>
    public TouchedRows?[][] Touched { get; }

    /// <summary>Every block, in the order of <see cref="FeedForwardNetwork{T}.Parameters"/>.</summary>
    public Memory<T>[] Blocks { get; }

    /// <summary>For every block in <see cref="Blocks"/>' order, its touched rows or null.</summary>
    public TouchedRows?[] TouchedBlocks { get; }

    /// <inheritdoc/>
    public void Accept(int index, Layer<T> layer, ReadOnlyMemory<T> scaledErrors, LayerInput<T> input, int rows, ParallelGemm<T> products)
        => layer.ComputeGradient(scaledErrors, input, rows, Layers[index], Touched[index], products);
}
