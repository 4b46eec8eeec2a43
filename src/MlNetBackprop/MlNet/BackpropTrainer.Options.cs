namespace MlNetBackprop;

public sealed partial class BackpropTrainer
{
    /// <summary>Options for <see cref="BackpropTrainer"/>. Every member has a default that trains well on normalized features.</summary>
    public sealed partial class Options
    {
        /// <summary>The label column: a key (multiclass), Boolean (binary) or Single/Double (regression). Default "Label".</summary>
        public string LabelColumnName = "Label";

        /// <summary>The feature column: a known-size vector of Single. Default "Features".</summary>
        public string FeatureColumnName = "Features";

        /// <summary>An optional Single column of non-negative example weights; null (the default) weighs all rows equally.</summary>
        public string? ExampleWeightColumnName;

        /// <summary>
        /// The task; <see cref="BackpropTask.Auto"/> (the default) follows the label column's type. A vector label of Single
        /// or Double is multi-output regression unless this names <see cref="BackpropTask.MultiLabelClassification"/>.
        /// </summary>
        public BackpropTask Task = BackpropTask.Auto;

        /// <summary>The sizes of the hidden layers, from the input side; empty for none. Default one layer of 100.</summary>
        public int[] HiddenLayerSizes = [100];

        /// <summary>The hidden layers' activation. Default <see cref="HiddenActivation.Relu"/> (the book's is Sigmoid: see <see cref="NielsenChapter3"/>).</summary>
        public HiddenActivation Activation = HiddenActivation.Relu;

        /// <summary>
        /// Each hidden layer's own activation, one per entry of <see cref="HiddenLayerSizes"/>; null (the default) gives every
        /// hidden layer <see cref="Activation"/>.
        /// </summary>
        public HiddenActivation[]? HiddenLayerActivations;

        /// <summary>
        /// The output layer of multiclass classification: <see cref="MlNetBackprop.MulticlassOutput.Softmax"/> (the default;
        /// with the cross-entropy cost, chapter 3's log-likelihood) or <see cref="MlNetBackprop.MulticlassOutput.Sigmoid"/>
        /// (one sigmoid per class, as in network.py and network2.py). Binary classification always has one sigmoid output,
        /// regression one linear output.
        /// </summary>
        public MulticlassOutput MulticlassOutput = MulticlassOutput.Softmax;

        /// <summary>
        /// The cost. Null (the default) means <see cref="CostFunction.CrossEntropy"/> for classification and
        /// <see cref="CostFunction.Quadratic"/> for regression.
        /// </summary>
        public CostFunction? Cost;

        /// <summary>
        /// Passes over the training data, at most: with <see cref="EarlyStopping"/> (or its automatic choice) training
        /// usually ends sooner. Default 200, scikit-learn's max_iter.
        /// </summary>
        public int Epochs = DefaultEpochs;

        /// <summary>
        /// The update rule. Default <see cref="MlNetBackprop.Solver.Adam"/>, as scikit-learn's; Nielsen's is plain
        /// <see cref="MlNetBackprop.Solver.Sgd"/> (see <see cref="NielsenChapter1"/> and <see cref="NielsenChapter3"/>).
        /// </summary>
        public Solver Solver = Solver.Adam;

        /// <summary>
        /// <see cref="MlNetBackprop.Solver.Lbfgs"/>: the most passes over the training data (function evaluations, the line
        /// search's included) a run takes. Default 15000, scikit-learn's max_fun.
        /// </summary>
        public int MaximumFunctionEvaluations = 15000;

        /// <summary><see cref="MlNetBackprop.Solver.Lbfgs"/>: the pairs of past steps that approximate the curvature. Default 10, scipy's.</summary>
        public int HistorySize = 10;

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
        /// True: stop when the validation cost has not fallen by <see cref="Tolerance"/> for more than
        /// <see cref="IterationsWithoutImprovement"/> epochs (and, with <see cref="RestoreBestWeights"/>, end with the best
        /// epoch's weights). The validation data is what <c>Fit</c> was given, or else a stratified
        /// <see cref="ValidationFraction"/> of the training data. False: train all <see cref="Epochs"/>. Null (the
        /// default) chooses by the data: early stopping for fewer than 10,000 training rows, or when the network has
        /// more weights than there are rows (text, wide one-hot columns, images), where a network overfits long before
        /// its last epoch, or when <c>Fit</c> chooses the piecewise-linear encoding on a validation split (see
        /// <see cref="PiecewiseLinearBins"/>); otherwise no validation split, and training stops when the training cost
        /// stalls by the same rule (scikit-learn's default).
        /// </summary>
        public bool? EarlyStopping;

