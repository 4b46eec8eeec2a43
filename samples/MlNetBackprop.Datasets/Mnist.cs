using Microsoft.ML;

namespace MlNetBackprop.Datasets;

/// <summary>
/// Loads MNIST's IDX files (gzip-compressed or not) as an ML.NET <see cref="IDataView"/> with two columns:
/// <c>Label</c>, a key of the ten digits whose values are "0" to "9" (ready for a multiclass trainer and for
/// MapKeyToValue), and <c>Features</c>, the 28×28 pixels as 784 Single values scaled to [0, 1].
/// The view reads the files each time it is cursored and holds no copy of the images.
/// </summary>
public static class Mnist
{
    /// <summary>The number of pixels of an image, 28 × 28.</summary>
    public const int Pixels = 784;

    /// <summary>
    /// Loads images <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> − 1 of a pair of
    /// image and label files (all of them by default). Nielsen's split of the training files is
    /// <c>Load(images, labels, 0, 50000)</c> for training and <c>Load(images, labels, 50000, 10000)</c> for validation.
    /// </summary>
    /// <exception cref="InvalidDataException">A file is not an IDX file of the expected kind, is truncated, or the two
    /// files disagree; the message names the file.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The requested range is not inside the files.</exception>
    public static IDataView Load(string imagesPath, string labelsPath, int start = 0, int? count = null)
    {
        ArgumentNullException.ThrowIfNull(imagesPath);
        ArgumentNullException.ThrowIfNull(labelsPath);
        var images = IdxFile.Open(imagesPath, 3, "images");
        var labels = IdxFile.Open(labelsPath, 1, "labels");
        if (images.Dimensions[1] * images.Dimensions[2] != Pixels)
            throw new InvalidDataException($"IDX file '{imagesPath}' holds images of {images.Dimensions[1]}×{images.Dimensions[2]} pixels; MNIST's are 28×28.");
        if (images.Count != labels.Count)
            throw new InvalidDataException($"IDX file '{imagesPath}' holds {images.Count:N0} images but '{labelsPath}' holds {labels.Count:N0} labels: they must come in pairs.");
        int n = count ?? images.Count - start;
        if (start < 0 || start > images.Count)
            throw new ArgumentOutOfRangeException(nameof(start), start, $"The files hold {images.Count:N0} images.");
        if (n < 0 || start + (long)n > images.Count)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Images {start:N0} to {start + (long)n - 1:N0} are not all inside the {images.Count:N0} the files hold.");
        return new MnistDataView(images, labels, start, n);
    }
}
