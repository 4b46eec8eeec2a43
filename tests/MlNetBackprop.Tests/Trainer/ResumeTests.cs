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
        BackpropTrainer.Options Options(int epochs) => new()
        {
            HiddenLayerSizes = [24], Epochs = epochs, Solver = solver, Momentum = momentum, DropoutRate = 0.2, Seed = 5,
            EarlyStopping = false, LearningRateSchedule = solver == Solver.Adam ? LearningRateSchedule.Constant : LearningRateSchedule.InverseScaling,
            LearningRate = solver == Solver.Adam ? 0.003 : 0.1,
        };
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
    }
}
