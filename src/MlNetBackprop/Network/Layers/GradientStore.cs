using System.Numerics;
using MlNetBackprop.Network.Kernels;

namespace MlNetBackprop.Network.Layers;

/// <summary>
/// Where a layer's BP3 and BP4 land as backpropagation forms them. Each parameter block gets a destination: its own
/// gradient (<see cref="Gradients"/>: ∂C/∂θ written out for an update rule to read), or its values, moved at once by
/// θ → β·θ + α·∂C/∂θ (plain SGD's step, <see cref="Optimizers.SgdStepStore{T}"/>). A layer writes its backward pass once,
/// against this class, and the same code serves both.
/// </summary>
internal abstract class GradientStore<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _rowSums = [];

    /// <summary>The store that writes every block's gradient into <see cref="Parameter{T}.Gradient"/>.</summary>
    public static GradientStore<T> Gradients { get; } = new GradientWriter();

    /// <summary>Where ∂C/∂θ of <paramref name="parameter"/> goes, and how it lands there.</summary>
    public abstract GradientDestination<T> Destination(Parameter<T> parameter);

    /// <summary>
    /// Lands the sum of a batch's rows (each as wide as <paramref name="parameter"/>), BP3's Σₓ (sₓ/m)·δ, as that
    /// parameter's ∂C/∂θ: written as its gradient, or added to its values as a step.
    /// </summary>
    public void LandRowSums(Parameter<T> parameter, ReadOnlySpan<T> batch, int rows)
    {
        var destination = Destination(parameter);
        int width = parameter.Length;
        if (destination.Update is not var (alpha, beta))
        {
            SumRows(batch, rows, width, destination.Memory.Span);
            return;
        }
        if (_rowSums.Length < width) _rowSums = new T[width];
        var sum = _rowSums.AsSpan(0, width);
        SumRows(batch, rows, width, sum);
        var values = destination.Memory.Span;
        if (beta != T.One) ElementWise.Multiply(values, beta, values);
        ElementWise.MultiplyAdd(sum, alpha, values, values);
    }

    /// <summary>
    /// Lands <paramref name="gradient"/>, ∂C/∂θ of <paramref name="parameter"/> computed whole by its layer (a small block:
    /// a diagonal layer's factors): written as its gradient, or added to its values as a step.
    /// </summary>
    public void Land(Parameter<T> parameter, ReadOnlySpan<T> gradient)
    {
        var destination = Destination(parameter);
        var values = destination.Memory.Span;
        if (destination.Update is not var (alpha, beta))
        {
            gradient.CopyTo(values);
            return;
        }
        if (beta != T.One) ElementWise.Multiply(values, beta, values);
        ElementWise.MultiplyAdd(gradient, alpha, values, values);
    }

    /// <summary>The sum of <paramref name="rows"/> rows of <paramref name="width"/> values into <paramref name="sum"/>.</summary>
    private static void SumRows(ReadOnlySpan<T> batch, int rows, int width, Span<T> sum)
    {
        sum.Clear();
        for (int r = 0; r < rows; r++)
            ElementWise.Add(sum, batch.Slice(r * width, width), sum);
    }

    private sealed class GradientWriter : GradientStore<T>
    {
        // A block changed by rows gets its rows' room from the layer, once it knows how many the batch reached.
        public override GradientDestination<T> Destination(Parameter<T> parameter)
            => new(parameter.RowWidth > 0 ? default : parameter.Gradient, null, parameter.Touched);
    }
}
