using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;
using Xunit.Abstractions;

namespace MlNetBackprop.Tests.Trainer;

/// <summary>Sparse feature vectors, as FeaturizeText and one-hot encodings make them, through Fit, Transform, Save and Load.</summary>
public sealed class SparseFeatureTests(ITestOutputHelper output)
{
    private const int Slots = 2000;

    public sealed class SparseRow
    {
        [VectorType(Slots)] public VBuffer<float> Features;
        public bool Label;
        [KeyType(3)] public uint Class;
    }

    public sealed class DenseRow
    {
        [VectorType(Slots)] public float[] Features = [];
        public bool Label;
        [KeyType(3)] public uint Class;
    }

    /// <summary>
    /// "Documents" of 2,000 slots with about 15 non-zeros each: the label depends on which of a few marker slots are
    /// present, the rest is noise.
    /// </summary>
    private static SparseRow[] Documents(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var present = new SortedDictionary<int, float>();
            while (present.Count < 14) present[random.Next(10, Slots)] = 1 + random.Next(3);
            int marker = random.Next(3);
            present[marker] = 1;
            if (random.Next(4) == 0) present[3 + random.Next(5)] = 1;
            return new SparseRow
            {
                Features = new VBuffer<float>(Slots, present.Count, present.Values.ToArray(), present.Keys.ToArray()),
                Label = marker == 0, Class = (uint)marker + 1,
            };
        }).ToArray();
    }

    private static DenseRow Densely(SparseRow row)
    {
        var dense = new float[Slots];
        row.Features.CopyTo(dense);
        return new DenseRow { Features = dense, Label = row.Label, Class = row.Class };
    }

    private static float[] AllWeights(BackpropTransformer model)
        => Enumerable.Range(0, model.Model.LayerCount).SelectMany(l => model.Model.GetWeights(l).ToArray().Concat(model.Model.GetBiases(l).ToArray())).ToArray();

    [Theory]
    [InlineData(nameof(SparseRow.Label))]
    [InlineData(nameof(SparseRow.Class))]
    public void Sparse_and_dense_rows_of_the_same_data_train_the_same_model(string label)
    {
        var ml = new MLContext(seed: 1);
        var rows = Documents(400, seed: 2);
        var sparse = ml.Data.LoadFromEnumerable(rows);
        var dense = ml.Data.LoadFromEnumerable(rows.Select(Densely));
        var options = new BackpropTrainer.Options
        { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false,
            LabelColumnName = label, HiddenLayerSizes = [16], Epochs = 1, BatchSize = 10, L2Regularization = 2, Seed = 3, NumberOfThreads = 1,
        };
        var fromSparse = new BackpropTrainer(ml, options).Fit(sparse);
        var fromDense = new BackpropTrainer(ml, options).Fit(dense);
        Assert.True(fromSparse.Model.Network.Layout.SparseInput, "sparse rows should be held and trained sparse");
        Assert.False(fromDense.Model.Network.Layout.SparseInput, "dense rows should stay dense");

        // Per layer, the relative difference ‖w_sparse − w_dense‖ / ‖w_dense‖ (each element's, against its own size, is
        // printed too: a weight near zero carries the rounding of its larger neighbours).
        for (int l = 0; l < fromDense.Model.LayerCount; l++)
        {
            var (a, b) = (fromDense.Model.GetWeights(l).ToArray(), fromSparse.Model.GetWeights(l).ToArray());
            double norm = Math.Sqrt(a.Sum(w => (double)w * w));
            double difference = Math.Sqrt(a.Zip(b).Sum(p => ((double)p.First - p.Second) * (p.First - p.Second)));
            double elementwise = a.Zip(b).Max(p => Math.Abs(p.First - p.Second) / (1e-3 + Math.Abs(p.First)));
            output.WriteLine($"{label}, layer {l}: relative difference {difference / norm:E2}, largest of one weight {elementwise:E2}");
            Assert.True(difference / norm < 1e-5, $"layer {l}: weights differ by {difference / norm:E2}");
            Assert.True(elementwise < 1e-4, $"layer {l}: a weight differs by {elementwise:E2}");
        }

        // Both score the same, each on its own form of rows.
        float[] Scores(ITransformer model, IDataView data) => label == nameof(SparseRow.Label)
            ? model.Transform(data).GetColumn<float>("Score").ToArray()
            : TestData.Vectors(model.Transform(data), "Score").SelectMany(v => v).ToArray();
        var scoresSparse = Scores(fromSparse, sparse);
        var scoresDense = Scores(fromDense, dense);
        Assert.Equal(scoresDense.Length, scoresSparse.Length);
        Assert.All(scoresDense.Zip(scoresSparse), p => Assert.True(Math.Abs(p.First - p.Second) < 1e-4, $"{p.First} vs {p.Second}"));
    }

    [Fact]
    public void A_sparse_model_learns_saves_and_loads_scoring_the_same()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(Documents(1500, seed: 4));
        var test = ml.Data.LoadFromEnumerable(Documents(500, seed: 5));
        var model = ml.BinaryClassification.Trainers.Backprop(new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, HiddenLayerSizes = [20], Epochs = 10, Seed = 6 }).Fit(train);
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(test));
        output.WriteLine($"sparse binary: accuracy {metrics.Accuracy:F3}, AUC {metrics.AreaUnderRocCurve:F3}");
        Assert.True(metrics.AreaUnderRocCurve > 0.95, $"AUC {metrics.AreaUnderRocCurve}");

        var path = Path.Combine(Path.GetTempPath(), $"sparse-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, train.Schema, path);
            var loaded = ml.Model.Load(path, out _);
            var before = model.Transform(test).GetColumn<float>("Probability").ToArray();
            var after = loaded.Transform(test).GetColumn<float>("Probability").ToArray();
            Assert.Equal(before, after);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Sparse_rows_over_the_budget_are_streamed_sparse_and_train_the_in_memory_weights()
    {
        var ml = new MLContext(seed: 1);
        var messages = new List<string>();
        ml.Log += (_, e) => { lock (messages) messages.Add(e.RawMessage); };
        // 12,000 rows of 15 non-zeros: about 1.5 MB held sparse, over a 1 MB budget (and 96 MB if made dense).
        var data = ml.Data.LoadFromEnumerable(Documents(12_000, seed: 7));
        float[] Weights(int budget) => AllWeights(new BackpropTrainer(ml, new BackpropTrainer.Options
        { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false,
            HiddenLayerSizes = [4], Epochs = 2, BatchSize = 12_000, Seed = 8, MemoryBudgetMegabytes = budget, LearningRate = 0.5,
        }).Fit(data));
        var inMemory = Weights(4096);
        Assert.DoesNotContain(messages, m => m.StartsWith("Streaming"));
        var streamed = Weights(1);
        Assert.Contains(messages, m => m.StartsWith("Streaming the training data: 12,000 rows"));
        double worst = inMemory.Zip(streamed).Max(p => Math.Abs(p.First - p.Second) / (1e-3 + Math.Abs(p.First)));
        output.WriteLine($"streamed sparse: largest relative difference {worst:E2}");
        Assert.True(worst < 1e-4, $"streamed and in-memory weights differ by {worst:E2}");
    }

    [Fact]
    public void The_gradient_check_runs_on_sparse_rows_through_the_selection_of_their_used_columns()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Documents(20, seed: 13));
        var report = new BackpropTrainer(ml, new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, Epochs = 100, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, LabelColumnName = nameof(SparseRow.Class), HiddenLayerSizes = [3], L2Regularization = 1 })
            .CheckGradient(data, rows: 4);
        output.WriteLine($"sparse rows: {report.ParametersChecked} parameters, max relative error per layer {string.Join(", ", report.MaxRelativeErrorPerLayer.Select(e => e.ToString("E2")))}");
        // The four rows use few of the slots: a column selection keeps those, and the first layer's weights are theirs.
        Assert.InRange(report.ParametersChecked, 3 + 3 + 3 * 3 + 3 + 3, Slots * 3 / 2);
        Assert.All(report.MaxRelativeErrorPerLayer, e => Assert.True(e < 1e-4, $"relative error {e:E2}"));
    }

    [Fact]
    public void A_decay_factor_of_zero_trains_sparse_rows_as_it_trains_dense_ones()
    {
        // η·λ/n = 0.5 · 800 / 400 = 1: weight decay (1 − ηλ/n) wipes every weight each step before the gradient lands.
        var ml = new MLContext(seed: 1);
        var rows = Documents(400, seed: 14);
        var options = new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, HiddenLayerSizes = [4], Epochs = 1, L2Regularization = 800, LearningRate = 0.5, Seed = 3, NumberOfThreads = 1 };
        var sparse = AllWeights(new BackpropTrainer(ml, options).Fit(ml.Data.LoadFromEnumerable(rows)));
        var dense = AllWeights(new BackpropTrainer(ml, options).Fit(ml.Data.LoadFromEnumerable(rows.Select(Densely))));
        Assert.All(sparse, w => Assert.True(float.IsFinite(w)));
        Assert.All(dense.Zip(sparse), p => Assert.True(Math.Abs(p.First - p.Second) <= 1e-5 + 1e-4 * Math.Abs(p.First), $"{p.First} vs {p.Second}"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_batch_larger_than_the_data_trains_as_one_batch(bool sparse)
    {
        var ml = new MLContext(seed: 1);
        var rows = Documents(50, seed: 15);
        var data = sparse ? ml.Data.LoadFromEnumerable(rows) : ml.Data.LoadFromEnumerable(rows.Select(Densely));
        var model = new BackpropTrainer(ml, new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, HiddenLayerSizes = [4], Epochs = 2, BatchSize = 1_000_000_000 }).Fit(data);
        Assert.Equal(2, model.History.Count);
    }

    [Fact]
    public void NaN_among_the_non_zeros_skips_the_row_and_is_counted()
    {
        var ml = new MLContext(seed: 1);
        var messages = new List<string>();
        ml.Log += (_, e) => { lock (messages) messages.Add(e.RawMessage); };
        var rows = Documents(50, seed: 9);
        rows[3].Features = new VBuffer<float>(Slots, 2, [1, float.NaN], [4, 70]);
        rows[8].Features = new VBuffer<float>(Slots, 1, [float.PositiveInfinity], [1999]);
        new BackpropTrainer(ml, new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, HiddenLayerSizes = [4], Epochs = 1 }).Fit(ml.Data.LoadFromEnumerable(rows));
        Assert.Contains(messages, m => m.Contains("Skipped 2 of 50 rows: 2 with NaN or infinite features"));
    }

    [Theory]
    [InlineData(new[] { 5, 2000 }, "index 2000 outside its 2000 slots")]
    [InlineData(new[] { 7, 3 }, "index 3 after index 7")]
    [InlineData(new[] { -1, 3 }, "index -1 outside its 2000 slots")]
    public void Sparse_rows_with_bad_indices_are_refused_naming_the_column_and_row(int[] indices, string detail)
    {
        var ml = new MLContext(seed: 1);
        var rows = Documents(20, seed: 10);
        rows[6].Features = new VBuffer<float>(Slots, 2, [1, 2], indices);
        var trainer = new BackpropTrainer(ml, new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, HiddenLayerSizes = [4], Epochs = 1 });
        var e = Assert.Throws<InvalidOperationException>(() => trainer.Fit(ml.Data.LoadFromEnumerable(rows)));
        output.WriteLine(e.Message);
        Assert.Contains("Row 6 of feature column 'Features'", e.Message);
        Assert.Contains(detail, e.Message);
    }

    [Fact]
    public void A_source_without_a_row_count_is_read_once()
    {
        var ml = new MLContext(seed: 1);
        var rows = Documents(3000, seed: 11);
        int delivered = 0;
        IEnumerable<SparseRow> Counted() { foreach (var row in rows) { delivered++; yield return row; } }
        var data = ml.Data.LoadFromEnumerable(Counted());
        Assert.Null(data.GetRowCount());
        new BackpropTrainer(ml, new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, HiddenLayerSizes = [4], Epochs = 3 }).Fit(data);
        output.WriteLine($"{delivered} rows delivered for {rows.Length}");
        // One pass, plus the first rows looked at to choose the form (dense or sparse) the rows are held in; the scoring
        // chain built after training reads a handful more.
        Assert.True(delivered <= rows.Length + 300, $"{delivered} rows were read for {rows.Length}: the data was read more than once");
    }

    [Fact]
    public void Many_classes_are_budgeted_as_one_label_per_row()
    {
        // 3,000 rows of 12 features with 1,000 classes: 168 KB as stored (a float per feature, one label per row), within
        // a 1 MB budget; counting a float per class would make it 12 MB and stream it.
        var ml = new MLContext(seed: 1);
        var messages = new List<string>();
        ml.Log += (_, e) => { lock (messages) messages.Add(e.RawMessage); };
        var random = new Random(12);
        var rows = Enumerable.Range(0, 3000).Select(i => new ManyClasses
        {
            Features = Enumerable.Range(0, 12).Select(_ => (float)random.NextDouble()).ToArray(), Class = (uint)(i % 1000) + 1,
        }).ToArray();
        new BackpropTrainer(ml, new BackpropTrainer.Options { Activation = HiddenActivation.Sigmoid, Solver = Solver.Sgd, BatchSize = 10, WeightInitialization = WeightInitialization.ScaledGaussian, EarlyStopping = false, IterationsWithoutImprovement = 10, StandardizeFeatures = false, LabelColumnName = nameof(ManyClasses.Class), HiddenLayerSizes = [4], Epochs = 1, MemoryBudgetMegabytes = 1 })
            .Fit(ml.Data.LoadFromEnumerable(rows));
        Assert.DoesNotContain(messages, m => m.StartsWith("Streaming"));
    }

    public sealed class ManyClasses
    {
        [VectorType(12)] public float[] Features = [];
        [KeyType(1000)] public uint Class;
    }

    [Fact]
    public void A_feature_vector_of_unknown_size_is_refused_in_ML_NET_s_words()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new VariableRow { Features = [1, 2], Label = true }, new VariableRow { Features = [3], Label = false } });
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new BackpropTrainer(ml).Fit(data));
        Assert.Contains("Schema mismatch for feature column 'Features': expected known-size vector of Single, got Vector<Single>", e.Message);
    }

    public sealed class VariableRow
    {
        public float[] Features = [];
        public bool Label;
    }
}

