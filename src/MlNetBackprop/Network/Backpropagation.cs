using System.Runtime.CompilerServices;
using System.Numerics;
using MlNetBackprop.Network.Kernels;
using MlNetBackprop.Network.Layers;
using MlNetBackprop.Network.Training;

namespace MlNetBackprop.Network;

/// <summary>
/// Chapter 2's backpropagation algorithm over a mini-batch, in matrix form (one example per row). For the batch cost
/// C = Σₓ sₓ·Cₓ / m (sₓ the example's weight, 1 without weights; m the rows) it computes:
/// <list type="bullet">
/// <item>BP1: δᴸ = ∇ₐC ⊙ σ′(zᴸ) (the cost's output error);</item>
/// <item>BP2: δˡ = ((wˡ⁺¹)ᵀδˡ⁺¹) ⊙ σ′(zˡ), layer by layer down;</item>
/// <item>BP3: ∂C/∂bˡⱼ = δˡⱼ and BP4: ∂C/∂wˡⱼₖ = aˡ⁻¹ₖ δˡⱼ, each summed over the batch with the shares sₓ/m.</item>
/// </list>
/// Each layer computes its own share (<see cref="Layer{T}.Backward"/>); the L2 term is not part of C here: it belongs to
/// the update rule (weight decay).
/// </summary>
internal static class Backpropagation
{
    /// <summary>
    /// Backpropagates one mini-batch and lands each parameter's BP3 and BP4 where <paramref name="store"/> says: with
    /// <see cref="GradientStore{T}.Gradients"/> every parameter's <see cref="Parameter{T}.Gradient"/> holds ∂C/∂θ of the
    /// batch cost and the network is left as it was; <see cref="Optimizers.SgdStepStore{T}"/> takes plain SGD's step
    /// instead. Returns Σₓ sₓ·Cₓ (not divided by m), for the caller's running loss. With <paramref name="dropout"/>, the
    /// network is the thinned one its masks describe.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Run<T>(FeedForwardNetwork<T> network, MiniBatch<T> batch, Workspace<T> workspace, GradientStore<T> store,
        DropoutMasks<T>? dropout = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = batch.Rows;
        var targets = batch.Targets;
        var exampleScale = batch.ExampleScale;
        // 1. Input x and 2. feedforward: zˡ and aˡ for every layer, kept for BP2's σ′(zˡ) and BP4's aˡ⁻¹.
        network.FeedForward(batch, workspace, dropout);
        int last = network.LayerCount - 1;
        int width = network.Layout.OutputSize;
        var outputError = workspace.Errors[last].Span[..(rows * width)];

        // 3. Output error, BP1: δᴸ = ∇ₐC ⊙ σ′(zᴸ), one row per example
        network.Cost.OutputError(workspace.OutputWeightedInputs(rows), workspace.Output(rows), targets, outputError, width);
        double batchCost = network.WeightedCostOfOutput(workspace, targets, exampleScale, rows);

        // 4. Backpropagate the error through l = L, L−1, …, 1 (the book's L, …, 2), and 5. the gradient of each layer,
        // down to the lowest layer with parameters: below it no gradient is needed, so no δ either.
        int lowest = network.FirstTrainableLayer;
        for (int l = last; l >= lowest && l >= 0; l--)
        {
            var layer = network.Layers[l];
            ScaleByShare(workspace.Errors[l].Span, exampleScale, rows, layer.OutputSize, workspace.ScaledErrors[l].Span);
            bool errorBelow = l > lowest;
            int count = errorBelow ? rows * network.Layers[l - 1].OutputSize : 0;
            // BP2's product (wˡ)ᵀδˡ, then BP3: ∂C/∂bˡ = Σₓ (sₓ/m)·δˡ and BP4: ∂C/∂wˡ = Σₓ (sₓ/m)·δˡ(aˡ⁻¹)ᵀ, landed by the store.
            layer.Backward(workspace.Errors[l], workspace.ScaledErrors[l], FeedForwardNetwork<T>.InputOf(l, batch.Input, workspace, dropout), rows,
                errorBelow ? workspace.Errors[l - 1][..count] : Memory<T>.Empty, store, workspace.Products);
            if (!errorBelow) continue;
            // BP2: δˡ⁻¹ = ((wˡ)ᵀδˡ) ⊙ σ′(zˡ⁻¹)
            var below = network.Layers[l - 1];
            var deltaBelow = workspace.Errors[l - 1].Span[..count];
            below.Activation.MultiplyByDerivative(workspace.WeightedInputs[l - 1].Span[..count], workspace.Activations[l].Span[..count],
                deltaBelow, below.OutputSize);
            // A dropped neuron passed nothing on, so no error flows back through it (and kept ones were scaled).
            if (dropout?.Masks[l - 1] is { } mask)
                ElementWise.Multiply(deltaBelow, mask.AsSpan(0, count), deltaBelow);
        }
        return batchCost;
    }

    /// <summary>
    /// Each example's δ times its share sₓ/m of the batch cost: the book's 1/m of η/m, and the example weights, which
    /// BP3 and BP4 sum over. The book's δ itself stays as it is for BP2.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScaleByShare<T>(ReadOnlySpan<T> errors, ReadOnlySpan<T> exampleScale, int rows, int width, Span<T> scaled)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T perRow = T.One / T.CreateChecked(rows);
        if (exampleScale.IsEmpty)
        {
            ElementWise.Multiply(errors[..(rows * width)], perRow, scaled[..(rows * width)]);
            return;
        }
        for (int r = 0; r < rows; r++)
            ElementWise.Multiply(errors.Slice(r * width, width), exampleScale[r] * perRow, scaled.Slice(r * width, width));
    }
}
