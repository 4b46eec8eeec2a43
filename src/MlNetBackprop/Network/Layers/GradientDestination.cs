using System.Numerics;

namespace MlNetBackprop.Network.Layers;

/// <summary>
/// Where one parameter block's ∂C/∂θ lands: into <paramref name="Memory"/> as it is (<paramref name="Update"/> null: the
/// block's gradient), or as <c>Memory → β·Memory + α·∂C/∂θ</c> (the block's values, moved by a step).
/// </summary>
/// <param name="Memory">The gradient or the values, laid out like the block.</param>
/// <param name="Update">α and β of a step taken in place; null when the gradient is written out.</param>
/// <param name="Touched">
/// For a gradient of a block changed by rows: the set to list the rows the batch reaches in (rows not listed must be
/// left zero); null otherwise.
/// </param>
internal readonly record struct GradientDestination<T>(Memory<T> Memory, (T Alpha, T Beta)? Update, TouchedRows? Touched)
    where T : unmanaged, IFloatingPointIeee754<T>;
