using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetBackprop.MlNet.Data;
using Xunit;

namespace MlNetBackprop.Tests.Trainer;

/// <summary>Key labels as users have them: with text KeyValues, with numeric KeyValues, without KeyValues, with names that collide.</summary>
public sealed class LabelClassTests
{
    private static readonly BackpropTrainer.Options Quick = new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, HiddenLayerSizes = [6], Epochs = 5 };

    private static IDataView Reloaded(MLContext ml, ITransformer model, IDataView data)
    {
        string path = Path.Combine(Path.GetTempPath(), $"labels-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, data.Schema, path);
            return ml.Model.Load(path, out _).Transform(data);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_key_without_KeyValues_names_the_classes_by_number()
    {
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 60).Select(i => new KeyRow { Features = [i % 3, (i * 7 % 5) / 5f], Label = (uint)(i % 3 + 1) }).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);
        Assert.False(data.Schema["Label"].HasKeyValues());
        var model = new BackpropTrainer(ml, Quick).Fit(data);
        foreach (var scored in new[] { model.Transform(data), Reloaded(ml, model, data) })
        {
            Assert.Equal(["1", "2", "3"], SchemaAssert.SlotNames(scored.Schema["Score"]));
            Assert.Equal(new KeyDataViewType(typeof(uint), 3), scored.Schema["PredictedLabel"].Type);
            Assert.False(scored.Schema["PredictedLabel"].HasKeyValues());
            Assert.InRange(ml.MulticlassClassification.Evaluate(scored).MicroAccuracy, 0.6, 1);
        }
    }

    [Fact]
    public void Numeric_KeyValues_name_the_slots_as_text_and_come_back_as_numbers()
    {
        var ml = new MLContext(seed: 1);
        var prepare = TestData.DigitsPreparation(ml);
        var raw = TestData.Digits(ml, "optdigits.tes");
        var data = prepare.Fit(raw).Transform(raw);
        var model = new BackpropTrainer(ml, Quick).Fit(data);
        var unmapped = ml.Transforms.Conversion.MapKeyToValue("PredictedDigit", "PredictedLabel");
        foreach (var scored in new[] { model.Transform(data), Reloaded(ml, model, data) })
        {
            Assert.Equal(Enumerable.Range(0, 10).Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order(),
                SchemaAssert.SlotNames(scored.Schema["Score"]).Order());
            var digits = unmapped.Fit(scored).Transform(scored).GetColumn<float>("PredictedDigit").ToArray();
            Assert.All(digits, d => Assert.InRange(d, 0, 9));
            Assert.True(digits.Zip(raw.GetColumn<float>(nameof(DigitRow.Digit))).Count(p => p.First == p.Second) > digits.Length * 0.8);
        }
    }

    [Fact]
    public void Class_names_that_collide_are_made_unique()
    {
        var ml = new MLContext(seed: 1);
        // A key type whose KeyValues hold "a" twice, and an empty name (which is named by its number).
        var keyValues = new DataViewSchema.Annotations.Builder();
        ValueGetter<VBuffer<ReadOnlyMemory<char>>> names = (ref VBuffer<ReadOnlyMemory<char>> value)
            => value = new VBuffer<ReadOnlyMemory<char>>(4, ["a".AsMemory(), "a".AsMemory(), "".AsMemory(), "b".AsMemory()]);
        keyValues.Add("KeyValues", new VectorDataViewType(TextDataViewType.Instance, 4), names);
        var labels = Enumerable.Range(0, 80).Select(i => (uint)(i % 4 + 1)).ToArray();
        var features = Enumerable.Range(0, 80).Select(i => new VBuffer<float>(2, [i % 4 / 3f, (i % 2)])).ToArray();
        var data = new LookupDataView([
            ("Label", new KeyDataViewType(typeof(uint), 4), labels, keyValues.ToAnnotations()),
            ("Features", new VectorDataViewType(NumberDataViewType.Single, 2), features, null),
        ]);
        var model = new BackpropTrainer(ml, Quick).Fit(data);
        foreach (var scored in new[] { model.Transform(data), Reloaded(ml, model, data) })
            Assert.Equal(["a", "a (2)", "3", "b"], SchemaAssert.SlotNames(scored.Schema["Score"]));
    }

    [Fact]
    public void A_column_named_like_a_class_comes_through_scoring_untouched()
    {
        // Classes named "1", "2", "3" (a key without KeyValues) beside a user's column named "2": the slot names of Score
        // are the class names, and the user's column keeps its place and values, in memory and after loading.
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 60).Select(i => new KeyRowWithTwo { Features = [i % 3, (i * 7 % 5) / 5f], Label = (uint)(i % 3 + 1), Two = i }).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = new BackpropTrainer(ml, Quick).Fit(data);
        foreach (var scored in new[] { model.Transform(data), Reloaded(ml, model, data) })
        {
            Assert.Equal(["1", "2", "3"], SchemaAssert.SlotNames(scored.Schema["Score"]));
            Assert.Equal(rows.Select(r => r.Two), scored.GetColumn<float>("2"));
        }
    }

    public sealed class KeyRowWithTwo
    {
        [VectorType(2)] public float[] Features = [];
        [KeyType(3)] public uint Label;
        [ColumnName("2")] public float Two;
    }

    public sealed class KeyRow
    {
        [VectorType(2)] public float[] Features = [];
        [KeyType(3)] public uint Label;
    }
}
