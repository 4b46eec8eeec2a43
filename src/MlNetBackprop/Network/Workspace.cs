using System.Numerics;
using MlNetBackprop.Network.Kernels;

namespace MlNetBackprop.Network;

/// <summary>
/// The buffers one forward and backward pass needs, sized once for the largest batch and reused for every
/// mini-batch, so that training allocates nothing per batch. Each starts on a cache line (see
/// <see cref="AlignedStorage"/>). Not shared between threads.
/// </summary>
internal sealed class Workspace<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private int _capacityRows;

    /// <summary>Creates buffers whose matrix products run on <paramref name="runner"/> (null: the calling thread only).</summary>
    public Workspace(ParallelRunner? runner = null) => Gemm = new ParallelGemm<T>(runner);

    /// <summary>The matrix products, split across threads where that pays.</summary>
    public ParallelGemm<T> Gemm { get; }
    private int[] _sizes = [];

    /// <summary>Per weight layer l, the batch's weighted inputs Zˡ (rows × n_out).</summary>
    public Memory<T>[] WeightedInputs { get; private set; } = [];

    /// <summary>Per layer, the activations: entry 0 is a copy of the batch's inputs, entry l+1 is weight layer l's output.</summary>
    public Memory<T>[] Activations { get; private set; } = [];

    /// <summary>Per weight layer l, the errors δˡ (rows × n_out).</summary>
    public Memory<T>[] Errors { get; private set; } = [];

    /// <summary>With dropout, per layer the activations after their mask (entry l+1 for weight layer l); otherwise empty.</summary>
    public Memory<T>[] Dropped { get; private set; } = [];

    /// <summary>
    /// Where a batch of <paramref name="rows"/> inputs may be written before a forward pass, so that the pass need not
    /// copy it there (valid after <see cref="EnsureFits"/>).
    /// </summary>
    public Span<T> InputBuffer(int rows) => Activations[0].Span[..(rows * _sizes[0])];

    /// <summary>What weight layer <paramref name="layer"/> reads: the input, or the layer below's (masked) activations.</summary>
    public Memory<T> InputOf(int layer, DropoutMasks<T>? dropout)
        => layer > 0 && dropout?.Masks[layer - 1] is not null ? Dropped[layer] : Activations[layer];

    /// <summary>Makes sure the masked-activation buffers exist (dropout training only).</summary>
    public void EnsureDropoutBuffers()
    {
        if (Dropped.Length == Activations.Length) return;
        Dropped = Activations.Select(a => AlignedStorage.Allocate<T>(a.Length)).ToArray();
    }

    /// <summary>Makes sure the buffers hold <paramref name="rows"/> examples of the network's shape.</summary>
    public void EnsureFits(FeedForwardNetwork<T> network, int rows)
    {
        var sizes = network.Layout.Sizes;
        if (rows <= _capacityRows && sizes.AsSpan().SequenceEqual(_sizes))
            return;
        _capacityRows = Math.Max(rows, _capacityRows);
        Dropped = [];
        _sizes = (int[])sizes.Clone();
        int layers = sizes.Length - 1;
        WeightedInputs = new Memory<T>[layers];
        Errors = new Memory<T>[layers];
        Activations = new Memory<T>[layers + 1];
        Activations[0] = AlignedStorage.Allocate<T>(_capacityRows * sizes[0]);
        for (int l = 0; l < layers; l++)
        {
            WeightedInputs[l] = AlignedStorage.Allocate<T>(_capacityRows * sizes[l + 1]);
            Errors[l] = AlignedStorage.Allocate<T>(_capacityRows * sizes[l + 1]);
            Activations[l + 1] = AlignedStorage.Allocate<T>(_capacityRows * sizes[l + 1]);
        }
    }
}
