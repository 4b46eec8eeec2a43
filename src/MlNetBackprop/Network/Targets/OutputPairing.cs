using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Costs;

namespace MlNetBackprop.Network.Targets;

/// <summary>
/// Which output layer and cost a task trains with: the pairings of Nielsen's chapters 1 and 3, regression's linear units
/// (one per target), and multi-label's sigmoid units (one per label).
/// </summary>
internal static class OutputPairing
{
    /// <summary>The cost a task trains with when the options name none: cross-entropy for classification, quadratic for regression.</summary>
    public static CostFunction DefaultCost(BackpropTask task)
        => IsRegression(task) ? CostFunction.Quadratic : CostFunction.CrossEntropy;

    /// <summary>Whether <paramref name="task"/> predicts values (one target or several) rather than classes or labels.</summary>
    public static bool IsRegression(BackpropTask task) => task is BackpropTask.Regression or BackpropTask.MultiOutputRegression;

    /// <summary>Whether <paramref name="task"/>'s label is a vector, with one output per slot.</summary>
    public static bool HasSeveralOutputs(BackpropTask task) => task is BackpropTask.MultiOutputRegression or BackpropTask.MultiLabelClassification;

    /// <summary>
    /// The output activation and cost for <paramref name="task"/> (resolved, not Auto), for the options the trainer's plan
    /// has checked against the task (the cross-entropy cost is not defined for regression, which has no probabilities to
    /// take the logarithm of: asked for it, this throws <see cref="ArgumentOutOfRangeException"/>). The switches have no
    /// default arm, so a new option value must be paired here to compile.
    /// </summary>
    public static (ActivationKind Output, CostKind Cost) For(BackpropTask task, CostFunction cost, MulticlassOutput multiclassOutput)
        => task switch
        {
            BackpropTask.Regression or BackpropTask.MultiOutputRegression => cost switch
            {
                CostFunction.Quadratic => (ActivationKind.Identity, CostKind.Quadratic),
                CostFunction.CrossEntropy => throw new ArgumentOutOfRangeException(nameof(cost), cost, "No cross-entropy for regression."),
            },
            // One sigmoid neuron: the probability of true; multi-label: one per label, each a binary classifier's.
            BackpropTask.BinaryClassification or BackpropTask.MultiLabelClassification => (ActivationKind.Sigmoid, cost switch
            {
                CostFunction.Quadratic => CostKind.Quadratic,
                CostFunction.CrossEntropy => CostKind.CrossEntropy,
            }),
            BackpropTask.MulticlassClassification => (multiclassOutput, cost) switch
            {
                // Chapter 3's softmax layer; its cross-entropy is the log-likelihood −ln a_y.
                (MulticlassOutput.Softmax, CostFunction.CrossEntropy) => (ActivationKind.Softmax, CostKind.LogLikelihood),
                (MulticlassOutput.Softmax, CostFunction.Quadratic) => (ActivationKind.Softmax, CostKind.Quadratic),
                // network2.py: sigmoid outputs with the cross-entropy; network.py: sigmoid outputs with the quadratic cost.
                (MulticlassOutput.Sigmoid, CostFunction.CrossEntropy) => (ActivationKind.Sigmoid, CostKind.CrossEntropy),
                (MulticlassOutput.Sigmoid, CostFunction.Quadratic) => (ActivationKind.Sigmoid, CostKind.Quadratic),
            },
            BackpropTask.Auto => throw new ArgumentOutOfRangeException(nameof(task), task, "The task must be resolved from the label before the output is chosen."),
        };

    /// <summary>
    /// What keeps an output layer of <paramref name="outputs"/> neurons of <paramref name="activation"/> from being one
    /// <see cref="For"/> makes for <paramref name="task"/> (resolved) with <paramref name="slots"/> classes, targets or
    /// labels (null: any number from 2, or 1 for several outputs, to <paramref name="mostClasses"/>); null when it could be.
    /// </summary>
    public static string? Misfit(BackpropTask task, ActivationKind activation, int outputs, int? slots = null, int mostClasses = int.MaxValue)
        => task switch
        {
            BackpropTask.MultiOutputRegression when activation != ActivationKind.Identity
                => $"a multi-output regression model has linear outputs, but this network has {activation} outputs",
            BackpropTask.MultiLabelClassification when activation != ActivationKind.Sigmoid
                => $"a multi-label model has sigmoid outputs, but this network has {activation} outputs",
            BackpropTask.MultiOutputRegression or BackpropTask.MultiLabelClassification when slots is int k && outputs != k
                => $"the model has {k} {(task == BackpropTask.MultiLabelClassification ? "labels" : "targets")}, but its network has {outputs} outputs",
            BackpropTask.MultiOutputRegression or BackpropTask.MultiLabelClassification when outputs < 1 || outputs > mostClasses
                => $"a model of this kind has 1 to {mostClasses} outputs, but this network has {outputs}",
            BackpropTask.Regression when outputs != 1 || activation != ActivationKind.Identity
                => $"a regression model has one linear output, but this network has {outputs} {activation} outputs",
            BackpropTask.BinaryClassification when outputs != 1 || activation != ActivationKind.Sigmoid
                => $"a binary classification model has one sigmoid output, but this network has {outputs} {activation} outputs",
            BackpropTask.MulticlassClassification when activation is not (ActivationKind.Softmax or ActivationKind.Sigmoid)
                => $"a multiclass model has softmax or sigmoid outputs, but this network has {activation} outputs",
            BackpropTask.MulticlassClassification when slots is int k && outputs != k
                => $"the model has {k} classes, but its network has {outputs} outputs",
            BackpropTask.MulticlassClassification when outputs < 2 || outputs > mostClasses
                => $"a multiclass model of this kind scores 2 to {mostClasses} classes, but this network has {outputs} outputs",
            BackpropTask.Auto => throw new ArgumentOutOfRangeException(nameof(task), task, "The task must be resolved."),
            _ => null,
        };
}
