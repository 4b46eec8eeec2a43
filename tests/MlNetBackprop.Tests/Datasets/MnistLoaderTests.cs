using System.Buffers.Binary;
using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetBackprop.Datasets;
using Xunit;

namespace MlNetBackprop.Tests.Datasets;

/// <summary>The IDX reader on small hand-made files, good and corrupt.</summary>
public sealed class MnistLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("idx-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte[] Images(int count, int rows = 28, int columns = 28, int magic = 0x0803)
    {
        var bytes = new byte[16 + count * rows * columns];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), columns);
        for (int i = 0; i < count * rows * columns; i++)
            bytes[16 + i] = (byte)((i * 7 + i / (rows * columns)) % 256); // a distinct pattern per image
        return bytes;
    }

    private static byte[] Labels(params byte[] labels)
    {
        var bytes = new byte[8 + labels.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, 0x0801);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), labels.Length);
        labels.CopyTo(bytes, 8);
        return bytes;
    }

    private string Write(string name, byte[] bytes, bool gzip = false)
    {
        string path = Path.Combine(_dir, name);
        if (gzip)
        {
            using var file = File.Create(path);
            using var zip = new GZipStream(file, CompressionLevel.Fastest);
            zip.Write(bytes);
        }
        else
        {
            File.WriteAllBytes(path, bytes);
        }
        return path;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Good_files_give_keyed_labels_and_pixels_scaled_to_one(bool gzip)
    {
        var imageBytes = Images(3);
        var data = Mnist.Load(Write("images", imageBytes, gzip), Write("labels", Labels(7, 0, 9), gzip));
        Assert.Equal(3, data.GetRowCount());
        Assert.Equal(new KeyDataViewType(typeof(uint), 10), data.Schema["Label"].Type);
        Assert.Equal(Enumerable.Range(0, 10).Select(d => d.ToString()), SchemaAssert.KeyValues(data.Schema["Label"]));
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 784), data.Schema["Features"].Type);
        Assert.Equal(new uint[] { 8, 1, 10 }, data.GetColumn<uint>("Label"));
        var features = TestData.Vectors(data, "Features");
        for (int image = 0; image < 3; image++)
            for (int p = 0; p < 784; p++)
                Assert.Equal(imageBytes[16 + image * 784 + p] / 255f, features[image][p]);
    }

    [Fact]
    public void A_range_selects_consecutive_images()
    {
        var imageBytes = Images(5);
        var data = Mnist.Load(Write("images", imageBytes, gzip: true), Write("labels", Labels(0, 1, 2, 3, 4), gzip: true), start: 2, count: 2);
        Assert.Equal(new uint[] { 3, 4 }, data.GetColumn<uint>("Label"));
        Assert.Equal(imageBytes[16 + 2 * 784 + 5] / 255f, TestData.Vectors(data, "Features")[0][5]);
        Assert.Throws<ArgumentOutOfRangeException>(() => Mnist.Load(Path.Combine(_dir, "images"), Path.Combine(_dir, "labels"), start: 4, count: 2));
    }

    [Fact]
    public void Swapped_files_are_named_with_the_magic_number_expected()
    {
        string images = Write("images", Images(2)), labels = Write("labels", Labels(1, 2));
        var e = Assert.Throws<InvalidDataException>(() => Mnist.Load(labels, images));
        Assert.Contains($"'{labels}'", e.Message);
        Assert.Contains("magic number 2049", e.Message);
        Assert.Contains("2051", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_truncated_file_is_named_with_what_it_lacks(bool gzip)
    {
        var bytes = Images(3);
        string path;
        if (gzip)
        {
            // Cut the compressed file short: its trailer (which records the length) goes with it.
            string whole = Write("whole.gz", bytes, gzip: true);
            var compressed = File.ReadAllBytes(whole);
            path = Write("images.gz", compressed[..(compressed.Length / 2)]);
        }
        else
        {
            path = Write("images", bytes[..(bytes.Length - 100)]);
        }
        var e = Assert.Throws<InvalidDataException>(() => Mnist.Load(path, Write("labels", Labels(1, 2, 3))));
        Assert.Contains($"'{path}'", e.Message);
        Assert.Contains("truncated", e.Message);
        if (!gzip)
            Assert.Contains($"promises {bytes.Length:N0}", e.Message);
    }

    [Fact]
    public void Files_of_different_lengths_are_refused()
    {
        var e = Assert.Throws<InvalidDataException>(() => Mnist.Load(Write("images", Images(3)), Write("labels", Labels(1, 2))));
        Assert.Contains("3 images", e.Message);
        Assert.Contains("2 labels", e.Message);
    }

    [Fact]
    public void Images_of_another_size_and_labels_out_of_range_are_refused()
    {
        var small = Assert.Throws<InvalidDataException>(() => Mnist.Load(Write("small", Images(1, 8, 8)), Write("labels", Labels(1))));
        Assert.Contains("8×8", small.Message);

        var data = Mnist.Load(Write("images", Images(2)), Write("labels2", Labels(1, 12)));
        var e = Assert.Throws<InvalidDataException>(() => data.GetColumn<uint>("Label").ToArray());
        Assert.Contains("label 12", e.Message);
        Assert.Contains("image 1", e.Message);
    }

    [Fact]
    public void The_real_MNIST_files_load_with_the_documented_label_counts()
    {
        string data = Path.Combine(AppContext.BaseDirectory, "Data");
        var test = Mnist.Load(Path.Combine(data, "t10k-images-idx3-ubyte.gz"), Path.Combine(data, "t10k-labels-idx1-ubyte.gz"));
        var counts = test.GetColumn<uint>("Label").GroupBy(k => k).OrderBy(g => g.Key).Select(g => g.Count()).ToArray();
        // From the data's provenance: 980 1135 1032 1010 982 892 958 1028 974 1009.
        Assert.Equal(new[] { 980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009 }, counts);
    }
}
