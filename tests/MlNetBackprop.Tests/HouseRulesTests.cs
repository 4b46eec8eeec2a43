using System.Text.RegularExpressions;
using Xunit;

namespace MlNetBackprop.Tests;

/// <summary>
/// The architecture's measurable rules, checked on the sources: the mathematics (src/MlNetBackprop/Network) knows nothing
/// of ML.NET, the ML.NET plumbing (src/MlNetBackprop/MlNet) computes nothing of the mathematics, and no hand-written file
/// holds more than one idea's worth of code.
/// </summary>
public sealed partial class HouseRulesTests
{
    private static readonly string Source = Path.Combine(TestData.RepositoryRoot(), "src", "MlNetBackprop");

    private static IEnumerable<string> Files(string folder) => Directory.EnumerateFiles(Path.Combine(Source, folder), "*.cs", SearchOption.AllDirectories)
        .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));

    private static string Relative(string file) => Path.GetRelativePath(Source, file);

    [Fact]
    public void The_mathematics_uses_no_MLNET_type()
    {
        var offenders = Files("Network").Where(f => File.ReadAllText(f).Contains("Microsoft.ML", StringComparison.Ordinal)).Select(Relative).ToArray();
        Assert.NotEmpty(Files("Network"));
        Assert.Empty(offenders);
    }

    [Fact]
    public void The_MLNET_plumbing_calls_no_math_function()
    {
        var offenders = Files("MlNet").SelectMany(f => File.ReadLines(f).Select((line, i) => (f, line, i)))
            .Where(x => MathCall().IsMatch(x.line) && !x.line.TrimStart().StartsWith("//", StringComparison.Ordinal))
            .Select(x => $"{Relative(x.f)}:{x.i + 1}: {x.line.Trim()}").ToArray();
        Assert.Empty(offenders);
    }

    [Fact]
    public void No_hand_written_source_file_is_over_300_lines()
    {
        // No checked-in generated files remain (the multiclass row types are written at build time).
        var offenders = Files(".")
            .Select(f => (File: Relative(f), Lines: File.ReadLines(f).Count())).Where(x => x.Lines > 300).Select(x => $"{x.File}: {x.Lines} lines").ToArray();
        Assert.Empty(offenders);
    }

    [GeneratedRegex(@"\bMathF?\.")]
    private static partial Regex MathCall();
}
