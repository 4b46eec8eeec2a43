namespace MlNetBackprop.Network;

/// <summary>
/// The rows of a parameter block that a mini-batch changed: for a sparse input layer's weights (one row per input
/// column), the columns present in the batch. Optimizers that keep state per weight visit these rows only, and the
/// block's gradient holds these rows only, in the order they are listed (row i of the gradient is row
/// <c>Rows[i]</c> of the block). Marking and clearing cost the rows listed, never the block's size.
/// </summary>
internal sealed class TouchedRows
{
    private readonly int[] _rows;
    // Each row's place in _rows plus one; 0 for a row not marked.
    private readonly int[] _place;

    /// <summary>An empty set over rows 0 … <paramref name="rowCount"/> − 1 of <paramref name="rowWidth"/> values each.</summary>
    public TouchedRows(int rowCount, int rowWidth)
    {
        (_rows, _place, RowWidth) = (new int[rowCount], new int[rowCount], rowWidth);
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
        if (_place[row] != 0) return false;
        _rows[Count++] = row;
        _place[row] = Count;
        return true;
    }

    /// <summary>The place of marked row <paramref name="row"/> in <see cref="Rows"/>.</summary>
    public int PlaceOf(int row) => _place[row] - 1;

    /// <summary>Unmarks every row.</summary>
    public void Clear()
    {
        foreach (int row in Rows) _place[row] = 0;
        Count = 0;
    }
}
