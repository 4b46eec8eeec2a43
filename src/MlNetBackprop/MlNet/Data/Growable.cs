namespace MlNetBackprop.MlNet.Data;

/// <summary>
/// An append-only buffer that doubles as it grows and hands back an exact-size array at the end. Appended room is
/// not cleared: every caller writes all of it (the row reader writes every value of a row).
/// </summary>
internal sealed class Growable<T>(int capacity) where T : unmanaged
{
    private T[] _buffer = GC.AllocateUninitializedArray<T>(int.Max(capacity, 0));
    private int _count;

    /// <summary>Room for <paramref name="n"/> more values, at the end.</summary>
    public Span<T> Append(int n)
    {
        if (_count + n > _buffer.Length)
        {
            var larger = GC.AllocateUninitializedArray<T>(int.Max(_count + n, (int)long.Min(2L * _buffer.Length + 16, Array.MaxLength)));
            _buffer.AsSpan(0, _count).CopyTo(larger);
            _buffer = larger;
        }
        var span = _buffer.AsSpan(_count, n);
        _count += n;
        return span;
    }

    /// <summary>Takes back the last <paramref name="n"/> values appended.</summary>
    public void RemoveLast(int n) => _count -= n;

    /// <summary>
    /// The buffer itself when little of it is unused (rows skipped as bad leave a few empty rows at its end, which the
    /// training set ignores), otherwise an exact-size copy: a copy of the whole matrix is made only to save memory.
    /// </summary>
    public T[] Compacted() => _buffer.Length - _count <= _buffer.Length / 8 ? _buffer : Trimmed();

    /// <summary>The values appended, in an array of their number.</summary>
    public T[] Trimmed()
    {
        if (_buffer.Length != _count) _buffer = _buffer.AsSpan(0, _count).ToArray();
        return _buffer;
    }
}
