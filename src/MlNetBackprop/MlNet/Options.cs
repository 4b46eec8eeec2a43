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
    /// <summary>The identity z (a linear layer; scikit-learn's "identity").</summary>
    Identity = 3,
}

/// <summary>The update rule (scikit-learn's solver).</summary>
public enum Solver
{
    /// <summary>Stochastic gradient descent, Nielsen's rule; with <see cref="BackpropTrainer.Options.Momentum"/> &gt; 0, SGD with (Nesterov) momentum.</summary>
    Sgd = 0,
    /// <summary>Adam (Kingma &amp; Ba, 2015), with <see cref="BackpropTrainer.Options.Beta1"/>, <see cref="BackpropTrainer.Options.Beta2"/> and <see cref="BackpropTrainer.Options.Epsilon"/>.</summary>
    Adam = 1,
}

/// <summary>How the learning rate changes during training (scikit-learn's learning_rate).</summary>
public enum LearningRateSchedule
{
    /// <summary>η stays at <see cref="BackpropTrainer.Options.LearningRate"/>.</summary>
    Constant = 0,
    /// <summary>After each epoch η = η₀ / (t + 1)^<see cref="BackpropTrainer.Options.PowerT"/>, t the number of examples seen so far.</summary>
    InverseScaling = 1,
    /// <summary>
    /// η is divided by 5 each time the training cost (the validation cost with early stopping) has not fallen by
    /// <see cref="BackpropTrainer.Options.Tolerance"/> for more than <see cref="BackpropTrainer.Options.IterationsWithoutImprovement"/>
    /// epochs; training stops once η would fall below 10⁻⁶.
    /// </summary>
    Adaptive = 2,
}

/// <summary>How the weights and biases start.</summary>
public enum WeightInitialization
{
    /// <summary>Chapter 3's default: weights N(0, 1/n_in), biases N(0, 1).</summary>
    ScaledGaussian = 0,
    /// <summary>Chapter 1's: weights and biases N(0, 1).</summary>
    Gaussian = 1,
    /// <summary>Glorot and Bengio (2010): weights uniform in ±√(6/(n_in + n_out)), biases 0.</summary>
    Glorot = 2,
    /// <summary>He et al. (2015), suited to ReLU: weights N(0, 2/n_in), biases 0.</summary>
    He = 3,
}

/// <summary>Weights per class for imbalanced classification.</summary>
public enum ClassWeighting
{
    /// <summary>Every class weighs the same (unless <see cref="BackpropTrainer.Options.ClassWeights"/> gives weights).</summary>
    None = 0,
    /// <summary>Class c weighs n / (K·n_c), scikit-learn's "balanced": every class counts as much in total.</summary>
    Balanced = 1,
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

        /// <summary>
        /// The update rule. Default <see cref="MlNetBackprop.Solver.Sgd"/> (Nielsen's); scikit-learn's default is Adam.
        /// </summary>
        public Solver Solver = Solver.Sgd;

        /// <summary>SGD's momentum coefficient μ in [0, 1); 0 (the default) is plain SGD. scikit-learn's default is 0.9.</summary>
        public double Momentum;

        /// <summary>Use Nesterov's momentum (needs <see cref="Momentum"/> &gt; 0).</summary>
        public bool NesterovMomentum;

        /// <summary>Adam's decay rate for the first moment, in [0, 1). Default 0.9.</summary>
        public double Beta1 = 0.9;

        /// <summary>Adam's decay rate for the second moment, in [0, 1). Default 0.999.</summary>
        public double Beta2 = 0.999;

        /// <summary>Adam's ε, added to √v for numerical stability. Default 1e-8.</summary>
        public double Epsilon = 1e-8;

        /// <summary>How η changes during training. Default <see cref="MlNetBackprop.LearningRateSchedule.Constant"/>.</summary>
        public LearningRateSchedule LearningRateSchedule = LearningRateSchedule.Constant;

