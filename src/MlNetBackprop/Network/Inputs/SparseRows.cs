using System.Numerics;

namespace MlNetBackprop.Network.Inputs;

/// <summary>
/// Rows of a sparse matrix in compressed form (CSR): each row's non-zero values and their column indices, row after
/// row, and where each row starts. A text feature vector of 10⁵ slots with 50 non-zeros takes 50 values and 50 indices
/// here instead of 10⁵ values. The rows are appended one at a time; the arrays grow by doubling, so a batch refilled for
/// every mini-batch stops allocating once it has held its largest batch.
/// </summary>
internal sealed class SparseRows<T> where T : unmanaged, INumberBase<T>
{
    private T[] _values;
    private int[] _indices;
    private int[] _rowStarts;

    /// <summary>Empty rows of <paramref name="width"/> columns, with room for <paramref name="rowCapacity"/> rows and <paramref name="valueCapacity"/> non-zeros.</summary>
    public SparseRows(int width, int rowCapacity = 16, long valueCapacity = 64)
    {
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, "Rows need at least one column.");
        Width = width;
        int values = (int)long.Clamp(valueCapacity, 1, Array.MaxLength);
        (_values, _indices, _rowStarts) = (new T[values], new int[values], new int[Math.Max(rowCapacity, 1) + 1]);
    }

    /// <summary>Columns per row.</summary>
    public int Width { get; }

    /// <summary>The rows held.</summary>
    public int Rows { get; private set; }

    /// <summary>The non-zeros held, over all rows.</summary>
    public int NonZeros => _rowStarts[Rows];

    /// <summary>The bytes the rows take: a value and an index per non-zero, and a start per row.</summary>
    public long Bytes => (long)NonZeros * (System.Runtime.CompilerServices.Unsafe.SizeOf<T>() + sizeof(int)) + (Rows + 1L) * sizeof(int);

    /// <summary>The bytes the arrays hold, room for rows to come included: what the rows cost in memory now.</summary>
    public long RoomBytes => (long)_values.Length * (System.Runtime.CompilerServices.Unsafe.SizeOf<T>() + sizeof(int)) + (long)_rowStarts.Length * sizeof(int);

    /// <summary>Room for non-zeros in the value array (at least <see cref="NonZeros"/>).</summary>
    public int ValueCapacity => _values.Length;

    /// <summary>Whether a row of <paramref name="count"/> more non-zeros still fits in one array.</summary>
    public bool Fits(int count) => (long)NonZeros + count <= Array.MaxLength;

    /// <summary>Row <paramref name="row"/>'s non-zero values.</summary>
    public ReadOnlySpan<T> ValuesOf(int row) => _values.AsSpan(_rowStarts[row], _rowStarts[row + 1] - _rowStarts[row]);

    /// <summary>Row <paramref name="row"/>'s column indices, in the order of its values.</summary>
    public ReadOnlySpan<int> IndicesOf(int row) => _indices.AsSpan(_rowStarts[row], _rowStarts[row + 1] - _rowStarts[row]);

    /// <summary>Forgets every row and keeps the room.</summary>
    public void Clear() => Rows = 0;

    /// <summary>Appends a row given by its non-zeros; the caller vouches that every index is in [0, <see cref="Width"/>).</summary>
    public void Append(ReadOnlySpan<T> values, ReadOnlySpan<int> indices)
    {
        var (start, row) = (Begin(values.Length), Rows);
        values.CopyTo(_values.AsSpan(start));
        indices.CopyTo(_indices.AsSpan(start));
        _rowStarts[row + 1] = start + values.Length;
        Rows = row + 1;
    }

    /// <summary>Appends the non-zeros of a row given densely.</summary>
    public void AppendDense(ReadOnlySpan<T> row)
    {
        int count = 0;
        foreach (T value in row)
            if (!T.IsZero(value)) count++;
        int start = Begin(count), at = start;
        for (int k = 0; k < row.Length; k++)
        {
            if (T.IsZero(row[k])) continue;
            (_values[at], _indices[at]) = (row[k], k);
            at++;
        }
        _rowStarts[Rows + 1] = at;
        Rows++;
    }

    /// <summary>Removes the last row (a row read and then found unusable).</summary>
    public void RemoveLast()
    {
        if (Rows == 0) throw new InvalidOperationException("There is no row to remove.");
        Rows--;
    }

    /// <summary>Writes row <paramref name="row"/> densely into <paramref name="dense"/> (<see cref="Width"/> values).</summary>
    public void CopyRowTo(int row, Span<T> dense) => Scatter(ValuesOf(row), IndicesOf(row), dense[..Width]);

    /// <summary>Writes a row given by its non-zeros densely into all of <paramref name="dense"/>: zeros, then each value at its index.</summary>
    public static void Scatter(ReadOnlySpan<T> values, ReadOnlySpan<int> indices, Span<T> dense)
    {
        dense.Clear();
        for (int i = 0; i < values.Length; i++)
            dense[indices[i]] = values[i];
    }

    /// <summary>
    /// Frees the unused room at the ends of the arrays (after the last row of a data set has been read) when it is more
    /// than an eighth of them: a copy of everything is made only to save memory.
    /// </summary>
    public void TrimExcess()
    {
        if (_values.Length - NonZeros <= _values.Length / 8 && _rowStarts.Length - Rows - 1 <= _rowStarts.Length / 8) return;
        Array.Resize(ref _values, Math.Max(NonZeros, 1));
        Array.Resize(ref _indices, Math.Max(NonZeros, 1));
        Array.Resize(ref _rowStarts, Rows + 1);
    }

    /// <summary>Makes room for a row of <paramref name="count"/> non-zeros and returns where its values go.</summary>
    private int Begin(int count)
    {
        if (Rows + 2 > _rowStarts.Length)
            Array.Resize(ref _rowStarts, (int)long.Min(2L * _rowStarts.Length, Array.MaxLength));
        int start = _rowStarts[Rows];
        long needed = (long)start + count;
        if (needed > Array.MaxLength)
            throw new InvalidOperationException($"More than {Array.MaxLength:N0} non-zero values: too many to hold in memory at once.");
        if (needed > _values.Length)
        {
            int size = (int)long.Min(long.Max(needed, 2L * _values.Length), Array.MaxLength);
            Array.Resize(ref _values, size);
            Array.Resize(ref _indices, size);
        }
        return start;
    }
}
