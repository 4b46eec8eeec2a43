using System.Buffers.Binary;
using System.IO.Compression;

namespace MlNetBackprop.Datasets;

/// <summary>
/// One IDX file (the format of MNIST): a big-endian header — two zero bytes, a type byte (0x08 = unsigned byte), the
/// number of dimensions, then each dimension as an int32 — followed by the items, one byte per value. Files may be
/// gzip-compressed. Opening checks the header and the data's length against what the header promises, so that a wrong
/// or truncated file fails at once with a message naming it.
/// </summary>
internal sealed class IdxFile
{
    private const int UnsignedByte = 0x08;

    private IdxFile(string path, int[] dimensions, int headerLength)
    {
        Path = path;
        Dimensions = dimensions;
        HeaderLength = headerLength;
    }

    /// <summary>The file's path.</summary>
    public string Path { get; }

    /// <summary>The dimensions; the first is the number of items.</summary>
    public int[] Dimensions { get; }

    /// <summary>The number of items (the first dimension).</summary>
    public int Count => Dimensions[0];

    /// <summary>Bytes per item: the product of the other dimensions.</summary>
    public int ItemLength => Dimensions.Skip(1).Aggregate(1, (a, b) => a * b);

    private int HeaderLength { get; }

    /// <summary>Opens and checks a file that must have <paramref name="dimensionCount"/> dimensions of unsigned bytes.</summary>
    public static IdxFile Open(string path, int dimensionCount, string what)
    {
        using var stream = OpenData(path);
        Span<byte> head = stackalloc byte[4 + 4 * dimensionCount];
        // The magic number first, so that a file of the wrong kind is named as such even when it is short.
        if (stream.ReadAtLeast(head[..4], 4, throwOnEndOfStream: false) < 4)
            throw Bad(path, $"is too short to be an IDX file of {what}");
        int magic = BinaryPrimitives.ReadInt32BigEndian(head);
        int expectedMagic = (UnsignedByte << 8) | dimensionCount;
        if (magic != expectedMagic)
            throw Bad(path, $"starts with magic number {magic} where an IDX file of {what} has {expectedMagic} " +
                $"(unsigned bytes in {dimensionCount} dimension{(dimensionCount == 1 ? "" : "s")}); is it the right file?");
        if (stream.ReadAtLeast(head[4..], head.Length - 4, throwOnEndOfStream: false) < head.Length - 4)
            throw Bad(path, $"is too short to hold the header of an IDX file of {what}");
        var dimensions = new int[dimensionCount];
        for (int i = 0; i < dimensionCount; i++)
        {
            dimensions[i] = BinaryPrimitives.ReadInt32BigEndian(head[(4 + 4 * i)..]);
            if (dimensions[i] <= 0 || (i > 0 && dimensions[i] > 65536))
                throw Bad(path, $"declares dimension {i} as {dimensions[i]}");
        }
        var file = new IdxFile(path, dimensions, head.Length);
        long expected = head.Length + (long)file.Count * file.ItemLength;
        long actual = DataLength(path);
        if (actual != expected)
            throw Bad(path, $"holds {actual:N0} bytes of data where its header promises {expected:N0} " +
                $"({file.Count:N0} items of {file.ItemLength:N0} bytes): the file is truncated or damaged");
        return file;
    }

    /// <summary>A stream positioned at the first byte of item <paramref name="first"/>.</summary>
    public Stream OpenAt(int first)
    {
        var stream = OpenData(Path);
        long skip = HeaderLength + (long)first * ItemLength;
        if (stream.CanSeek)
        {
            stream.Seek(skip, SeekOrigin.Begin);
            return stream;
        }
        var buffer = new byte[81920];
        while (skip > 0)
        {
            int read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, skip));
            if (read == 0) throw Bad(Path, "ended early");
            skip -= read;
        }
        return stream;
    }

    /// <summary>Reads item bytes, failing with the file's name if it ends early.</summary>
    public void ReadItem(Stream stream, Span<byte> item, int index)
    {
        if (stream.ReadAtLeast(item, item.Length, throwOnEndOfStream: false) < item.Length)
            throw Bad(Path, $"ends inside item {index:N0} of {Count:N0}: the file is truncated");
    }

    private static Stream OpenData(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return IsGzip(file) ? new BufferedStream(new GZipStream(file, CompressionMode.Decompress), 1 << 16) : file;
    }

    private static bool IsGzip(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        int read = file.Read(magic);
        file.Seek(0, SeekOrigin.Begin);
        return read == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
    }

    /// <summary>
    /// The data's length: the file's, or for gzip the uncompressed size from the trailer (modulo 2³², plenty for
    /// MNIST-sized files); a truncated gzip file has no valid trailer, so it fails the comparison too.
    /// </summary>
    private static long DataLength(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (!IsGzip(file)) return file.Length;
        if (file.Length < 18) return -1;
        file.Seek(-4, SeekOrigin.End);
        Span<byte> size = stackalloc byte[4];
        file.ReadExactly(size);
        return BinaryPrimitives.ReadUInt32LittleEndian(size);
    }

    private static InvalidDataException Bad(string path, string problem) => new($"IDX file '{path}' {problem}.");
}
