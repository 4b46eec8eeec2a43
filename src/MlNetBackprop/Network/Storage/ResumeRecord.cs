using MlNetBackprop.Network.Optimizers;
using MlNetBackprop.Network.Training;

namespace MlNetBackprop.Network.Storage;

/// <summary>
/// A <see cref="ResumeState"/> as stored bytes, a record of its own beside the network's (scoring never reads it); format
/// 1. Little-endian: the version, the update rule's step count and block count, each block as its length and its
/// float32s, the examples seen and the learning rate reached, nothing after.
/// </summary>
internal static class ResumeRecord
{
    /// <summary>The record's kind in its text.</summary>
    public const string Kind = "ResumeState";

    /// <summary>The format this version writes, and the newest it reads.</summary>
    public const int Version = 1;

    private const string What = "resume state";

    /// <summary>The state as text.</summary>
    public static string ToText(ResumeState state)
    {
        var blocks = state.Optimizer.Blocks;
        long length = 3 * sizeof(int) + blocks.Sum(b => sizeof(int) + (long)b.Length * sizeof(float)) + sizeof(long) + sizeof(double);
        var writer = new ByteWriter(length);
        writer.Int32(Version);
        writer.Int32(state.Optimizer.Steps);
        writer.Int32(blocks.Length);
        foreach (var block in blocks)
        {
            writer.Int32(block.Length);
            writer.Singles(block.Span);
        }
        writer.Int64(state.ExamplesSeen);
        writer.Double(state.LearningRate);
        return RecordText.Wrap(Kind, Version, writer.Bytes);
    }

    /// <summary>
    /// The state in <paramref name="text"/>, for a network of <paramref name="parameterBlocks"/> blocks holding
    /// <paramref name="parameterValues"/> numbers (a state holds at most two per number: Adam's m and v); throws
    /// <see cref="InvalidDataException"/> for anything else.
    /// </summary>
    public static ResumeState FromText(ReadOnlySpan<char> text, int parameterBlocks, long parameterValues)
    {
        // At most two states per parameter (Adam's moments) and a small header per block: a longer text cannot be one
        // of this network's, and is refused before its base64 is decoded.
        long mostBytes = 64 + (2L * parameterBlocks) * 16 + 2 * parameterValues * sizeof(float);
        if (text.Length > 256 + (mostBytes + 2) / 3 * 4)
            throw new InvalidDataException($"The model's {What} is damaged: {text.Length:N0} characters, more than a state of this network's {parameterValues:N0} parameters takes.");
        var (version, bytes) = RecordText.Unwrap(text, Kind, Version);
        var reader = new ByteReader(bytes, What);
        if (reader.Int32() != version)
            throw new InvalidDataException($"The model's {What} is damaged: its versions disagree.");
        int steps = reader.Int32();
        int count = reader.Int32();
        if (steps < 0 || count < 0 || count > 2 * parameterBlocks)
            throw new InvalidDataException($"The model's {What} is damaged: {count} blocks after {steps} steps, for a network of {parameterBlocks} parameter blocks.");
        var blocks = new Memory<float>[count];
        long total = 0;
        for (int i = 0; i < count; i++)
        {
            int length = reader.Int32();
            total += length;
            if (length < 0 || (long)length * sizeof(float) > reader.Remaining || total > 2 * parameterValues)
                throw new InvalidDataException($"The model's {What} is damaged: block {i} claims {length:N0} numbers.");
            var block = new float[length];
            reader.Singles(block);
            if (block.Any(v => !float.IsFinite(v)))
                throw new InvalidDataException($"The model's {What} is damaged: block {i} holds a NaN or infinite number.");
            blocks[i] = block;
        }
        long seen = reader.Int64();
        double rate = reader.Double();
        reader.End();
        if (seen < 0 || !(rate > 0) || !double.IsFinite(rate))
            throw new InvalidDataException($"The model's {What} is damaged: {seen} examples seen, learning rate {rate}.");
        return new ResumeState(new OptimizerState<float>(steps, blocks), seen, rate);
    }
}
