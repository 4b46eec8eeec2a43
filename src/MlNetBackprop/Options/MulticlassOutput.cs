namespace MlNetBackprop;

/// <summary>The output layer of multiclass classification: one neuron per class, of which kind.</summary>
public enum MulticlassOutput
{
    /// <summary>
    /// A softmax layer, aⱼ = e^zⱼ / Σₖ e^zₖ (chapter 3): the outputs are the class probabilities. With the cross-entropy cost
    /// it is trained with the log-likelihood −ln a_y.
    /// </summary>
    Softmax = 0,
    /// <summary>
    /// One sigmoid neuron per class, as in Nielsen's network.py and network2.py (chapters 1 and 3). <c>Score</c> is the
    /// sigmoid outputs divided by their sum, so that it still sums to 1.
    /// </summary>
    Sigmoid = 1,
}
