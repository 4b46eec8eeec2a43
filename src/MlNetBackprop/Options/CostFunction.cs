namespace MlNetBackprop;

/// <summary>The cost function minimised by training.</summary>
public enum CostFunction
{
    /// <summary>C = ½‖y − a‖² (chapter 1), over whatever the output layer is. Regression always uses this cost.</summary>
    Quadratic = 0,
    /// <summary>
    /// Cross-entropy (chapter 3): for multiclass classification the log-likelihood −ln a_y over a softmax output layer, or
    /// −Σⱼ[yⱼ ln aⱼ + (1 − yⱼ) ln(1 − aⱼ)] over sigmoid outputs (see <see cref="MulticlassOutput"/>); for binary
    /// classification the latter over one sigmoid output. Not defined for regression.
    /// </summary>
    CrossEntropy = 1,
}