/// <summary>Where rows that come sparse are held dense.</summary>
public sealed class NarrowSparseRowTests
{
    public sealed class OneHotRow
    {
        [VectorType(40)] public VBuffer<float> Features;
        public bool Label;
    }

    [Fact]
    public void Narrow_rows_that_come_sparse_are_held_dense_and_standardized()
    {
        // A table's one-hot columns beside its numbers: 40 slots, 3 non-zeros, sparse as OneHotEncoding delivers them.
        var random = new Random(3);
        var rows = Enumerable.Range(0, 300).Select(_ =>
        {
            int a = random.Next(20), b = 20 + random.Next(19);
            return new OneHotRow
            {
                Features = new VBuffer<float>(40, 3, [1, 1, (float)(random.NextDouble() * 50 + 100)], [a, b, 39]),
                Label = a < 10 != b < 30,
            };
        }).ToList();
        var ml = new MLContext(seed: 1);
        var messages = new List<string>();
        ml.Log += (_, e) => { lock (messages) messages.Add(e.RawMessage); };
        var model = ml.BinaryClassification.Trainers.Backprop().Fit(ml.Data.LoadFromEnumerable(rows));
        Assert.DoesNotContain(messages, m => m.StartsWith("Features held as sparse rows", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("Training a ", StringComparison.Ordinal) && m.Contains("features standardized"));
        Assert.Equal(40, model.Model.LayerSizes[0]);
    }

    public sealed class WideRow
    {
        [VectorType(2000)] public VBuffer<float> Features;
        public bool Label;
    }

    [Fact]
    public void Wide_sparse_rows_of_many_used_columns_stay_sparse_and_are_not_standardized_and_the_log_says_so()
    {
        var random = new Random(4);
        var rows = Enumerable.Range(0, 200).Select(i =>
        {
            var indices = Enumerable.Range(0, 12).Select(_ => random.Next(2000)).Distinct().Order().ToArray();
            return new WideRow { Features = new VBuffer<float>(2000, indices.Length, indices.Select(_ => 1f).ToArray(), indices), Label = i % 2 == 0 };
        }).ToList();
        var ml = new MLContext(seed: 1);
        var messages = new List<string>();
        ml.Log += (_, e) => { lock (messages) messages.Add(e.RawMessage); };
        ml.BinaryClassification.Trainers.Backprop(hiddenLayerSizes: [4]).Fit(ml.Data.LoadFromEnumerable(rows));
        Assert.Contains(messages, m => m.StartsWith("Features held as sparse rows", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("Training a ", StringComparison.Ordinal) && m.Contains("features as they come"));
    }
}