        /// <summary>The fraction of the training data set aside for early stopping when <c>Fit</c> gets no validation data. Default 0.1.</summary>
        public double ValidationFraction = 0.1;

        /// <summary>
        /// Epochs without improvement before early stopping or the adaptive schedule acts (scikit-learn's n_iter_no_change,
        /// whose default is 10). Default 20: on the small tables of the defaults benchmark, 10 stopped too soon.
        /// </summary>
        public int IterationsWithoutImprovement = 20;

        /// <summary>The fall of the monitored cost that counts as an improvement (scikit-learn's tol). Default 1e-4.</summary>
        public double Tolerance = 1e-4;

        /// <summary>With early stopping, end with the weights of the epoch of lowest validation cost (as scikit-learn does). Default true.</summary>
        public bool RestoreBestWeights = true;

        /// <summary>The probability of dropping each hidden neuron in each training example, in [0, 1); 0 (the default) for no dropout. Scoring never drops.</summary>
        public double DropoutRate;

        /// <summary>
        /// Centre and scale every feature to mean 0 and variance 1 over the training rows, as scikit-learn's
        /// StandardScaler does for its MLP: the network gets a first layer without parameters that computes
        /// (x − μ)/σ, and it travels with the network, so the saved model reads the features as they come. Features often
        /// arrive uncentred (ML.NET's NormalizeMeanVariance divides by σ but keeps zero at zero; NormalizeMinMax maps to
        /// [0, 1]; one-hot columns are zeros and ones), and a network trains worse on them. Features that are only ever 0
        /// or 1 are centred and not scaled. Applies to dense rows, held in memory or streamed; sparse rows (which
        /// centring would fill) are used as they come. Default true; the Nielsen presets turn it off, as the book feeds
        /// its pixels as they are.
        /// </summary>
        public bool StandardizeFeatures = true;

        /// <summary>
        /// With <see cref="StandardizeFeatures"/>: centre each feature at its median and scale it by its interquartile range
        /// (by half its range where the quartiles coincide, as for a rare category's one-hot column), then clip it smoothly,
        /// x/√(1 + (x/3)²), so that no outlying value dominates the first layer: RealMLP's preprocessing (Holzmüller et al.,
        /// 2024). The quartiles come from a uniform sample of at most 4,096 training rows. Default false: mean and standard
        /// deviation, no clipping.
        /// </summary>
        public bool RobustStandardization;

        /// <summary>
        /// Add to the features, for every numeric one (not the 0/1 columns of one-hot encodings), its piecewise-linear
        /// encoding in this many bins cut at quantiles of the training rows (Gorishniy et al., 2022): bin t is 1 once x has
        /// passed it, x's position inside it, 0 ahead of it, so that the first layer learns a piecewise-linear function of
        /// each feature, with the thresholds a tree would split at. The network keeps the edges and reads the features as
        /// they come. Dense rows only (or sparse ones made dense). 0 for none.
        /// <para>
        /// Default null, chosen by validation: where training holds out a validation split (see <see cref="EarlyStopping"/>)
        /// of at least <see cref="BackpropTrainer.AutomaticEncodingLeastValidationRows"/> rows,
        /// the rows are dense and standardized and no model is continued, <c>Fit</c> trains a second network, with
        /// <see cref="BackpropTrainer.AutomaticPiecewiseLinearBins"/> bins and at least
        /// <see cref="BackpropTrainer.AutomaticEncodingPatience"/> epochs of patience, on the same split, and keeps the encoded
        /// one only when its mean validation cost is lower by more than one standard error of the paired per-row
        /// differences (Breiman's one-standard-error rule; a lower figure alone is often chance on a few hundred rows). The encoding pays on tables whose target moves in steps or depends on exact values
        /// (trees' strength) and loses on small noisy ones; the validation split tells which one it has. It is not tried
        /// when the encoded input would exceed <see cref="BackpropTrainer.AutomaticEncodingMostInputs"/> columns (images,
        /// text). <see cref="Options.Progress"/> reports both runs' epochs, and the log says which network was kept.
        /// </para>
        /// </summary>
        public int? PiecewiseLinearBins;

        /// <summary>
        /// Put a diagonal layer in front of the first fully connected layer: one learnable factor per feature, starting at 1,
        /// trained with <see cref="FeatureScalesLearningRateFactor"/> times the learning rate, so that the network learns how
        /// much each feature matters (RealMLP's scaling layer). Dense rows only. Default false.
        /// </summary>
        public bool LearnFeatureScales;

