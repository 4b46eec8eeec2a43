namespace MlNetBackprop;

/// <summary>Progress within an epoch, reported about a hundred times per epoch through <see cref="BackpropTrainer.Options.BatchProgress"/>.</summary>
public sealed record TrainingProgress
{
    /// <summary>The 1-based epoch under way.</summary>
    public required int Epoch { get; init; }

    /// <summary>
    /// The number of the last epoch training will run (at most: early stopping may end it sooner). It is a count only
    /// for a fresh run: a warm start continuing from epoch 3 for 3 more epochs reports epochs 4 to 6 and 6 here.
    /// </summary>
    public required int Epochs { get; init; }

    /// <summary>Training examples processed so far in this epoch.</summary>
    public required int ExamplesDone { get; init; }

    /// <summary>Training examples per epoch.</summary>
    public required int ExamplesPerEpoch { get; init; }

    /// <summary>The mean cost of this epoch's examples so far (without the L2 term).</summary>
    public required double RunningLoss { get; init; }
}
