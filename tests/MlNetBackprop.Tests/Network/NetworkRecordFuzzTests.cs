using MlNetBackprop.Network;
using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Costs;
using MlNetBackprop.Network.Layers;
using MlNetBackprop.Network.Storage;
using MlNetBackprop.Network.Targets;
using Xunit;
using Xunit.Abstractions;

namespace MlNetBackprop.Tests.Network;

/// <summary>
/// The network reader under random damage: thousands of mutations of a stored network (with a fixed seed), each either
/// refused with <see cref="InvalidDataException"/> or read as a network whose numbers are all finite and whose size the
/// bytes back, in memory bounded by what the bytes can honestly hold.
/// </summary>
public sealed class NetworkRecordFuzzTests(ITestOutputHelper output)
{
    private static byte[] Stored()
    {
        // Every kind of prepared first layer, hidden layers of two activations, softmax outputs and an output scaling.
        var network = Engine.Network<float>(NetworkLayout.FullyConnected([4, 8, 3], [ActivationKind.Relu, ActivationKind.Softmax], CostKind.LogLikelihood,
            preparation: new InputPreparation(Standardized: true, Scaled: true)), 3);
        ((StandardizationLayer<float>)network.Layers[0]).Set([5.8, 3.0, 3.7, 1.2], [0.8, 0.4, 1.8, 0.8]);
        return NetworkRecord.ToBytes(network, LabelStandardization.None);
    }

    [Fact]
    public void Every_mutated_record_is_refused_clearly_or_read_whole_in_bounded_memory()
    {
        var original = Stored();
        var random = new Random(2026);
        int refused = 0, read = 0;
        long largest = 0;
        var reasons = new Dictionary<string, int>();
        var started = System.Diagnostics.Stopwatch.StartNew();
        for (int trial = 0; trial < 4000; trial++)
        {
            var bytes = Mutate(original, random);
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                var stored = NetworkRecord.FromBytes(bytes);
                read++;
                // A record that reads is whole: its numbers fill the bytes exactly and are all finite.
                long values = stored.Network.Layout.Layers.Sum(LayerKinds.StoredValues);
                Assert.True(values * sizeof(float) < bytes.Length, $"trial {trial}: {values} numbers from {bytes.Length} bytes");
                foreach (var layer in stored.Network.Layers)
                    foreach (var block in layer.StoredBlocks)
                        Assert.All(block.ToArray(), v => Assert.True(float.IsFinite(v), $"trial {trial}: a number that is not finite"));
            }
            catch (InvalidDataException e)
            {
                refused++;
                Assert.StartsWith("The model's network data", e.Message.Replace("This model was made by a newer version", "The model's network data"));
                string reason = e.Message.Length > 60 ? e.Message[..60] : e.Message;
                reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
            }
            // Nothing in proportion to a size the bytes cannot back: a few copies of the record at most.
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            largest = Math.Max(largest, allocated);
            Assert.True(allocated < 64 * 1024 + 16L * bytes.Length, $"trial {trial}: {allocated:N0} bytes allocated for a record of {bytes.Length:N0}");
        }
        output.WriteLine($"{refused} refused, {read} read, largest allocation {largest:N0} bytes (record {original.Length:N0} bytes), {started.Elapsed.TotalSeconds:F1} s");
        foreach (var (reason, count) in reasons.OrderByDescending(r => r.Value).Take(12)) output.WriteLine($"{count,5} {reason}");
        Assert.Equal(4000, refused + read);
        Assert.True(refused > 1000, "the mutations should mostly damage the structure");
    }

    [Theory]
    [InlineData(14, 0)]
    [InlineData(14, -8)]
    [InlineData(14, int.MaxValue)]
    [InlineData(18, int.MaxValue)]
    [InlineData(8, int.MaxValue)]
    public void A_size_out_of_range_is_refused_before_anything_is_allocated(int offset, int size)
    {
        // Magic (4 bytes), version (4), layer count (4), then per layer its kind (1), activation (1), inputs (4), outputs (4).
        var bytes = Stored();
        BitConverter.GetBytes(size).CopyTo(bytes, offset);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => NetworkRecord.FromBytes(bytes));
        output.WriteLine(e.Message);
        Assert.StartsWith("The model's network data", e.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024);
    }

    [Theory]
    [InlineData(50_000_000)]
    [InlineData(500_000_000)]
    public void Legal_sizes_that_declare_far_more_numbers_than_the_record_holds_are_refused_before_any_layer_is_built(int hidden)
    {
        // The hidden layer of the 4-8-3 network declared `hidden` wide on both sides (after the standardization and the
        // scaling layers, the first dense layer's outputs at offset 38, the second's inputs at 44): a consistent shape of
        // hundreds of millions of numbers behind a payload of a few hundred bytes.
        var bytes = Stored();
        BitConverter.GetBytes(hidden).CopyTo(bytes, 38);
        BitConverter.GetBytes(hidden).CopyTo(bytes, 44);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => NetworkRecord.FromBytes(bytes));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"{allocated:N0} bytes allocated: {e.Message}");
        Assert.StartsWith("The model's network data", e.Message);
        Assert.DoesNotContain("not a layer this engine builds", e.Message); // refused for its size, not for a shape the test broke
        Assert.True(allocated < 64 * 1024, $"{allocated:N0} bytes allocated before the refusal");
    }

    /// <summary>One to four damages: a byte set at random, an int32 field set to an extreme, bytes cut or added.</summary>
    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = (byte[])original.Clone();
        int damages = random.Next(1, 5);
        for (int d = 0; d < damages; d++)
        {
            switch (random.Next(5))
            {
                case 0:
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                    break;
                case 1:
                    // Header fields (count, shapes' widths, scaling count) are int32s in the first bytes.
                    int offset = random.Next(Math.Min(bytes.Length - 4, 80));
                    int[] extremes = [0, -8, 1, 2, int.MaxValue, int.MinValue, 1 << 20, 65_536, 3];
                    BitConverter.GetBytes(extremes[random.Next(extremes.Length)]).CopyTo(bytes, offset);
                    break;
                case 2:
                    float[] numbers = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, 0];
                    BitConverter.GetBytes(numbers[random.Next(numbers.Length)]).CopyTo(bytes, random.Next(bytes.Length - 4));
                    break;
                case 3:
                    bytes = bytes[..random.Next(bytes.Length)];
                    if (bytes.Length < 8) return bytes;
                    break;
                default:
                    bytes = [.. bytes, .. new byte[random.Next(1, 64)]];
                    break;
            }
        }
        return bytes;
    }
}
