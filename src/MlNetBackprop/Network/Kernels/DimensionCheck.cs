namespace MlNetBackprop.Network.Kernels;

/// <summary>The one guard of the kernels' unchecked reads: a wrong size must fail here, not corrupt memory.</summary>
internal static class DimensionCheck
{
    /// <summary>Throws <see cref="ArgumentException"/> unless the buffers hold what the dimensions say.</summary>
    public static void Require(bool buffersMatchDimensions)
    {
        if (!buffersMatchDimensions)
            throw new ArgumentException("Matrix dimensions do not match the buffers given to the kernel.");
    }
}
