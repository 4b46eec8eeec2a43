using MlNetBackprop.Network.Inputs;

namespace MlNetBackprop.Network.Training;

/// <summary>
/// Everything a continued run needs to train on as if the first had never stopped: the loop's state
/// (<see cref="ResumeState"/>) and, when the features were standardized, the standardization and the first layer as
/// training left it, before it was folded to read the features as they come (folding and unfolding again would round).
/// </summary>
internal sealed record Checkpoint(ResumeState Resume, InputStandardization? Inputs, float[]? StandardizedWeights, float[]? StandardizedBiases);
