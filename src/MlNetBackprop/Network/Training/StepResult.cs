namespace MlNetBackprop.Network.Training;

/// <summary>What a training step measured: Σₓ sₓCₓ over the training rows, the rows classified right, and whether the rule has converged.</summary>
/// <param name="CostSum">The weighted cost summed over the rows (without the L2 term).</param>
/// <param name="Correct">The rows the network put in their class (classification).</param>
/// <param name="Converged">Whether the rule has nothing more to gain (L-BFGS's gradient or cost stopped moving); training then ends.</param>
internal readonly record struct StepResult(double CostSum, long Correct, bool Converged);
