using System.Numerics;

namespace MlNetBackprop.Network.Training;

/// <summary>
/// Training examples held once, as one contiguous matrix of inputs (one row per example) and their targets.
/// Classification targets are kept as class indices and expanded to the output layer's vector only for the
/// rows of the current mini-batch, so a thousand classes cost no more memory than two.
/// </summary>
internal sealed class TrainingSet<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private TrainingSet(T[] inputs, int rows, int inputSize, int outputSize, int[]? classes, T[]? values, T[]? exampleScale)
    {
        Inputs = inputs;
        Rows = rows;
        InputSize = inputSize;
        OutputSize = outputSize;
        Classes = classes;
        Values = values;
        ExampleScale = exampleScale;
    }

    /// <summary>Rows × InputSize input values.</summary>
    public T[] Inputs { get; }

    /// <summary>The number of examples.</summary>
    public int Rows { get; }

    /// <summary>Values per input row.</summary>
    public int InputSize { get; }

    /// <summary>Width of the target vector (the output layer's size).</summary>
    public int OutputSize { get; }

    /// <summary>For classification with one output per class: each row's class index.</summary>
    public int[]? Classes { get; }

    /// <summary>Otherwise: each row's target vector (Rows × OutputSize).</summary>
    public T[]? Values { get; }

    /// <summary>Per-example weights scaled to mean 1, or null when all examples weigh the same.</summary>
    public T[]? ExampleScale { get; }

    /// <summary>Examples whose targets are class indices, expanded to one-hot vectors of width <paramref name="classCount"/>.</summary>
    public static TrainingSet<T> ForClasses(T[] inputs, int rows, int inputSize, int[] classes, int classCount, T[]? exampleScale)
        => new(inputs, rows, inputSize, classCount, classes, null, exampleScale);

    /// <summary>Examples whose targets are given as vectors of width <paramref name="outputSize"/>.</summary>
    public static TrainingSet<T> ForValues(T[] inputs, int rows, int inputSize, T[] values, int outputSize, T[]? exampleScale)
        => new(inputs, rows, inputSize, outputSize, null, values, exampleScale);

    /// <summary>Copies the listed rows' inputs, targets and example weights into contiguous batch buffers.</summary>
    public void Gather(ReadOnlySpan<int> rows, Span<T> inputs, Span<T> targets, Span<T> scale)
    {
        for (int i = 0; i < rows.Length; i++)
        {
            int row = rows[i];
            Inputs.AsSpan(row * InputSize, InputSize).CopyTo(inputs.Slice(i * InputSize, InputSize));
            var target = targets.Slice(i * OutputSize, OutputSize);
            if (Classes is not null)
            {
                target.Clear();
                target[Classes[row]] = T.One;
            }
            else
            {
                Values.AsSpan(row * OutputSize, OutputSize).CopyTo(target);
            }
            if (ExampleScale is not null)
                scale[i] = ExampleScale[row];
        }
    }
}
