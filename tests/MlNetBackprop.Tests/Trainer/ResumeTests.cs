using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Xunit;

namespace MlNetBackprop.Tests.Trainer;

/// <summary>Training that stops, is saved and loaded, and goes on, trains the network an unbroken run trains.</summary>
public sealed class ResumeTests
{
    public static TheoryData<Solver, double> Solvers() => new()
    {
        { Solver.Sgd, 0 },
        { Solver.Sgd, 0.9 },
        { Solver.Adam, 0 },
    };

    [Theory]
    [MemberData(nameof(Solvers))]
    public void Three_epochs_saved_loaded_and_three_more_equal_six_bit_for_bit(Solver solver, double momentum)
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Digits(ml, "optdigits.tra");
        data = TestData.DigitsPreparation(ml).Fit(data).Transform(data);
        BackpropTrainer.Options Options(int epochs) => ResumeOptions.For(solver, momentum, epochs);
        var straight = new BackpropTrainer(ml, Options(6)).Fit(data);

        var firstHalf = new BackpropTrainer(ml, Options(3)).Fit(data);
        using var stream = new MemoryStream();
        ml.Model.Save(firstHalf, data.Schema, stream);
        stream.Position = 0;
        var loaded = BackpropTransformer.FromModel(new MLContext().Model.Load(stream, out _));
        var resumed = new BackpropTrainer(ml, Options(3)).Fit(data, null, loaded);

        Assert.Equal(Enumerable.Range(1, 6), resumed.History.Select(h => h.Epoch));
        Assert.Equal(straight.History.Select(h => h.Loss), resumed.History.Select(h => h.Loss));
        for (int l = 0; l < straight.Model.LayerCount; l++)
        {
            Assert.Equal(straight.Model.GetWeights(l).ToArray(), resumed.Model.GetWeights(l).ToArray());
            Assert.Equal(straight.Model.GetBiases(l).ToArray(), resumed.Model.GetBiases(l).ToArray());
        }

        // In memory, without the save, the same.
        var inMemory = new BackpropTrainer(ml, Options(3)).Fit(data, null, firstHalf);
        Assert.Equal(straight.Model.GetWeights(0).ToArray(), inMemory.Model.GetWeights(0).ToArray());

        // And in a fresh process: it loads the 3-epoch model, trains 3 more epochs and saves them.
        string dir = Path.Combine(Path.GetTempPath(), "resume-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string model = Path.Combine(dir, "three.zip"), rows = Path.Combine(dir, "digits.idv"), continued = Path.Combine(dir, "six.zip");
            ml.Model.Save(firstHalf, data.Schema, model);
            using (var file = File.Create(rows)) ml.Data.SaveAsBinary(data, file);
            var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "MlNetBackprop.ScoringHelper.dll"), "resume", model, rows, continued,
                solver.ToString(), momentum.ToString(CultureInfo.InvariantCulture) })
                start.ArgumentList.Add(arg);
            using var process = Process.Start(start)!;
            string errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"helper failed: {errors}");
            var fresh = BackpropTransformer.FromModel(new MLContext().Model.Load(continued, out _));
            Assert.Equal(Enumerable.Range(1, 6), fresh.History.Select(h => h.Epoch));
            for (int l = 0; l < straight.Model.LayerCount; l++)
            {
                Assert.Equal(straight.Model.GetWeights(l).ToArray(), fresh.Model.GetWeights(l).ToArray());
                Assert.Equal(straight.Model.GetBiases(l).ToArray(), fresh.Model.GetBiases(l).ToArray());
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
