using System.Numerics;

namespace MlNetBackprop.Network.Training;

/// <summary>
/// Chooses between two networks trained on the same split by their costs on the same validation examples. The
/// challenger replaces the incumbent only when its mean cost is lower by more than one standard error of the paired
/// differences (Breiman's one-standard-error rule): on a few hundred rows a validation loss differs by chance, and a
/// lower figure alone would trade a simpler network for noise.
/// </summary>
internal static class ModelSelection
{
    /// <summary>
    /// The mean of the per-example differences incumbent − challenger and its standard error (the sample standard
    /// deviation over √n); both zero for fewer than two examples.
    /// </summary>
    public static (double Mean, double StandardError) PairedDifference(ReadOnlySpan<double> incumbent, ReadOnlySpan<double> challenger)
    {
        if (incumbent.Length != challenger.Length)
            throw new ArgumentException($"The two networks were evaluated on {incumbent.Length} and {challenger.Length} examples; a paired comparison needs the same ones.", nameof(challenger));
        int n = incumbent.Length;
        if (n < 2) return (0, 0);
        double mean = 0;
        for (int i = 0; i < n; i++) mean += incumbent[i] - challenger[i];
        mean /= n;
        double squares = 0;
        for (int i = 0; i < n; i++)
        {
            double d = incumbent[i] - challenger[i] - mean;
            squares += d * d;
        }
        return (mean, Math.Sqrt(squares / (n - 1) / n));
    }

    /// <summary>True when the challenger's mean cost is lower than the incumbent's by more than one standard error.</summary>
    public static bool ChallengerWins(ReadOnlySpan<double> incumbent, ReadOnlySpan<double> challenger)
    {
        var (mean, standardError) = PairedDifference(incumbent, challenger);
        return mean > standardError;   // false for NaN, and for fewer than two examples (both 0)
    }

    /// <summary>
    /// True when <paramref name="challenger"/> beats <paramref name="incumbent"/> on <paramref name="validation"/> by
    /// the one-standard-error rule; also gives both mean costs (without any L2 term) for the log.
    /// </summary>
    public static (bool ChallengerWins, double IncumbentCost, double ChallengerCost) Compare<T>(FeedForwardNetwork<T> incumbent,
        FeedForwardNetwork<T> challenger, TrainingSet<T> validation) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var evaluator = new Evaluator<T>(validation, 1024);
        var workspace = new Workspace<T>();
        workspace.EnsureFits(incumbent, evaluator.BatchRows);
        double[] incumbentCosts = evaluator.RowCosts(incumbent, workspace);
        workspace.EnsureFits(challenger, evaluator.BatchRows);
        double[] challengerCosts = evaluator.RowCosts(challenger, workspace);
        return (ChallengerWins(incumbentCosts, challengerCosts), Mean(incumbentCosts), Mean(challengerCosts));
    }

    private static double Mean(double[] costs) => costs.Length == 0 ? 0 : costs.Average();
}
