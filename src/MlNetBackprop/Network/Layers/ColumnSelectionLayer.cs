using System.Numerics;
using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Export;
using MlNetBackprop.Network.Kernels;

namespace MlNetBackprop.Network.Layers;

/// <summary>
/// A parameter-free first layer that reads sparse rows and keeps, densely, only the input columns the training rows used:
/// a table's one-hot columns, encoded as ML.NET's OneHotEncoding does a vector of categories, make thousands of columns
/// of which a few hundred are ever non-zero. Behind it the network sees a narrow dense row, which it can standardize and
/// encode, and columns no training row used (a category first seen when scoring) are left out instead of meeting
/// weights that never learned.
/// </summary>
internal sealed class ColumnSelectionLayer<T> : Layer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private const string Name = "column selection";

    private readonly T[] _columns;
    private int[]? _position;

    /// <summary>A layer keeping <paramref name="kept"/> of <paramref name="inputs"/> columns (the first ones until set).</summary>
    public ColumnSelectionLayer(int inputs, int kept) : base(inputs, kept, new Identity<T>())
    {
        _columns = new T[kept];
        for (int j = 0; j < kept; j++) _columns[j] = T.CreateChecked(j);
    }

    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.ColumnSelection;

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter<T>> Parameters => [];

    /// <summary>The kept columns' indices, rising (as numbers, stored as the other constants are).</summary>
    public override IReadOnlyList<Memory<T>> Constants => [_columns];

    /// <summary>The kept columns' indices.</summary>
    public IEnumerable<int> Columns => _columns.Select(int.CreateTruncating);

    /// <summary>Keeps <paramref name="columns"/>, rising indices of input columns.</summary>
    public void Set(ReadOnlySpan<int> columns)
    {
        if (columns.Length != OutputSize)
            throw new ArgumentException($"The layer keeps {OutputSize} columns, not {columns.Length}.");
        for (int j = 0; j < columns.Length; j++)
        {
            if (columns[j] < 0 || columns[j] >= InputSize || (j > 0 && columns[j] <= columns[j - 1]))
                throw new ArgumentException($"Column {columns[j]} is out of order or range.");
            _columns[j] = T.CreateChecked(columns[j]);
        }
        _position = null;
    }

    /// <summary>Nothing to draw: the columns come from the data.</summary>
    public override void Initialize(Random random, WeightInitialization kind)
    {
    }

    /// <inheritdoc/>
    public override void Forward(LayerInput<T> input, int rows, Memory<T> z, Memory<T> a, ParallelGemm<T> products)
    {
        var position = Positions();
        var output = a.Span[..(rows * OutputSize)];
        output.Clear();
        if (input.Sparse is { } sparse)
        {
            for (int r = 0; r < rows; r++)
            {
                var row = output.Slice(r * OutputSize, OutputSize);
                var values = sparse.ValuesOf(r);
                var indices = sparse.IndicesOf(r);
                for (int i = 0; i < values.Length; i++)
                    if (position[indices[i]] is int at and >= 0) row[at] = values[i];
            }
            return;
        }
        var dense = input.DenseRows(Name).Span;
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < OutputSize; j++)
                output[r * OutputSize + j] = dense[r * InputSize + int.CreateTruncating(_columns[j])];
    }

    /// <summary>Nothing flows below the first layer, and it has no parameters.</summary>
    public override void Backward(ReadOnlyMemory<T> delta, ReadOnlyMemory<T> scaledDelta, LayerInput<T> input, int rows, Memory<T> inputError,
        GradientStore<T> store, ParallelGemm<T> products)
    {
        if (!inputError.IsEmpty)
            throw new InvalidOperationException("A column selection is the network's first layer: no error flows below it.");
    }

    /// <inheritdoc/>
    public override string ToOnnx(OnnxGraphBuilder graph, string input)
        => graph.Node("Gather", [input, graph.Constant("columns", _columns.Select(long.CreateTruncating).ToArray(), OutputSize)], null,
            OnnxGraphBuilder.Int("axis", 1));

    /// <summary>For every input column, its place among the kept ones, −1 for one left out.</summary>
    private int[] Positions()
    {
        if (_position is { } known) return known;
        var position = new int[InputSize];
        position.AsSpan().Fill(-1);
        for (int j = 0; j < OutputSize; j++) position[int.CreateTruncating(_columns[j])] = j;
        return _position = position;
    }
}
