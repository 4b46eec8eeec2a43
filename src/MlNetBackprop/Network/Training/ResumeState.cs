using MlNetBackprop.Network.Optimizers;

namespace MlNetBackprop.Network.Training;

/// <summary>
/// What training carries from epoch to epoch besides the weights: the update rule's state, the examples seen (the
/// inverse-scaling schedule counts them) and the learning rate it reached. With the same seed, epoch k shuffles and
/// drops out from a generator of its own (<see cref="MiniBatchSgd{T}.EpochSeed"/>), so this is all a resumed run needs.
/// </summary>
internal sealed record ResumeState(OptimizerState<float> Optimizer, long ExamplesSeen, double LearningRate);