        /// <summary>The feature scales' learning rate as a multiple of <see cref="LearningRate"/> (with <see cref="LearnFeatureScales"/>). Default 6, RealMLP's.</summary>
        public double FeatureScalesLearningRateFactor = 6;

        /// <summary>The biases' learning rate as a multiple of <see cref="LearningRate"/> (RealMLP uses 0.1). Default 1.</summary>
        public double BiasLearningRateFactor = 1;

        /// <summary>
        /// Keep what training needs to go on bit for bit (the update rule's state: Adam's moments or momentum's velocities;
        /// the examples seen; the schedule's learning rate) with the fitted model, and save it with the model, so that
        /// <c>Fit(train, validation, model)</c> on a loaded model trains on as if it had never stopped. It costs memory as
        /// long as the model lives: Adam's state is twice the weights. Default false: the model holds its network and
        /// nothing more, and a warm start begins the update rule afresh.
        /// </summary>
        public bool KeepTrainingState;

        /// <summary>
        /// How the weights start. Default <see cref="MlNetBackprop.WeightInitialization.Glorot"/> (uniform, biases 0), as
        /// scikit-learn's; Nielsen's chapter 3 uses <see cref="MlNetBackprop.WeightInitialization.ScaledGaussian"/>, N(0, 1/n_in).
        /// </summary>
        public WeightInitialization WeightInitialization = WeightInitialization.Glorot;

        /// <summary>
        /// Label smoothing ε for classification (Szegedy et al., 2016), in [0, 1): training's targets become (1 − ε)·y + ε/K
        /// over the K classes (binary: 1 − ε/2 and ε/2), so that the cross-entropy stops pushing the right class's score ever
        /// higher. Scores and probabilities keep their meaning. Default null:
        /// <see cref="BackpropTrainer.AutomaticLabelSmoothing"/> for multiclass classification (RealMLP's setting; on the
        /// defaults benchmark's eleven multiclass tables it raised accuracy on seven, by up to 0.014, and lowered it on two by
        /// under 0.008), 0 for binary and multi-label classification (each label's targets 1 − ε/2 and ε/2 when set) and
        /// regression.
        /// </summary>
        public double? LabelSmoothing;

        /// <summary>Weights per class for classification. Default <see cref="MlNetBackprop.ClassWeighting.None"/>.</summary>
        public ClassWeighting ClassWeighting = ClassWeighting.None;

        /// <summary>
        /// Explicit weights per class, in the label's key order (binary: [false, true]); null for none. Multiplied with the
        /// example weights. Exclusive with <see cref="ClassWeighting"/> = Balanced.
        /// </summary>
        public float[]? ClassWeights;

        /// <summary>Examples per mini-batch (m). Default 64 (Nielsen's is 10; scikit-learn's 200).</summary>
        public int BatchSize = DefaultBatchSize;

        /// <summary>
        /// The learning rate η. Null (the default) picks 0.001 for <see cref="MlNetBackprop.Solver.Adam"/> (Kingma and
        /// Ba's, and scikit-learn's), and for <see cref="MlNetBackprop.Solver.Sgd"/> Nielsen's rates for the cost
        /// (<see cref="BackpropTrainer.DefaultLearningRate"/>): 0.5 for cross-entropy classification (chapter 3), 3.0 for
        /// quadratic-cost classification (chapter 1), and 0.05 for regression, whose linear output neuron sums the whole
        /// last hidden layer and diverges at higher rates.
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
        /// How much memory the training data may take, in megabytes, counted as it is held: per row 4 bytes per feature
        /// (dense rows) or 8 per non-zero and 4 more (sparse rows, see the remarks of <see cref="BackpropTrainer"/>), 8 for
        /// the label (8 per target or label of a vector label) and 4 for an example weight. The data is read once; data that outgrows the budget while it is read
        /// is let go, and each epoch streams it from the IDataView's cursor through a shuffle buffer of half this size
        /// (sparse rows stay sparse there too). Default 4096.
        /// </summary>
        public int MemoryBudgetMegabytes = 4096;

        /// <summary>Cancels training between mini-batches; <c>Fit</c> then throws <see cref="OperationCanceledException"/>.</summary>
        public CancellationToken CancellationToken;

        /// <summary>A copy, so that a trainer is not affected when its caller keeps changing the options object.</summary>
        internal Options Clone()
        {
            var copy = (Options)MemberwiseClone();
            copy.HiddenLayerSizes = (int[])HiddenLayerSizes?.Clone()!;
            copy.HiddenLayerActivations = (HiddenActivation[]?)HiddenLayerActivations?.Clone();
            copy.ClassWeights = (float[]?)ClassWeights?.Clone();
            return copy;
        }
    }
}