        /// <summary>The exponent of the inverse-scaling schedule. Default 0.5.</summary>
        public double PowerT = 0.5;

        /// <summary>
        /// Stop when the validation cost has not fallen by <see cref="Tolerance"/> for more than
        /// <see cref="IterationsWithoutImprovement"/> epochs. The validation data is what <c>Fit</c> was given, or else a
        /// stratified <see cref="ValidationFraction"/> of the training data. Default false.
        /// </summary>
        public bool EarlyStopping;

        /// <summary>The fraction of the training data set aside for early stopping when <c>Fit</c> gets no validation data. Default 0.1.</summary>
        public double ValidationFraction = 0.1;

        /// <summary>Epochs without improvement before early stopping or the adaptive schedule acts (scikit-learn's n_iter_no_change). Default 10.</summary>
        public int IterationsWithoutImprovement = 10;

        /// <summary>The fall of the monitored cost that counts as an improvement (scikit-learn's tol). Default 1e-4.</summary>
        public double Tolerance = 1e-4;

        /// <summary>With early stopping, end with the weights of the epoch of lowest validation cost (as scikit-learn does). Default true.</summary>
        public bool RestoreBestWeights = true;

        /// <summary>The probability of dropping each hidden neuron in each training example, in [0, 1); 0 (the default) for no dropout. Scoring never drops.</summary>
        public double DropoutRate;

        /// <summary>How the weights start. Default <see cref="MlNetBackprop.WeightInitialization.ScaledGaussian"/>, Nielsen's N(0, 1/n_in).</summary>
        public WeightInitialization WeightInitialization = WeightInitialization.ScaledGaussian;

        /// <summary>Weights per class for classification. Default <see cref="MlNetBackprop.ClassWeighting.None"/>.</summary>
        public ClassWeighting ClassWeighting = ClassWeighting.None;

        /// <summary>
        /// Explicit weights per class, in the label's key order (binary: [false, true]); null for none. Multiplied with the
        /// example weights. Exclusive with <see cref="ClassWeighting"/> = Balanced.
        /// </summary>
        public float[]? ClassWeights;

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

        /// <summary>
        /// How much memory the training data may take, in megabytes (4 bytes per feature and target value). Larger data is
        /// not loaded: each epoch streams it from the IDataView's cursor through a shuffle buffer of half this size.
        /// Default 4096.
        /// </summary>
        public int MemoryBudgetMegabytes = 4096;

        /// <summary>Cancels training between mini-batches; <c>Fit</c> then throws <see cref="OperationCanceledException"/>.</summary>
        public CancellationToken CancellationToken;

