using System.Runtime.CompilerServices;
using System.Numerics;
using MlNetBackprop.Network.Layers;

namespace MlNetBackprop.Network;

/// <summary>
/// Inverted dropout on the hidden layers: for each mini-batch every hidden neuron of every example is kept with
/// probability 1 − p and its activation scaled by 1/(1 − p), or dropped (0). The scaling keeps the expected input of the
/// next layer unchanged, so scoring uses the whole network as it is. Masks are drawn from a seeded generator, or set
/// by hand (a gradient check fixes them so that the cost is a fixed function of the weights).
/// </summary>
internal sealed class DropoutMasks<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Random _random;
    private readonly int[] _widths;

    /// <summary>Masks for up to <paramref name="rows"/> examples of <paramref name="layout"/>'s hidden layers.</summary>
    public DropoutMasks(NetworkLayout layout, int rows, double rate, Random random)
    {
        if (!(rate >= 0 && rate < 1)) throw new ArgumentOutOfRangeException(nameof(rate), rate, "The dropout rate must be in [0, 1).");
        Rate = rate;
        _random = random;
        // Entry l is the mask of layer l's output: the hidden layers' neurons; the output layer (last entry) and layers
        // without neurons (a standardization of the input) are never dropped.
        Masks = new T[layout.LayerCount][];
        _widths = layout.Sizes.Skip(1).ToArray();
        for (int l = 0; l < layout.LayerCount - 1; l++)
            if (LayerKinds.HasNeurons(layout.Layers[l].Kind))
                Masks[l] = new T[rows * _widths[l]];
    }

    /// <summary>The probability p of dropping a hidden neuron.</summary>
    public double Rate { get; }

    /// <summary>Per hidden layer l, the mask of its output (rows × n_out): 0 or 1/(1 − p); null for the others.</summary>
    public T[]?[] Masks { get; }

    /// <summary>Draws new masks for the first <paramref name="rows"/> examples.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Draw(int rows)
    {
        T keep = T.One / T.CreateChecked(1 - Rate);
        for (int l = 0; l < Masks.Length; l++)
        {
            if (Masks[l] is not { } mask) continue;
            var span = mask.AsSpan(0, rows * _widths[l]);
            for (int i = 0; i < span.Length; i++)
                span[i] = _random.NextDouble() < Rate ? T.Zero : keep;
        }
    }
}
