namespace MlNetBackprop.Network.Training;

/// <summary>How training data is held within a memory budget: whole in memory, or streamed through a shuffle buffer.</summary>
internal static class MemoryBudget
{
    /// <summary>Whether <paramref name="rows"/> rows of <paramref name="bytesPerRow"/> bytes fit in <paramref name="budgetBytes"/>.</summary>
    public static bool Holds(long rows, long bytesPerRow, long budgetBytes) => rows * bytesPerRow <= budgetBytes;

    /// <summary>
    /// The rows a streaming shuffle buffer holds: half the budget (the other half is the reader's and the network's
    /// headroom), and never fewer than one mini-batch.
    /// </summary>
    public static int ShuffleBufferRows(long budgetBytes, long bytesPerRow, int batchSize)
        => (int)Math.Clamp(budgetBytes / 2 / bytesPerRow, batchSize, int.MaxValue);
}
