using System.Runtime.InteropServices;
using MlNetBackprop.Network.Inputs;
using MlNetBackprop.Network.Optimizers;
using MlNetBackprop.Network.Training;

namespace MlNetBackprop.Network.Storage;

/// <summary>
/// A <see cref="Checkpoint"/> as little-endian bytes, stored beside the network it belongs to: the update rule's step
/// count and blocks, the examples seen, the learning rate reached, and the input standardization with the first layer
/// as training left it.
/// </summary>
internal static class CheckpointSerializer
{
    private const int Version = 1;

    public static byte[] ToBytes(Checkpoint checkpoint)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Checkpoints are written on little-endian machines only.");
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(Version);
            var optimizer = checkpoint.Resume.Optimizer;
            writer.Write(optimizer.Steps);
            writer.Write(optimizer.Blocks.Length);
            foreach (var block in optimizer.Blocks) WriteFloats(writer, block);
            writer.Write(checkpoint.Resume.ExamplesSeen);
            writer.Write(checkpoint.Resume.LearningRate);
            writer.Write(checkpoint.Inputs is not null);
            if (checkpoint.Inputs is { } inputs)
            {
                writer.Write(inputs.InputSize);
                writer.Write(MemoryMarshal.AsBytes(inputs.Mean));
                writer.Write(MemoryMarshal.AsBytes(inputs.Scale));
                WriteFloats(writer, checkpoint.StandardizedWeights ?? []);
                WriteFloats(writer, checkpoint.StandardizedBiases ?? []);
            }
        }
        return stream.ToArray();
    }

    public static Checkpoint FromBytes(byte[] bytes)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes));
            int version = reader.ReadInt32();
            if (version != Version)
                throw NetworkSerializer.Newer($"training checkpoint v{version}, which this version does not know");
            int steps = reader.ReadInt32();
            int count = reader.ReadInt32();
            if (count < 0 || count > 2 * NetworkSerializer.MaxLayers * 2)
                throw new InvalidDataException($"The model's training checkpoint is damaged: {count} blocks.");
            var blocks = new float[count][];
            for (int i = 0; i < count; i++) blocks[i] = ReadFloats(reader);
            var resume = new ResumeState(new OptimizerState<float>(steps, blocks), reader.ReadInt64(), reader.ReadDouble());
            if (!reader.ReadBoolean()) return new Checkpoint(resume, null, null, null);
            int inputs = reader.ReadInt32();
            if (inputs < 0) throw new InvalidDataException("The model's training checkpoint is damaged: a negative input count.");
            var mean = ReadDoubles(reader, inputs);
            var scale = ReadDoubles(reader, inputs);
            return new Checkpoint(resume, InputStandardization.From(mean, scale), ReadFloats(reader), ReadFloats(reader));
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The model's training checkpoint is truncated.", e);
        }
    }

    private static void WriteFloats(BinaryWriter writer, float[] values)
    {
        writer.Write(values.Length);
        writer.Write(MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private static float[] ReadFloats(BinaryReader reader)
    {
        int length = reader.ReadInt32();
        if (length < 0 || (long)length * sizeof(float) > reader.BaseStream.Length - reader.BaseStream.Position)
            throw new InvalidDataException($"The model's training checkpoint is damaged: a block of {length} values.");
        var values = new float[length];
        if (reader.Read(MemoryMarshal.AsBytes(values.AsSpan())) != length * sizeof(float)) throw new EndOfStreamException();
        return values;
    }

    private static double[] ReadDoubles(BinaryReader reader, int length)
    {
        if ((long)length * sizeof(double) > reader.BaseStream.Length - reader.BaseStream.Position)
            throw new InvalidDataException($"The model's training checkpoint is damaged: {length} inputs.");
        var values = new double[length];
        if (reader.Read(MemoryMarshal.AsBytes(values.AsSpan())) != length * sizeof(double)) throw new EndOfStreamException();
        return values;
    }
}
