using System.Numerics;
using MlNetBackprop.Network.Inputs;
using MlNetBackprop.Network.Layers;

namespace MlNetBackprop.Network.Training;

/// <summary>
/// One mini-batch as a batch source fills it and the network reads it: the examples' inputs (one row each), their
/// targets, their classes (for classification, so that accuracy is counted without decoding the targets) and their
/// weights sₓ, with room for <see cref="Capacity"/> examples allocated once. Sources, the training loop
/// and backpropagation pass this object along, so that the representation of the inputs (dense rows, or sparse rows for
/// a <see cref="SparseInputLayer{T}"/>) is a matter between a source and the network's first layer.
/// </summary>
internal sealed class MiniBatch<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Memory<T> _inputs;
    private readonly SparseRows<T>? _sparse;
    private readonly T[] _targets, _scale;
    private readonly int[] _classes;

    /// <summary>
    /// A batch whose input rows live in <paramref name="inputs"/> (at least <paramref name="capacity"/> ×
    /// <paramref name="inputSize"/> values: the training loop passes the workspace's own input rows, which spares the
    /// forward pass a copy), with room for targets and, when <paramref name="weighted"/>, example weights.
    /// </summary>
    public MiniBatch(Memory<T> inputs, int capacity, int inputSize, int outputSize, bool weighted, bool classified = false)
        : this(inputs, null, capacity, inputSize, outputSize, weighted, classified)
    {
        if (inputs.Length < capacity * inputSize)
            throw new ArgumentException($"Room for {capacity} rows of {inputSize} inputs is needed, not {inputs.Length} values.", nameof(inputs));
    }

    private MiniBatch(Memory<T> inputs, SparseRows<T>? sparse, int capacity, int inputSize, int outputSize, bool weighted, bool classified)
    {
        (_inputs, _sparse, Capacity, InputSize, OutputSize) = (inputs, sparse, capacity, inputSize, outputSize);
        _targets = new T[capacity * outputSize];
        _scale = weighted ? new T[capacity] : [];
        _classes = classified ? new int[capacity] : [];
    }

    /// <summary>A batch whose input rows are sparse (for a network whose first layer reads them), with room for <paramref name="capacity"/> examples.</summary>
    public static MiniBatch<T> Sparse(int capacity, int inputSize, int outputSize, bool weighted, bool classified = false)
        => new(default, new SparseRows<T>(inputSize, capacity), capacity, inputSize, outputSize, weighted, classified);

    /// <summary>A batch shaped for <paramref name="network"/>'s input: sparse rows or dense ones (in arrays of its own).</summary>
    public static MiniBatch<T> For(NetworkLayout network, int capacity, bool weighted, bool classified = false) => network.SparseInput
        ? Sparse(capacity, network.InputSize, network.OutputSize, weighted, classified)
        : new(new T[capacity * network.InputSize], capacity, network.InputSize, network.OutputSize, weighted, classified);

    /// <summary>A batch of <paramref name="rows"/> examples given as arrays (every example weighing 1 when <paramref name="scale"/> is empty).</summary>
    public static MiniBatch<T> Of(T[] inputs, T[] targets, T[] scale, int rows)
    {
        if (rows < 1 || inputs.Length % rows != 0 || targets.Length % rows != 0 || (scale.Length != 0 && scale.Length != rows))
            throw new ArgumentException($"Arrays of {inputs.Length} inputs, {targets.Length} targets and {scale.Length} weights do not make {rows} whole rows.");
        int inputSize = inputs.Length / rows, outputSize = targets.Length / rows;
        var batch = new MiniBatch<T>(inputs, rows, inputSize, outputSize, weighted: scale.Length > 0) { Rows = rows };
        targets.CopyTo(batch._targets, 0);
        scale.CopyTo(batch._scale, 0);
        return batch;
    }

    /// <summary>A sparse batch of the rows of <paramref name="inputs"/> (copied), with their targets and weights as <see cref="Of(T[], T[], T[], int)"/> takes them.</summary>
    public static MiniBatch<T> Of(SparseRows<T> inputs, T[] targets, T[] scale)
    {
        int rows = inputs.Rows;
        if (rows < 1 || targets.Length % rows != 0 || (scale.Length != 0 && scale.Length != rows))
            throw new ArgumentException($"{rows} sparse rows with {targets.Length} targets and {scale.Length} weights do not make whole rows.");
        var batch = Sparse(rows, inputs.Width, targets.Length / rows, weighted: scale.Length > 0);
        for (int r = 0; r < rows; r++)
            batch._sparse!.Append(inputs.ValuesOf(r), inputs.IndicesOf(r));
        batch.Rows = rows;
        targets.CopyTo(batch._targets, 0);
        scale.CopyTo(batch._scale, 0);
        return batch;
    }

    /// <summary>The most examples the batch holds.</summary>
    public int Capacity { get; }

    /// <summary>Values per input row.</summary>
    public int InputSize { get; }

    /// <summary>Values per target.</summary>
    public int OutputSize { get; }

    /// <summary>Whether the examples carry weights.</summary>
    public bool Weighted => _scale.Length > 0;

    /// <summary>Whether the examples carry class indices (classification).</summary>
    public bool Classified => _classes.Length > 0;

    /// <summary>Each example's class index (classification; empty otherwise).</summary>
    public ReadOnlySpan<int> Classes => Classified ? _classes.AsSpan(0, Rows) : default;

    /// <summary>The examples in the batch now (set by the source that fills it).</summary>
    public int Rows { get; set; }

    /// <summary>Whether the input rows are sparse (see <see cref="SparseInputs"/>).</summary>
    public bool IsSparse => _sparse is not null;

    /// <summary>The input rows, row after row (dense batches).</summary>
    public ReadOnlySpan<T> Inputs => IsSparse ? throw new InvalidOperationException("The batch's inputs are sparse rows.") : _inputs.Span[..(Rows * InputSize)];

    /// <summary>The input rows in sparse form, for a source to fill row after row (sparse batches); null for a dense batch.</summary>
    public SparseRows<T>? SparseInputs => _sparse;

    /// <summary>The input rows as the first layer reads them.</summary>
    public LayerInput<T> Input => _sparse is { } sparse ? LayerInput<T>.Of(sparse) : _inputs[..(Rows * InputSize)];

    /// <summary>The targets, row after row.</summary>
    public ReadOnlySpan<T> Targets => _targets.AsSpan(0, Rows * OutputSize);

    /// <summary>Each example's weight sₓ; empty when all weigh 1.</summary>
    public ReadOnlySpan<T> ExampleScale => Weighted ? _scale.AsSpan(0, Rows) : default;

    /// <summary>Room for the inputs of row <paramref name="row"/>, for a source to fill.</summary>
    public Span<T> InputRow(int row) => IsSparse
        ? throw new InvalidOperationException("The batch's inputs are sparse rows: append them to SparseInputs.")
        : _inputs.Span.Slice(row * InputSize, InputSize);

    /// <summary>Room for the target of row <paramref name="row"/>, for a source to fill.</summary>
    public Span<T> TargetRow(int row) => _targets.AsSpan(row * OutputSize, OutputSize);

    /// <summary>Sets the weight of row <paramref name="row"/> (weighted batches only).</summary>
    public void SetWeight(int row, T weight) => _scale[row] = weight;

    /// <summary>Sets the class of row <paramref name="row"/> (classified batches only).</summary>
    public void SetClass(int row, int classIndex) => _classes[row] = classIndex;
}
