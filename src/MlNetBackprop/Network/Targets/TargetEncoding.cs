using System.Numerics;

namespace MlNetBackprop.Network.Targets;

/// <summary>
/// How a label becomes the output layer's target y: a class index as a one-hot vector (multiclass), 0 or 1 as one
/// value (binary), values as their standardised values (regression, one or several targets), several 0/1 values as
/// they are (multi-label). A missing value (NaN) of several stays NaN, and the costs leave it out. Labels are kept as
/// they are (<see cref="TrainingLabels"/>) and encoded only for the rows of the current mini-batch.
/// </summary>
internal sealed class TargetEncoding
{
    private enum Kind { OneHot, Binary, Standardized, MultiHot }

    private readonly Kind _kind;

    private TargetEncoding(Kind kind, int width, int classCount, LabelStandardization standardization, double smoothing = 0)
        => (_kind, Width, ClassCount, Standardization, Smoothing) = (kind, width, classCount, standardization, smoothing);

    /// <summary>Class indices 0 … <paramref name="classes"/> − 1, one output per class.</summary>
    public static TargetEncoding OneHot(int classes) => new(Kind.OneHot, classes, classes, LabelStandardization.None);

    /// <summary>Labels 0 (false) and 1 (true), one output.</summary>
    public static TargetEncoding Binary { get; } = new(Kind.Binary, 1, 2, LabelStandardization.None);

    /// <summary>
    /// This class encoding with label smoothing ε (Szegedy et al., 2016): the target is (1 − ε)·y + ε/K over the K classes
    /// (binary: 1 − ε/2 and ε/2), so that the cross-entropy stops rewarding ever larger scores for the right class.
    /// </summary>
    public TargetEncoding Smoothed(double epsilon) => !(epsilon >= 0 && epsilon < 1) || !(Classifies || _kind == Kind.MultiHot)
        ? throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Label smoothing applies to classes, with ε in [0, 1).")
        : new(_kind, Width, ClassCount, Standardization, epsilon);

    /// <summary>The label smoothing ε (0 for none).</summary>
    public double Smoothing { get; }

    /// <summary>Values, standardised with <paramref name="standardization"/>, one output per value it scales.</summary>
    public static TargetEncoding Standardized(LabelStandardization standardization) => new(Kind.Standardized, standardization.Count, 0, standardization);

    /// <summary>
    /// <paramref name="labels"/> labels of a row, each 0 or 1 (or NaN, missing), one sigmoid output each: independent
    /// binary targets, so they are not classes of one label (no accuracy, class weights or stratified split).
    /// </summary>
    public static TargetEncoding MultiHot(int labels) => new(Kind.MultiHot, labels, 0, LabelStandardization.None);

    /// <summary>Values per target (the output layer's width).</summary>
    public int Width { get; }

    /// <summary>The number of classes; 0 for regression.</summary>
    public int ClassCount { get; }

    /// <summary>Whether the labels are classes, so that accuracy, class weights and stratified splits apply.</summary>
    public bool Classifies => ClassCount > 0;

    /// <summary>The label scaling (<see cref="LabelStandardization.None"/> for classification).</summary>
    public LabelStandardization Standardization { get; }

    /// <summary>Writes the target of row <paramref name="row"/> of <paramref name="labels"/> into <paramref name="target"/> (<see cref="Width"/> values).</summary>
    public void Encode<T>(TrainingLabels labels, int row, Span<T> target) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (_kind)
        {
            case Kind.OneHot:
                if (Smoothing == 0)
                {
                    target.Clear();
                    target[labels.ClassOf(row)] = T.One;
                    break;
                }
                target.Fill(T.CreateChecked(Smoothing / ClassCount));
                target[labels.ClassOf(row)] = T.CreateChecked(1 - Smoothing + Smoothing / ClassCount);
                break;
            case Kind.Binary:
                target[0] = T.CreateChecked(labels.ClassOf(row) == 1 ? 1 - Smoothing / 2 : Smoothing / 2);
                break;
            case Kind.MultiHot:
                {
                    var values = labels.ValuesOf(row);
                    for (int j = 0; j < target.Length; j++)
                        target[j] = T.CreateChecked(double.IsNaN(values[j]) ? double.NaN : values[j] == 1 ? 1 - Smoothing / 2 : Smoothing / 2);
                    break;
                }
            default:
                {
                    var values = labels.ValuesOf(row);
                    for (int j = 0; j < target.Length; j++)
                        target[j] = T.CreateChecked(Standardization.Standardize(j, values[j]));
                    break;
                }
        }
    }
}
