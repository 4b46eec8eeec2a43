namespace MlNetBackprop.Network;

/// <summary>
/// The rows of a parameter block that a mini-batch changed: for a sparse input layer's weights (one row per input
/// column), the columns present in the batch. Optimizers that keep state per weight visit these rows only. Marking and
/// clearing cost the rows listed, never the block's size.
/// </summary>
internal sealed class TouchedRows
{
    private readonly int[] _rows;
    private readonly bool[] _marked;

    /// <summary>An empty set over rows 0 … <paramref name="rowCount"/> − 1 of <paramref name="rowWidth"/> values each.</summary>
    public TouchedRows(int rowCount, int rowWidth)
    {
        (_rows, _marked, RowWidth) = (new int[rowCount], new bool[rowCount], rowWidth);
    }

    /// <summary>Values per row.</summary>
    public int RowWidth { get; }

    /// <summary>The rows marked, in the order they were first marked.</summary>
    public ReadOnlySpan<int> Rows => _rows.AsSpan(0, Count);

    /// <summary>How many rows are marked.</summary>
    public int Count { get; private set; }

    /// <summary>Marks <paramref name="row"/>; true when it was not marked yet.</summary>
    public bool Mark(int row)
    {
        if (_marked[row]) return false;
        _marked[row] = true;
        _rows[Count++] = row;
        return true;
    }

    /// <summary>Unmarks every row.</summary>
    public void Clear()
    {
        foreach (int row in Rows) _marked[row] = false;
        Count = 0;
    }
}
