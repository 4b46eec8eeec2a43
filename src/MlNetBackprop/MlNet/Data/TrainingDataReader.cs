using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetBackprop.Network.Training;

namespace MlNetBackprop.MlNet.Data;

/// <summary>What reading the training data found.</summary>
internal sealed record TrainingData(
    TrainingSet<float> Set,
    long RowsRead,
    long SkippedBadFeatures,
    long SkippedMissingLabel,
    long SkippedBadWeight,
    int[] ClassCounts,
    float LabelMean,
    float LabelStandardDeviation);

/// <summary>
/// Reads an <see cref="IDataView"/> once into the engine's contiguous matrix of training rows. Rows whose features
/// are NaN or infinite, whose label is missing, or whose weight is not a finite non-negative number are skipped
/// and counted, as ML.NET's trainers do. Regression labels are standardised (zero mean, unit variance) so that
/// the default learning rate works whatever the label's units (validation data takes the training data's scaling).
/// </summary>
internal static class TrainingDataReader
{
    public static TrainingData Read(IDataView data, string featureName, string labelName, string? weightName,
        BackpropTask task, int inputSize, int classCount, CancellationToken cancellation, (float Mean, float StandardDeviation)? labelScaling = null,
        long? expectedRows = null)
    {
        // With the row count known (from the view, or from a scan already made), the matrix is allocated once at its
        // final size: growing it by doubling would hold two copies of the data while it is copied, and up to twice the
        // data's size after.
        long capacityHint = expectedRows ?? data.GetRowCount() ?? 1024;
        // One row more than expected: each row is read into a slot appended before the cursor says whether there is a
        // row at all, and the slot asked for at the end of the data must not make the matrix grow.
        var inputs = new Growable<float>(checked((int)Math.Min((capacityHint + 1) * inputSize, Array.MaxLength)));
        var classes = new Growable<int>(task == BackpropTask.MulticlassClassification ? (int)Math.Min(capacityHint, Array.MaxLength) : 0);
        var values = new Growable<float>(task == BackpropTask.MulticlassClassification ? 0 : (int)Math.Min(capacityHint, Array.MaxLength));
        var weights = new Growable<float>(weightName is null ? 0 : (int)Math.Min(capacityHint, Array.MaxLength));
        var classCounts = new int[task == BackpropTask.BinaryClassification ? 2 : classCount];
        long read, badFeatures, missingLabel, badWeight;

        using (var reader = new RowReader(data, featureName, labelName, weightName, task, inputSize, cancellation))
        {
            while (true)
            {
                // Read straight into the growing matrix; the slot is given back at the end of the data.
                if (!reader.Next(inputs.AppendZeros(inputSize), out double label, out float weight))
                {
                    inputs.RemoveLast(inputSize);
                    break;
                }
                if (task == BackpropTask.MulticlassClassification)
                    classes.AppendZeros(1)[0] = (int)label;
                else
                    values.AppendZeros(1)[0] = (float)label;
                if (task != BackpropTask.Regression)
                    classCounts[(int)label]++;
                if (weightName is not null) weights.AppendZeros(1)[0] = weight;
            }
            (read, badFeatures, missingLabel, badWeight) = (reader.Read, reader.BadFeatures, reader.MissingLabel, reader.BadWeight);
        }

        int rows = inputs.Count / Math.Max(inputSize, 1);
        float[]? scale = null;
        if (TryMeanWeight(weights, rows, weightName, out double meanWeight))
        {
            scale = weights.ToArray();
            for (int i = 0; i < scale.Length; i++) scale[i] = (float)(scale[i] / meanWeight);
        }

        float mean = 0, std = 1;
        if (task == BackpropTask.Regression && rows > 0)
        {
            // Training data is standardised with its own mean and deviation; validation data with the training data's,
            // as the network sees it.
            var y = values.Buffer.AsSpan(0, rows);
            (mean, std) = labelScaling ?? MeanAndDeviation(y);
            for (int i = 0; i < y.Length; i++) y[i] = (y[i] - mean) / std;
        }

        var set = task == BackpropTask.MulticlassClassification
            ? TrainingSet<float>.ForClasses(inputs.Compacted(), rows, inputSize, classes.Trimmed(), classCount, scale)
            : TrainingSet<float>.ForValues(inputs.Compacted(), rows, inputSize, values.Trimmed(), 1, scale, task == BackpropTask.BinaryClassification);
        return new TrainingData(set, read, badFeatures, missingLabel, badWeight, classCounts, mean, std);
    }

    /// <summary>The mean and the (population) standard deviation, 1 where the values do not vary.</summary>
    private static (float Mean, float StandardDeviation) MeanAndDeviation(ReadOnlySpan<float> y)
    {
        double sum = 0, sumSq = 0;
        foreach (float v in y) sum += v;
        double mean = sum / y.Length;
        foreach (float v in y) sumSq += (v - mean) * (v - mean);
        double sd = Math.Sqrt(sumSq / y.Length);
        return ((float)mean, sd > 0 && double.IsFinite(sd) ? (float)sd : 1f);
    }

    private static bool TryMeanWeight(Growable<float> weights, int rows, string? weightName, out double mean)
    {
        mean = 1;
        if (weightName is null || rows == 0) return false;
        double sum = 0;
        foreach (float w in weights.Buffer.AsSpan(0, weights.Count)) sum += w;
        if (!(sum > 0))
            throw new InvalidOperationException($"Every example weight in column '{weightName}' is zero: at least one row must weigh more than 0.");
        mean = sum / rows;
        return true;
    }




    /// <summary>An append-only buffer that doubles as it grows and hands back an exact-size array at the end.</summary>
    private sealed class Growable<T>(int capacity)
    {
        public T[] Buffer = new T[Math.Max(capacity, 0)];
        public int Count;

        public Span<T> AppendZeros(int n)
        {
            if (Count + n > Buffer.Length)
                Array.Resize(ref Buffer, Math.Max(Count + n, (int)Math.Min(2L * Buffer.Length + 16, Array.MaxLength)));
            var span = Buffer.AsSpan(Count, n);
            span.Clear();
            Count += n;
            return span;
        }

        public void RemoveLast(int n) => Count -= n;

        public T[] ToArray() => Buffer.AsSpan(0, Count).ToArray();

        /// <summary>
        /// The buffer itself when little of it is unused (rows skipped as bad leave a few empty rows at its end, which the
        /// training set ignores), otherwise an exact-size copy: a copy of the whole matrix is made only to save memory.
        /// </summary>
        public T[] Compacted() => Buffer.Length - Count <= Buffer.Length / 8 ? Buffer : Trimmed();

        public T[] Trimmed()
        {
            if (Buffer.Length != Count) Array.Resize(ref Buffer, Count);
            return Buffer;
        }
    }
}
