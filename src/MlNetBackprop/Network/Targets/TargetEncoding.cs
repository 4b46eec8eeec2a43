using System.Numerics;
using System.Numerics.Tensors;

namespace MlNetBackprop.Network.Targets;

/// <summary>
/// How a label becomes the output layer's target y: a class index as a one-hot vector (multiclass), 0 or 1 as one
/// value (binary), a number as its standardised value (regression). Labels are stored as numbers and encoded only
/// for the rows of the current mini-batch, so a thousand classes cost no more memory than two.
/// </summary>
internal sealed class TargetEncoding
{
    private enum Kind { OneHot, Binary, Standardized }

    private readonly Kind _kind;

    private TargetEncoding(Kind kind, int width, int classCount, LabelStandardization standardization)
        => (_kind, Width, ClassCount, Standardization) = (kind, width, classCount, standardization);

    /// <summary>Class indices 0 … <paramref name="classes"/> − 1, one output per class.</summary>
    public static TargetEncoding OneHot(int classes) => new(Kind.OneHot, classes, classes, LabelStandardization.None);

    /// <summary>Labels 0 (false) and 1 (true), one output.</summary>
    public static TargetEncoding Binary { get; } = new(Kind.Binary, 1, 2, LabelStandardization.None);

    /// <summary>Numbers, standardised with <paramref name="standardization"/>, one output.</summary>
    public static TargetEncoding Standardized(LabelStandardization standardization) => new(Kind.Standardized, 1, 0, standardization);

    /// <summary>Values per target (the output layer's width).</summary>
    public int Width { get; }

    /// <summary>The number of classes; 0 for regression.</summary>
    public int ClassCount { get; }

    /// <summary>Whether the labels are classes, so that accuracy, class weights and stratified splits apply.</summary>
    public bool Classifies => ClassCount > 0;

    /// <summary>The label scaling (<see cref="LabelStandardization.None"/> for classification).</summary>
    public LabelStandardization Standardization { get; }

    /// <summary>Writes the target of <paramref name="label"/> into <paramref name="target"/> (<see cref="Width"/> values).</summary>
    public void Encode<T>(double label, Span<T> target) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (_kind)
        {
            case Kind.OneHot:
                target.Clear();
                target[(int)label] = T.One;
                break;
            case Kind.Binary:
                target[0] = label > 0.5 ? T.One : T.Zero;
                break;
            default:
                target[0] = T.CreateChecked(Standardization.Standardize(label));
                break;
        }
    }

    /// <summary>The class of a label (0 for false, 1 for true in binary classification); 0 for every regression label.</summary>
    public int ClassOf(double label) => _kind switch
    {
        Kind.OneHot => (int)label,
        Kind.Binary => label > 0.5 ? 1 : 0,
        _ => 0,
    };

    /// <summary>The class an encoded target stands for: its hot index, or whether its one value is above one half.</summary>
    public static int ClassOfTarget<T>(ReadOnlySpan<T> target) where T : unmanaged, IFloatingPointIeee754<T>
        => target.Length == 1 ? (target[0] > T.CreateChecked(0.5) ? 1 : 0) : TensorPrimitives.IndexOfMax(target);
}
