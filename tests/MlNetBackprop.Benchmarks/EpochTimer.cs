using System.Globalization;

namespace MlNetBackprop.Benchmarks;

/// <summary>
/// Times warm epochs of one <see cref="EpochBenchmarks"/> configuration in this process and prints the median, the
/// fastest and the first: quick enough to alternate two builds in fresh processes when comparing a change (the machine
/// is shared, so paired runs say more than one long one). <c>time-epochs hidden batch threads solver</c>.
/// </summary>
internal static class EpochTimer
{
    public static int Run(string[] args)
    {
        var b = new EpochBenchmarks
        {
            Hidden = int.Parse(args[1], CultureInfo.InvariantCulture), Batch = int.Parse(args[2], CultureInfo.InvariantCulture),
            Threads = int.Parse(args[3], CultureInfo.InvariantCulture), Solver = args[4],
        };
        b.Setup();
        var times = new List<double>();
        double first = 0;
        for (int i = 0; i < 18; i++)
        {
            b.NewNetwork();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            b.Epoch();
            if (i == 0) first = clock.Elapsed.TotalMilliseconds;
            if (i >= 3) times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"MEDIAN {times[times.Count / 2]:F2} MIN {times[0]:F2} FIRST {first:F2}"));
        return 0;
    }
}
