namespace MlNetBackprop;

/// <summary>The activation function of the hidden layers.</summary>
public enum HiddenActivation
{
    /// <summary>The logistic sigmoid σ(z) = 1/(1+e⁻ᶻ), the neuron of Nielsen's book.</summary>
    Sigmoid = 0,
    /// <summary>The hyperbolic tangent.</summary>
    Tanh = 1,
    /// <summary>The rectified linear unit max(0, z).</summary>
    Relu = 2,
}

/// <summary>The cost function minimised by training.</summary>
public enum CostFunction
{
    /// <summary>
    /// C = ½‖y − a‖² (chapter 1). Classification uses sigmoid outputs; regression always uses this cost.
    /// </summary>
    Quadratic = 0,
    /// <summary>
    /// Cross-entropy (chapter 3): softmax outputs with the log-likelihood cost for multiclass classification, a sigmoid
    /// output with the binary cross-entropy for binary classification. Not defined for regression.
    /// </summary>
    CrossEntropy = 1,
}

public sealed partial class BackpropTrainer
{
    /// <summary>The default number of epochs.</summary>
    public const int DefaultEpochs = 100;

    /// <summary>The default learning rate for the task and cost (see <see cref="Options.LearningRate"/>).</summary>
    public static double DefaultLearningRate(BackpropTask task, CostFunction cost) => task switch
    {
        BackpropTask.Regression => 0.05,
        _ when cost == CostFunction.Quadratic => 3.0,
        _ => 0.5,
    };

    /// <summary>Options for <see cref="BackpropTrainer"/>. Every member has a default that trains well on normalized features.</summary>
    public sealed class Options
    {
        /// <summary>The label column: a key (multiclass), Boolean (binary) or Single/Double (regression). Default "Label".</summary>
        public string LabelColumnName = "Label";

        /// <summary>The feature column: a known-size vector of Single. Default "Features".</summary>
        public string FeatureColumnName = "Features";

        /// <summary>An optional Single column of non-negative example weights; null (the default) weighs all rows equally.</summary>
        public string? ExampleWeightColumnName;

        /// <summary>The task; <see cref="BackpropTask.Auto"/> (the default) follows the label column's type.</summary>
        public BackpropTask Task = BackpropTask.Auto;

        /// <summary>The sizes of the hidden layers, from the input side; empty for none. Default one layer of 100.</summary>
        public int[] HiddenLayerSizes = [100];

        /// <summary>The hidden layers' activation. Default <see cref="HiddenActivation.Sigmoid"/>.</summary>
        public HiddenActivation Activation = HiddenActivation.Sigmoid;

        /// <summary>
        /// The cost. Null (the default) means <see cref="CostFunction.CrossEntropy"/> for classification and
        /// <see cref="CostFunction.Quadratic"/> for regression.
        /// </summary>
        public CostFunction? Cost;

        /// <summary>
        /// Passes over the training data. Default 100: small datasets need many passes with plain SGD; Nielsen's MNIST
        /// experiments use 30 to 60 (set it lower for large data).
        /// </summary>
        public int Epochs = DefaultEpochs;

        /// <summary>Examples per mini-batch (m). Default 10.</summary>
        public int BatchSize = 10;

        /// <summary>
        /// The learning rate η of stochastic gradient descent. Null (the default) picks Nielsen's rates for the cost:
        /// 0.5 for cross-entropy classification (chapter 3), 3.0 for quadratic-cost classification (chapter 1), and 0.05
        /// for regression, whose linear output neuron sums the whole last hidden layer and diverges at higher rates.
        /// </summary>
        public double? LearningRate;

        /// <summary>
        /// Nielsen's L2 regularisation parameter λ: the cost gains λ/(2n)·Σw² over all weights (n = training rows),
        /// i.e. weights decay by the factor 1 − ηλ/n at every mini-batch. scikit-learn's alpha, whose penalty is
        /// α/(2m)·Σw² per mini-batch of m rows, corresponds to λ = α·n/m. Default 0.
        /// </summary>
        public double L2Regularization;

