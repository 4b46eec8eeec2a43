using System.Numerics;

namespace MlNetBackprop.Network.Optimizers;

/// <summary>What an update rule carries from step to step: its per-parameter blocks (velocities; Adam's m then v) and its step count.</summary>
internal sealed record OptimizerState<T>(int Steps, Memory<T>[] Blocks) where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The state of a rule that keeps none (plain SGD).</summary>
    public static OptimizerState<T> None { get; } = new(0, []);
}
