namespace MlNetBackprop.Network.Costs;

/// <summary>
/// The cost functions the engine knows. The numbers are the codes a stored network records: never change or reuse one.
/// </summary>
internal enum CostKind : byte
{
    /// <summary>C = ½‖y − a‖² (chapter 1).</summary>
    Quadratic = 1,
    /// <summary>C = −Σⱼ [yⱼ ln aⱼ + (1 − yⱼ) ln(1 − aⱼ)] over sigmoid outputs (chapter 3).</summary>
    CrossEntropy = 2,
    /// <summary>C = −Σⱼ yⱼ ln aⱼ over a softmax output layer (chapter 3's log-likelihood).</summary>
    LogLikelihood = 3,
}
