using System.Runtime.CompilerServices;
using System.Numerics;
using MlNetBackprop.Network.Kernels;
using System.Numerics.Tensors;

namespace MlNetBackprop.Network.Activations;

/// <summary>
/// The softmax layer of Nielsen's chapter 3, row by row. Each output depends on every z of its row, so its derivative is
/// a Jacobian, ∂aⱼ/∂zₖ = aⱼ(1[j = k] − aₖ); with the log-likelihood cost it cancels into δᴸ = a − y and is never formed.
/// </summary>
internal sealed class Softmax<T> : Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override ActivationKind Kind => ActivationKind.Softmax;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Apply(ReadOnlySpan<T> z, Span<T> a, int width)
    {
        for (int start = 0; start < z.Length; start += width)
        {
            var zRow = z.Slice(start, width);
            var aRow = a.Slice(start, width);
            // Subtracting the row's maximum keeps e^z finite; the result is unchanged mathematically.
            ElementWise.Subtract(zRow, TensorPrimitives.Max(zRow), aRow);
            ElementWise.Exp(aRow, aRow);
            ElementWise.Divide(aRow, TensorPrimitives.Sum<T>(aRow), aRow);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void MultiplyByDerivative(ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> delta, int width)
    {
        // δⱼ = Σₖ gₖ·∂aₖ/∂zⱼ = aⱼ(gⱼ − Σₖ aₖgₖ), g = ∂C/∂a, for each row.
        for (int start = 0; start < delta.Length; start += width)
        {
            var aRow = a.Slice(start, width);
            var row = delta.Slice(start, width);
            T weighted = TensorPrimitives.Dot(aRow, row);
            ElementWise.Subtract(row, weighted, row);
            ElementWise.Multiply(row, aRow, row);
        }
    }
}
