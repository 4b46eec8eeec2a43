using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace MlNetBackprop.Network.Storage;

/// <summary>Writes a record's little-endian fields in order into an array of its final size, sized by the caller.</summary>
internal sealed class ByteWriter(long length)
{
    private readonly byte[] _bytes = new byte[checked((int)length)];
    private int _at;

    /// <summary>The record, once every byte is written.</summary>
    public byte[] Bytes => _at == _bytes.Length ? _bytes : throw new InvalidOperationException($"The record was sized {_bytes.Length} bytes but {_at} were written.");

    public void Byte(byte value) => _bytes[_at++] = value;

    public void Int32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Take(sizeof(int)), value);

    public void UInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Take(sizeof(uint)), value);

    public void Int64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Take(sizeof(long)), value);

    public void Single(float value) => BinaryPrimitives.WriteSingleLittleEndian(Take(sizeof(float)), value);

    public void Double(double value) => BinaryPrimitives.WriteDoubleLittleEndian(Take(sizeof(double)), value);

    /// <summary>Little-endian float32s.</summary>
    public void Singles(ReadOnlySpan<float> values)
    {
        var bytes = Take(checked(values.Length * sizeof(float)));
        if (BitConverter.IsLittleEndian)
            MemoryMarshal.AsBytes(values).CopyTo(bytes);
        else
            for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes[(i * sizeof(float))..], values[i]);
    }

    private Span<byte> Take(int count)
    {
        var span = _bytes.AsSpan(_at, count);
        _at += count;
        return span;
    }
}
