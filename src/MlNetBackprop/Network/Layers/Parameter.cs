using System.Numerics;

namespace MlNetBackprop.Network.Layers;

/// <summary>
/// One block of a layer's trainable numbers (a weight matrix or a bias vector) as optimizers, copies and storage see it.
/// </summary>
/// <param name="Values">The numbers, in the layer's layout.</param>
/// <param name="Regularized">Whether L2 weight decay applies: to weights, not to biases, as in the book.</param>
/// <param name="RowWidth">
/// 0 for a block that every mini-batch changes as a whole; otherwise the block is rows of this many values of which a
/// batch changes only some (a sparse input layer's weights: one row per input column, changed where the batch has a
/// non-zero), and its gradient lists the rows it covers (see <see cref="TouchedRows"/>).
/// </param>
internal sealed record Parameter<T>(Memory<T> Values, bool Regularized, int RowWidth = 0) where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The number of values.</summary>
    public int Length => Values.Length;
}
