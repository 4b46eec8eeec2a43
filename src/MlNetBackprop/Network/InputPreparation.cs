namespace MlNetBackprop.Network;

/// <summary>
/// The parameter-free and diagonal layers a network puts in front of its fully connected ones, in this order: a column
/// selection of sparse rows (<paramref name="Selected"/> columns kept, 0 for none), a standardization (smoothly clipped
/// when <paramref name="Clipped"/>), a piecewise-linear encoding (<paramref name="Bins"/> bins in all, 0 for none) and a
/// scaling layer.
/// </summary>
internal sealed record InputPreparation(int Selected = 0, bool Standardized = false, bool Clipped = false, int Bins = 0, bool Scaled = false)
{
    /// <summary>No layer in front: the first fully connected layer reads the features as they come.</summary>
    public static InputPreparation None { get; } = new();
}
