namespace MlNetBackprop;

/// <summary>The machine-learning task a <see cref="BackpropTrainer"/> trains for.</summary>
public enum BackpropTask
{
    /// <summary>
    /// Follow the label column's type: a key gives multiclass classification, Boolean gives binary
    /// classification, Single or Double gives regression.
    /// </summary>
    Auto = 0,

    /// <summary>One output neuron per class: a softmax layer or sigmoid neurons (see <see cref="MulticlassOutput"/>).</summary>
    MulticlassClassification = 1,

    /// <summary>One sigmoid output neuron giving the probability of <c>true</c>.</summary>
    BinaryClassification = 2,

    /// <summary>One linear output neuron; the label is standardised for training and mapped back for scoring.</summary>
    Regression = 3,
}
