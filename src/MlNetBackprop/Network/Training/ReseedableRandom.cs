namespace MlNetBackprop.Network.Training;

/// <summary>
/// A random generator (SplitMix64) that is reseeded in place: each epoch's shuffle and dropout draw from one reseeded
/// from the run's seed and the epoch's number (<see cref="MiniBatchSgd{T}.EpochSeed"/>), so that a resumed run draws
/// what an unbroken one does, and an epoch allocates no generator.
/// </summary>
internal sealed class ReseedableRandom : Random
{
    private ulong _state;

    public ReseedableRandom(int seed) : base(0) => Reseed(seed);

    /// <summary>Starts the sequence of <paramref name="seed"/> again.</summary>
    public void Reseed(int seed) => _state = (ulong)(uint)seed * 0x9E3779B97F4A7C15UL;

    private ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public override int Next() => (int)(NextUInt64() >> 33);

    /// <summary>A value in [0, <paramref name="maxValue"/>): the high 32 bits scaled (a bias below maxValue/2³², nothing a shuffle notices).</summary>
    public override int Next(int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return (int)(((NextUInt64() >> 32) * (ulong)maxValue) >> 32);
    }

    public override int Next(int minValue, int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        return minValue + (int)(((NextUInt64() >> 32) * (ulong)((long)maxValue - minValue)) >> 32);
    }

    public override double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    protected override double Sample() => NextDouble();

    public override void NextBytes(Span<byte> buffer)
    {
        for (int i = 0; i < buffer.Length; i++) buffer[i] = (byte)(NextUInt64() >> 56);
    }

    public override void NextBytes(byte[] buffer) => NextBytes(buffer.AsSpan());
}
