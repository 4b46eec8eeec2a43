namespace MlNetBackprop;

/// <summary>The machine-learning task a <see cref="BackpropTrainer"/> trains for.</summary>
public enum BackpropTask
{
    /// <summary>
    /// Follow the label column's type: a key gives multiclass classification, Boolean gives binary
    /// classification, Single or Double gives regression, a known-size vector of Single or Double gives multi-output
    /// regression, and a known-size vector of Boolean gives multi-label classification.
    /// </summary>
    Auto = 0,

    /// <summary>One output neuron per class: a softmax layer or sigmoid neurons (see <see cref="MulticlassOutput"/>).</summary>
    MulticlassClassification = 1,

    /// <summary>One sigmoid output neuron giving the probability of <c>true</c>.</summary>
    BinaryClassification = 2,

    /// <summary>One linear output neuron; the label is standardised for training and mapped back for scoring.</summary>
    Regression = 3,

    /// <summary>
    /// One linear output neuron per target of a known-size vector label of Single or Double (scikit-learn's
    /// MLPRegressor with a 2-D y): each target is standardised for training and mapped back for scoring, and a NaN
    /// target leaves only that target's error out of the cost. <c>Score</c> is a vector with one value per target.
    /// </summary>
    MultiOutputRegression = 4,

    /// <summary>
    /// One sigmoid output neuron per label of a known-size vector label of Boolean (or of Single or Double holding 0, 1
    /// or NaN for missing), trained with the cross-entropy (scikit-learn's MLPClassifier with a label-indicator y).
    /// <c>Score</c>, <c>Probability</c> and <c>PredictedLabel</c> are vectors with one slot per label, each slot as a
    /// binary classifier's.
    /// </summary>
    MultiLabelClassification = 5,
}
