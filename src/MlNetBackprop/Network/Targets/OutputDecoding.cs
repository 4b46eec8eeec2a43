using System.Numerics;
using MlNetBackprop.Network.Kernels;
using System.Numerics.Tensors;

namespace MlNetBackprop.Network.Targets;

/// <summary>
/// What the output layer's z and a mean for the user: regression's prediction in the label's units, binary
/// classification's raw score, probability and decision, multiclass classification's class probabilities and best
/// class. Training's accuracy and scoring decide a class by the same rule.
/// </summary>
internal static class OutputDecoding
{
    /// <summary>Regression: the linear output mapped back to the label's units.</summary>
    public static float Value(ReadOnlySpan<float> a, LabelStandardization standardization) => standardization.Restore(0, a[0]);

    /// <summary>Multi-output regression: each linear output mapped back to its target's units, into <paramref name="values"/>.</summary>
    public static void Values(ReadOnlySpan<float> a, LabelStandardization standardization, Span<float> values)
        => standardization.Restore(a, values[..a.Length]);

    /// <summary>
    /// Multi-label classification: per label, as <see cref="Binary"/> for one: the raw score z, its sigmoid σ(z), and
    /// whether z is positive, into the first outputs-many slots of each span.
    /// </summary>
    public static void Labels(ReadOnlySpan<float> z, ReadOnlySpan<float> a, Span<float> scores, Span<float> probabilities, Span<bool> decisions)
    {
        z.CopyTo(scores);
        a.CopyTo(probabilities);
        for (int j = 0; j < z.Length; j++)
            decisions[j] = z[j] > 0;
    }

    /// <summary>Binary classification: the raw score z (the logit), its sigmoid σ(z), and whether z is positive.</summary>
    public static (float Score, float Probability, bool Label) Binary(ReadOnlySpan<float> z, ReadOnlySpan<float> a) => (z[0], a[0], z[0] > 0);

    /// <summary>
    /// Multiclass classification: the outputs divided by their sum into <paramref name="probabilities"/> (a softmax row
    /// already sums to one but for rounding, which this leaves alone; sigmoid outputs do not), and the 1-based index of
    /// the most probable class, 0 when the outputs are not numbers.
    /// </summary>
    public static uint Classes(ReadOnlySpan<float> a, Span<float> probabilities)
    {
        var scores = probabilities[..a.Length];
        a.CopyTo(scores);
        float sum = TensorPrimitives.Sum(scores);
        if (sum > 0 && sum != 1f)
            ElementWise.Divide(scores, sum, scores);
        return float.IsNaN(sum) ? 0u : (uint)TensorPrimitives.IndexOfMax(scores) + 1;
    }

    /// <summary>The class the outputs of one example decide: z &gt; 0 for one output, the largest output otherwise.</summary>
    public static int PredictedClass<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a) where T : unmanaged, IFloatingPointIeee754<T>
        => a.Length == 1 ? (z[0] > T.Zero ? 1 : 0) : TensorPrimitives.IndexOfMax(a);
}
