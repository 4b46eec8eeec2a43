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
    private NetworkLayout? _layout;
    private int _capacityRows;

    /// <summary>Creates buffers whose matrix products run on <paramref name="runner"/> (null: the calling thread only).</summary>
    public Workspace(ParallelRunner? runner = null) => Products = new ParallelGemm<T>(runner);

    /// <summary>The matrix products, split across threads where that pays.</summary>
    public ParallelGemm<T> Products { get; }

    /// <summary>Per weight layer l, the batch's weighted inputs Zˡ (rows × n_out).</summary>
    public Memory<T>[] WeightedInputs { get; private set; } = [];

    /// <summary>Per layer, the activations: entry 0 is a copy of the batch's inputs, entry l+1 is weight layer l's output.</summary>
    public Memory<T>[] Activations { get; private set; } = [];

    /// <summary>Per weight layer l, the errors δˡ = ∂Cₓ/∂zˡ of each example (rows × n_out): the book's δ.</summary>
    public Memory<T>[] Errors { get; private set; } = [];

    /// <summary>
    /// Per weight layer l, each example's δˡ multiplied by its share sₓ/m of the batch cost C = Σₓ sₓCₓ/m: what BP3 and BP4
    /// sum over the batch.
    /// </summary>
    public Memory<T>[] ScaledErrors { get; private set; } = [];

    /// <summary>With dropout, per layer the activations after their mask (entry l+1 for weight layer l); otherwise empty.</summary>
    public Memory<T>[] Dropped { get; private set; } = [];

    /// <summary>
    /// Where a batch of <paramref name="rows"/> inputs may be written before a forward pass, so that the pass need not
    /// copy it there (valid after <see cref="EnsureFits"/>).
    /// </summary>
    public Span<T> InputBuffer(int rows) => Activations[0].Span[..(rows * _layout!.InputSize)];

    /// <summary>What weight layer <paramref name="layer"/> reads: the input, or the layer below's (masked) activations.</summary>
    public Memory<T> InputOf(int layer, DropoutMasks<T>? dropout)
        => layer > 0 && dropout?.Masks[layer - 1] is not null ? Dropped[layer] : Activations[layer];

    /// <summary>The output layer's activations aᴸ for the last batch fed forward.</summary>
    public ReadOnlySpan<T> Output(int rows) => Activations[^1].Span[..(rows * _layout!.OutputSize)];

    /// <summary>The output layer's weighted inputs zᴸ for the last batch fed forward.</summary>
    public ReadOnlySpan<T> OutputWeightedInputs(int rows) => WeightedInputs[^1].Span[..(rows * _layout!.OutputSize)];

    /// <summary>Makes sure the masked-activation buffers exist (dropout training only).</summary>
    public void EnsureDropoutBuffers()
    {
        if (Dropped.Length == Activations.Length) return;
        Dropped = Activations.Select(a => AlignedStorage.Allocate<T>(a.Length)).ToArray();
    }

    /// <summary>Makes sure the buffers hold <paramref name="rows"/> examples of the network's shape.</summary>
    public void EnsureFits(FeedForwardNetwork<T> network, int rows)
    {
        var layout = network.Layout;
        if (rows <= _capacityRows && (ReferenceEquals(layout, _layout) || layout.Equals(_layout)))
            return;
        _capacityRows = Math.Max(rows, _capacityRows);
        _layout = layout;
        Dropped = [];
        var sizes = layout.Sizes;
        int layers = layout.LayerCount;
        WeightedInputs = new Memory<T>[layers];
        Errors = new Memory<T>[layers];
        ScaledErrors = new Memory<T>[layers];
        Activations = new Memory<T>[layers + 1];
        // Sparse input rows are read where the batch holds them; only dense input is copied here.
        Activations[0] = layout.SparseInput ? Memory<T>.Empty : AlignedStorage.Allocate<T>(_capacityRows * sizes[0]);
        for (int l = 0; l < layers; l++)
        {
            int length = _capacityRows * sizes[l + 1];
            WeightedInputs[l] = AlignedStorage.Allocate<T>(length);
            Errors[l] = AlignedStorage.Allocate<T>(length);
            ScaledErrors[l] = AlignedStorage.Allocate<T>(length);
            Activations[l + 1] = AlignedStorage.Allocate<T>(length);
        }
    }
}
