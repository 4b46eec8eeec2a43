using System.Numerics;
using MlNetBackprop.Network.Kernels;

namespace MlNetBackprop.Network.Layers;

/// <summary>
/// One block of a layer's trainable numbers (a weight matrix, a bias vector, a per-feature scale) with its gradient
/// ∂C/∂θ beside it, as PyTorch's parameters carry <c>.grad</c>: backpropagation writes the gradient here, and an update
/// rule reads it here. Each block also carries the settings of its group: how its learning rate relates to the run's
/// (<see cref="LearningRateFactor"/>) and whether L2 weight decay reaches it (<see cref="Decays"/>).
/// </summary>
internal sealed class Parameter<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private Memory<T> _gradient;
    private TouchedRows? _touched;

    /// <summary>A block over <paramref name="values"/> (which the layer owns), of the given role.</summary>
    /// <param name="values">The numbers, in the layer's layout.</param>
    /// <param name="role">What the block is to its layer; weights decay under L2, biases and scales do not (as in the book).</param>
    /// <param name="rowWidth">
    /// 0 for a block that every mini-batch changes as a whole; otherwise the block is rows of this many values of which a
    /// batch changes only some (a sparse input layer's weights: one row per input column, changed where the batch has a
    /// non-zero), and its gradient lists the rows it covers (<see cref="Touched"/>).
    /// </param>
    public Parameter(Memory<T> values, ParameterRole role, int rowWidth = 0)
    {
        if (rowWidth < 0 || (rowWidth > 0 && values.Length % rowWidth != 0))
            throw new ArgumentOutOfRangeException(nameof(rowWidth), rowWidth, $"A block of {values.Length} values cannot be rows of {rowWidth}.");
        (Values, Role, RowWidth, Decays) = (values, role, rowWidth, role == ParameterRole.Weights);
    }

    /// <summary>The numbers, in the layer's layout.</summary>
    public Memory<T> Values { get; }

    /// <summary>What the block is to its layer.</summary>
    public ParameterRole Role { get; }

    /// <summary>0, or the width of the rows a mini-batch changes one by one (see the constructor).</summary>
    public int RowWidth { get; }

    /// <summary>The number of values.</summary>
    public int Length => Values.Length;

    /// <summary>Whether L2 weight decay reaches this block: the weights' group, by default.</summary>
    public bool Decays { get; set; }

    /// <summary>This block's learning rate as a multiple of the run's η: 1 unless its group sets another.</summary>
    public double LearningRateFactor { get; set; } = 1;

    /// <summary>
    /// ∂C/∂θ of the last mini-batch, laid out like <see cref="Values"/>; allocated at the first call, so that a rule that
    /// steps inside the backward pass (plain SGD) never holds one. It starts on a cache line, as the weights do: the
    /// product that forms BP4 stores into it in vector panels. For a block changed by rows, only the rows the last
    /// batch reached, in <see cref="Touched"/>'s order (the others are zero): a text layer's gradient is the batch's
    /// few thousand rows, not a second copy of its hundreds of thousands (<see cref="GradientRows"/>).
    /// </summary>
    public Memory<T> Gradient
    {
        get
        {
            if (RowWidth > 0) return GradientRows(Touched!.Count);
            if (_gradient.IsEmpty && Length > 0) _gradient = AlignedStorage.Allocate<T>(Length);
            return _gradient;
        }
    }

    /// <summary>
    /// For a block changed by rows: room for the gradient of <paramref name="rows"/> rows (the rows listed in
    /// <see cref="Touched"/>, in its order), grown as a batch needs and kept between batches; its contents are the last
    /// batch's, to be overwritten.
    /// </summary>
    public Memory<T> GradientRows(int rows)
    {
        if (RowWidth == 0) throw new InvalidOperationException("Only a block changed by rows keeps the gradient of some rows.");
        int length = checked(rows * RowWidth);
        if (_gradient.Length < length)
        {
            // Doubling, up to the block's size: a few growths over a run, never beyond one copy of the block. Nothing is
            // copied over: the rows are the next batch's to write.
            _gradient = AlignedStorage.Allocate<T>(int.Min(Length, int.Max(length, (int)long.Min(2L * _gradient.Length, int.MaxValue))));
        }
        return _gradient[..length];
    }

    /// <summary>Writes the gradient laid out like <see cref="Values"/> into <paramref name="full"/> (zero where a block changed by rows was not reached).</summary>
    public void CopyGradientTo(Span<T> full)
    {
        if (RowWidth == 0)
        {
            Gradient.Span.CopyTo(full);
            return;
        }
        full[..Length].Clear();
        var rows = Gradient.Span;
        var touched = Touched!;
        for (int i = 0; i < touched.Count; i++)
            rows.Slice(i * RowWidth, RowWidth).CopyTo(full.Slice(touched.Rows[i] * RowWidth, RowWidth));
    }

    /// <summary>For a block changed by rows: the rows the last batch reached (its other rows have no gradient); otherwise null.</summary>
    public TouchedRows? Touched => RowWidth == 0 ? null : _touched ??= new TouchedRows(Length / RowWidth, RowWidth);

    /// <summary>Whether the gradient is allocated (reading <see cref="Gradient"/> allocates it).</summary>
    public bool HoldsGradient => !_gradient.IsEmpty;

    /// <summary>Lets the gradient go (the run that needed it is over); the next use allocates it again.</summary>
    public void ReleaseGradient() => (_gradient, _touched) = (default, null);
}