        /// <summary>
        /// Seeds the weight initialisation and the shuffling. Null (the default) takes a seed from the MLContext the
        /// trainer was created with, or a fixed seed without one.
        /// </summary>
        public int? Seed;

        /// <summary>
        /// Threads for training's matrix products; null (the default) uses every core. The trained network is the same,
        /// bit for bit, whatever the number.
        /// </summary>
        public int? NumberOfThreads;

        /// <summary>Receives an <see cref="EpochReport"/> after every epoch (on the training thread).</summary>
        public IProgress<EpochReport>? Progress;

        /// <summary>Receives a <see cref="TrainingProgress"/> about a hundred times per epoch (on the training thread).</summary>
        public IProgress<TrainingProgress>? BatchProgress;

        /// <summary>Cancels training between mini-batches; <c>Fit</c> then throws <see cref="OperationCanceledException"/>.</summary>
        public CancellationToken CancellationToken;

        /// <summary>A copy, so that a trainer is not affected when its caller keeps changing the options object.</summary>
        internal Options Clone()
        {
            var copy = (Options)MemberwiseClone();
            copy.HiddenLayerSizes = (int[])HiddenLayerSizes?.Clone()!;
            return copy;
        }

        /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid option and its value.</summary>
        internal void Validate()
        {
            static ArgumentOutOfRangeException Bad(string name, object? value, string rule)
                => new(name, value, $"Option {name} = {value} is invalid: {rule}");

            if (string.IsNullOrWhiteSpace(LabelColumnName)) throw Bad(nameof(LabelColumnName), LabelColumnName, "name the label column.");
            if (string.IsNullOrWhiteSpace(FeatureColumnName)) throw Bad(nameof(FeatureColumnName), FeatureColumnName, "name the feature column.");
            if (ExampleWeightColumnName is not null && string.IsNullOrWhiteSpace(ExampleWeightColumnName))
                throw Bad(nameof(ExampleWeightColumnName), ExampleWeightColumnName, "name the weight column, or leave it null.");
            if (!Enum.IsDefined(Task)) throw Bad(nameof(Task), Task, "use a BackpropTask value.");
            if (HiddenLayerSizes is null) throw Bad(nameof(HiddenLayerSizes), "null", "use an empty array for no hidden layer.");
            for (int i = 0; i < HiddenLayerSizes.Length; i++)
                if (HiddenLayerSizes[i] < 1)
                    throw Bad(nameof(HiddenLayerSizes), $"[{string.Join(", ", HiddenLayerSizes)}]", $"hidden layer {i} has size {HiddenLayerSizes[i]}; each needs at least 1 neuron.");
            if (!Enum.IsDefined(Activation)) throw Bad(nameof(Activation), Activation, "use Sigmoid, Tanh or Relu.");
            if (Cost is CostFunction c && !Enum.IsDefined(c)) throw Bad(nameof(Cost), c, "use Quadratic or CrossEntropy.");
            if (Cost == CostFunction.CrossEntropy && Task == BackpropTask.Regression)
                throw Bad(nameof(Cost), Cost, "cross-entropy is not defined for regression; use Quadratic.");
            if (Epochs < 1) throw Bad(nameof(Epochs), Epochs, "train for at least 1 epoch.");
            if (BatchSize < 1) throw Bad(nameof(BatchSize), BatchSize, "a mini-batch holds at least 1 example.");
            if (LearningRate is double rate && (!(rate > 0) || !double.IsFinite(rate)))
                throw Bad(nameof(LearningRate), LearningRate, "the learning rate must be a positive number.");
            if (!(L2Regularization >= 0) || !double.IsFinite(L2Regularization))
                throw Bad(nameof(L2Regularization), L2Regularization, "λ must be zero or a positive number.");
            if (NumberOfThreads is int threads && threads < 1)
                throw Bad(nameof(NumberOfThreads), threads, "use at least 1 thread, or null for all cores.");
        }
    }
}