        /// <summary>A copy, so that a trainer is not affected when its caller keeps changing the options object.</summary>
        internal Options Clone()
        {
            var copy = (Options)MemberwiseClone();
            copy.HiddenLayerSizes = (int[])HiddenLayerSizes?.Clone()!;
            copy.ClassWeights = (float[]?)ClassWeights?.Clone();
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
            if (!Enum.IsDefined(Activation)) throw Bad(nameof(Activation), Activation, "use Sigmoid, Tanh, Relu or Identity.");
            if (Cost is CostFunction c && !Enum.IsDefined(c)) throw Bad(nameof(Cost), c, "use Quadratic or CrossEntropy.");
            if (Cost == CostFunction.CrossEntropy && Task == BackpropTask.Regression)
                throw Bad(nameof(Cost), Cost, "cross-entropy is not defined for regression; use Quadratic.");
            if (Epochs < 1) throw Bad(nameof(Epochs), Epochs, "train for at least 1 epoch.");
            if (BatchSize < 1) throw Bad(nameof(BatchSize), BatchSize, "a mini-batch holds at least 1 example.");
            if (LearningRate is double rate && (!(rate > 0) || !double.IsFinite(rate)))
                throw Bad(nameof(LearningRate), LearningRate, "the learning rate must be a positive number.");
            if (!(L2Regularization >= 0) || !double.IsFinite(L2Regularization))
                throw Bad(nameof(L2Regularization), L2Regularization, "λ must be zero or a positive number.");
            if (MemoryBudgetMegabytes < 1)
                throw Bad(nameof(MemoryBudgetMegabytes), MemoryBudgetMegabytes, "allow at least 1 MB.");
            if (NumberOfThreads is int threads && threads < 1)
                throw Bad(nameof(NumberOfThreads), threads, "use at least 1 thread, or null for all cores.");
            if (!Enum.IsDefined(Solver)) throw Bad(nameof(Solver), Solver, "use Sgd or Adam.");
            if (!(Momentum >= 0 && Momentum < 1)) throw Bad(nameof(Momentum), Momentum, "momentum must be in [0, 1).");
            if (Momentum > 0 && Solver != MlNetBackprop.Solver.Sgd)
                throw Bad(nameof(Momentum), Momentum, $"momentum applies to the Sgd solver, not {Solver} (Adam has Beta1).");
            if (NesterovMomentum && !(Momentum > 0))
                throw Bad(nameof(NesterovMomentum), NesterovMomentum, "Nesterov momentum needs Momentum > 0 (scikit-learn uses 0.9).");
            if (!(Beta1 >= 0 && Beta1 < 1)) throw Bad(nameof(Beta1), Beta1, "β₁ must be in [0, 1).");
            if (!(Beta2 >= 0 && Beta2 < 1)) throw Bad(nameof(Beta2), Beta2, "β₂ must be in [0, 1).");
            if (!(Epsilon > 0) || !double.IsFinite(Epsilon)) throw Bad(nameof(Epsilon), Epsilon, "ε must be a small positive number.");
            if (!Enum.IsDefined(LearningRateSchedule)) throw Bad(nameof(LearningRateSchedule), LearningRateSchedule, "use Constant, InverseScaling or Adaptive.");
            if (!(PowerT > 0) || !double.IsFinite(PowerT)) throw Bad(nameof(PowerT), PowerT, "the exponent must be positive.");
            if (!(ValidationFraction > 0 && ValidationFraction < 1)) throw Bad(nameof(ValidationFraction), ValidationFraction, "the fraction must be in (0, 1).");
            if (IterationsWithoutImprovement < 1) throw Bad(nameof(IterationsWithoutImprovement), IterationsWithoutImprovement, "wait at least 1 epoch.");
            if (!(Tolerance >= 0) || !double.IsFinite(Tolerance)) throw Bad(nameof(Tolerance), Tolerance, "the tolerance must be zero or positive.");
            if (!(DropoutRate >= 0 && DropoutRate < 1)) throw Bad(nameof(DropoutRate), DropoutRate, "the dropout rate must be in [0, 1).");
            if (!Enum.IsDefined(WeightInitialization)) throw Bad(nameof(WeightInitialization), WeightInitialization, "use ScaledGaussian, Gaussian, Glorot or He.");
            if (!Enum.IsDefined(ClassWeighting)) throw Bad(nameof(ClassWeighting), ClassWeighting, "use None or Balanced.");
            if (ClassWeights is not null)
            {
                if (ClassWeighting == ClassWeighting.Balanced)
                    throw Bad(nameof(ClassWeights), "[…]", "give explicit class weights or ClassWeighting = Balanced, not both.");
                if (ClassWeights.Length == 0 || ClassWeights.Any(w => !(w >= 0) || !float.IsFinite(w)) || !ClassWeights.Any(w => w > 0))
                    throw Bad(nameof(ClassWeights), $"[{string.Join(", ", ClassWeights)}]", "class weights must be finite, non-negative, and not all zero.");
            }
            if ((ClassWeights is not null || ClassWeighting != ClassWeighting.None) && Task == BackpropTask.Regression)
                throw Bad(nameof(ClassWeighting), ClassWeighting, "class weights apply to classification, not regression.");
        }
    }
}
