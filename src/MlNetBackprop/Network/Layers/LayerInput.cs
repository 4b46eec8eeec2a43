using System.Numerics;
using MlNetBackprop.Network.Inputs;

namespace MlNetBackprop.Network.Layers;

/// <summary>
/// What a layer reads for a batch: dense rows (the layer below's activations, or dense input features), or, for a
/// first layer that reads them, sparse input rows. Each kind of layer reads one of the two.
/// </summary>
internal readonly struct LayerInput<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private LayerInput(ReadOnlyMemory<T> dense, SparseRows<T>? sparse) => (Dense, Sparse) = (dense, sparse);

    /// <summary>Dense rows, row after row (empty when the input is sparse).</summary>
    public ReadOnlyMemory<T> Dense { get; }

    /// <summary>The sparse rows, or null when the input is dense.</summary>
    public SparseRows<T>? Sparse { get; }

    /// <summary>Sparse input rows.</summary>
    public static LayerInput<T> Of(SparseRows<T> rows) => new(default, rows);

    /// <summary>Dense rows.</summary>
    public static implicit operator LayerInput<T>(ReadOnlyMemory<T> rows) => new(rows, null);

    /// <summary>Dense rows.</summary>
    public static implicit operator LayerInput<T>(Memory<T> rows) => new(rows, null);

    /// <summary>The dense rows, for a layer that reads nothing else.</summary>
    public ReadOnlyMemory<T> DenseRows(string layer) => Sparse is null
        ? Dense
        : throw new InvalidOperationException($"A {layer} reads dense rows; sparse input rows are read by a sparse input layer.");

    /// <summary>The sparse rows, for a layer that reads nothing else.</summary>
    public SparseRows<T> SparseRows(string layer) => Sparse
        ?? throw new InvalidOperationException($"A {layer} reads sparse input rows; give it the batch's rows in sparse form.");
}
