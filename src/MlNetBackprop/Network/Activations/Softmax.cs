using System.Numerics;
using System.Numerics.Tensors;

namespace MlNetBackprop.Network.Activations;

/// <summary>
/// The softmax layer of Nielsen's chapter 3, row by row. It is only ever paired with the log-likelihood cost,
/// whose output error a − y already contains the softmax's Jacobian, so no element-wise derivative exists.
/// </summary>
internal sealed class Softmax<T> : Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override ActivationKind Kind => ActivationKind.Softmax;

    public override void Apply(ReadOnlySpan<T> z, Span<T> a, int width)
    {
        for (int start = 0; start < z.Length; start += width)
        {
            var zRow = z.Slice(start, width);
            var aRow = a.Slice(start, width);
            // Subtracting the row's maximum keeps e^z finite; the result is unchanged mathematically.
            TensorPrimitives.Subtract(zRow, TensorPrimitives.Max(zRow), aRow);
            TensorPrimitives.Exp(aRow, aRow);
            TensorPrimitives.Divide(aRow, TensorPrimitives.Sum<T>(aRow), aRow);
        }
    }

    public override void MultiplyByDerivative(ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> delta)
        => throw new InvalidOperationException("Softmax has no element-wise derivative: pair it with the log-likelihood cost.");
}
