using System.Numerics;

namespace MlNetBackprop.Network.Training;

/// <summary>
/// A batch source of examples whose inputs and targets are zeros (for a sparse first layer, one non-zero per row, so that
/// its kernels run), for running training's code without data: the code warm-up.
/// </summary>
internal sealed class ZeroBatches<T>(NetworkLayout layout, int rows, int batches, bool weighted) : IBatchSource<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private int _left;

    public int Rows => rows * batches;
    public int InputSize => layout.InputSize;
    public int OutputSize => layout.OutputSize;
    public bool Classifies => true; // so that the epoch runs the accuracy count too
    public bool HasExampleScale => weighted;
    public bool SparseInputs => layout.SparseInput;

    public void BeginEpoch(Random random) => _left = batches;

    public void NextBatch(MiniBatch<T> batch)
    {
        batch.Rows = _left-- > 0 ? rows : 0;
        if (batch.Rows == 0) return;
        if (batch.SparseInputs is { } sparse)
        {
            sparse.Clear();
            for (int r = 0; r < rows; r++)
                sparse.Append([T.One], [r % InputSize]);
        }
        for (int r = 0; r < rows && weighted; r++)
            batch.SetWeight(r, T.One);
        for (int r = 0; r < rows && batch.Classified; r++)
            batch.SetClass(r, 0);
    }
}
