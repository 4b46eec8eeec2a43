using Xunit;
using Xunit.Abstractions;

namespace MlNetBackprop.Tests;

/// <summary>What users see of the assembly: the API, and no plumbing.</summary>
public sealed class PublicSurfaceTests(ITestOutputHelper output)
{
    /// <summary>The public API a user programs against; a type made public (or no longer so) must be added here on purpose.</summary>
    private static readonly string[] Api =
    [
        "MlNetBackprop.BackpropCatalog",
        "MlNetBackprop.BackpropTask",
        "MlNetBackprop.BackpropTrainer",
        "MlNetBackprop.BackpropTrainer+Options",
        "MlNetBackprop.BackpropTransformer",
        "MlNetBackprop.ClassWeighting",
        "MlNetBackprop.CostFunction",
        "MlNetBackprop.CrossValidationFold`1",
        "MlNetBackprop.EpochReport",
        "MlNetBackprop.GradientCheckReport",
        "MlNetBackprop.HiddenActivation",
        "MlNetBackprop.LearningRateSchedule",
        "MlNetBackprop.MultiLabelClassificationMetrics",
        "MlNetBackprop.MultiOutputCatalog",
        "MlNetBackprop.MultiOutputRegressionMetrics",
        "MlNetBackprop.MulticlassOutput",
        "MlNetBackprop.NetworkParameters",
        "MlNetBackprop.OnnxCatalog",
        "MlNetBackprop.Solver",
        "MlNetBackprop.TrainingProgress",
        "MlNetBackprop.TrainingSummary",
        "MlNetBackprop.WeightInitialization",
    ];

    [Fact]
    public void The_public_types_are_the_API_and_nothing_else()
    {
        // The scoring chain's row types and factories are internal: ML.NET reaches them through reflection (the saved
        // model loads in a fresh process: PersistenceTests).
        var exported = typeof(BackpropTrainer).Assembly.GetExportedTypes();
        foreach (var type in exported.OrderBy(t => t.FullName)) output.WriteLine(type.FullName);
        Assert.Equal(Api, exported.Select(t => t.FullName!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_public_API_file_lists_the_API_users_write_and_no_more_than_400_lines()
    {
        string file = Path.Combine(TestData.RepositoryRoot(), "src", "MlNetBackprop", "PublicAPI.Unshipped.txt");
        var lines = File.ReadAllLines(file);
        output.WriteLine($"{lines.Length} lines");
        Assert.InRange(lines.Length, 50, 400);
        Assert.DoesNotContain(lines, l => l.Contains("Internal", StringComparison.Ordinal) || l.Contains("Scoring.", StringComparison.Ordinal));
    }
}
