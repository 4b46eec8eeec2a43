using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace MlNetBackprop.Network.Storage;

/// <summary>
/// Reads a stored record's little-endian fields in order, checking before each read that the bytes are there: a record
/// cut short is an <see cref="InvalidDataException"/> naming <paramref name="what"/>, never a read past its end.
/// </summary>
internal ref struct ByteReader(ReadOnlySpan<byte> bytes, string what)
{
    private ReadOnlySpan<byte> _rest = bytes;

    /// <summary>The bytes not read yet.</summary>
    public readonly int Remaining => _rest.Length;

    public byte Byte() => Take(1)[0];

    public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Take(sizeof(int)));

    public uint UInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(sizeof(uint)));

    public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Take(sizeof(long)));

    public float Single() => BinaryPrimitives.ReadSingleLittleEndian(Take(sizeof(float)));

    public double Double() => BinaryPrimitives.ReadDoubleLittleEndian(Take(sizeof(double)));

    /// <summary>Fills <paramref name="values"/> with little-endian float32s.</summary>
    public void Singles(Span<float> values)
    {
        var bytes = Take(checked(values.Length * sizeof(float)));
        if (BitConverter.IsLittleEndian)
            bytes.CopyTo(MemoryMarshal.AsBytes(values));
        else
            for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * sizeof(float))..]);
    }

    /// <summary>Refuses bytes after the record's end: a record is exactly as long as what it declares.</summary>
    public readonly void End()
    {
        if (_rest.Length != 0)
            throw new InvalidDataException($"The model's {what} is damaged: {_rest.Length:N0} bytes follow its end.");
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (_rest.Length < count)
            throw new InvalidDataException($"The model's {what} is truncated.");
        var taken = _rest[..count];
        _rest = _rest[count..];
        return taken;
    }
}
