using System.ComponentModel;
using System.Reflection;
using Xunit;
using Xunit.Abstractions;

namespace MlNetBackprop.Tests;

/// <summary>What users see of the assembly: the API, and the scoring plumbing kept out of sight.</summary>
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
        "MlNetBackprop.EpochReport",
        "MlNetBackprop.GradientCheckReport",
        "MlNetBackprop.HiddenActivation",
        "MlNetBackprop.LearningRateSchedule",
        "MlNetBackprop.MulticlassOutput",
        "MlNetBackprop.NetworkParameters",
        "MlNetBackprop.OnnxCatalog",
        "MlNetBackprop.Solver",
        "MlNetBackprop.TrainingProgress",
        "MlNetBackprop.TrainingSummary",
        "MlNetBackprop.WeightInitialization",
    ];

    [Fact]
    public void The_public_types_are_the_API_and_the_scoring_plumbing_is_hidden()
    {
        var exported = typeof(BackpropTrainer).Assembly.GetExportedTypes();
        foreach (var type in exported.OrderBy(t => t.FullName)) output.WriteLine(type.FullName);
        bool Hidden(Type t) => t.GetCustomAttribute<EditorBrowsableAttribute>()?.State == EditorBrowsableState.Never;

        // ML.NET's CustomMapping builds its getters from public members, so the row types and factories of the saved
        // scoring chain are public: in MlNetBackprop.Internal, and hidden from IntelliSense.
        var plumbing = exported.Where(t => t.Namespace == "MlNetBackprop.Internal").ToArray();
        Assert.NotEmpty(plumbing);
        Assert.All(plumbing, t => Assert.True(Hidden(t) || t.IsNested && Hidden(t.DeclaringType!), $"{t.FullName} is browsable"));

        var visible = exported.Where(t => t.Namespace != "MlNetBackprop.Internal").Select(t => t.FullName!).Order(StringComparer.Ordinal);
        Assert.Equal(Api, visible);
    }
}
