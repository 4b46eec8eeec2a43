using System.Numerics;

namespace MlNetBackprop.Network.Layers;

/// <summary>
/// One block of a layer's trainable numbers (a weight matrix or a bias vector) as optimizers, copies and storage see it.
/// </summary>
/// <param name="Values">The numbers, in the layer's layout.</param>
/// <param name="Regularized">Whether L2 weight decay applies: to weights, not to biases, as in the book.</param>
internal sealed record Parameter<T>(Memory<T> Values, bool Regularized) where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The number of values.</summary>
    public int Length => Values.Length;
}
