namespace MlNetBackprop;

public sealed partial class BackpropTrainer
{
    public sealed partial class Options
    {
        /// <summary>
        /// The defaults before the tabular round (0.1.0's first set): the plain network alone, without the
        /// piecewise-linear encoding chosen by validation (<see cref="PiecewiseLinearBins"/> = 0), no label smoothing
        /// (<see cref="LabelSmoothing"/> = 0), and so early stopping below 10,000 training rows only (or when the
        /// network has more weights than rows). One <c>Fit</c>, one network; the "previous defaults" of the README's
        /// defaults benchmark. A new object each call.
        /// </summary>
        /// <example>
        /// <code>
        /// var trainer = ml.Regression.Trainers.Backprop(BackpropTrainer.Options.Classic());
        /// </code>
        /// </example>
        public static Options Classic() => new()
        {
            PiecewiseLinearBins = 0,
            LabelSmoothing = 0,
        };

        /// <summary>
        /// The settings of Nielsen's chapter 1 (network.py): one hidden layer of 30 sigmoid neurons, sigmoid outputs and
        /// the quadratic cost, weights and biases drawn from N(0, 1), plain stochastic gradient descent with η = 3.0 on
        /// mini-batches of 10, 30 epochs, all of them run. The book reaches about 95% on MNIST with them. A new object each call: change
        /// what you like on it.
        /// </summary>
        /// <example>
        /// <code>
        /// var options = BackpropTrainer.Options.NielsenChapter1();
        /// options.HiddenLayerSizes = [100];   // the chapter's second experiment
        /// var trainer = ml.MulticlassClassification.Trainers.Backprop(options);
        /// </code>
        /// </example>
        public static Options NielsenChapter1() => new()
        {
            HiddenLayerSizes = [30],
            Activation = HiddenActivation.Sigmoid,
            MulticlassOutput = MulticlassOutput.Sigmoid,
            Cost = CostFunction.Quadratic,
            WeightInitialization = WeightInitialization.Gaussian,
            Solver = Solver.Sgd,
            LearningRate = 3.0,
            BatchSize = 10,
            Epochs = 30,
            StandardizeFeatures = false,
            PiecewiseLinearBins = 0,
            LabelSmoothing = 0,
            EarlyStopping = false,
        };

        /// <summary>
        /// The settings of Nielsen's chapter 3 (network2.py): one hidden layer of 100 sigmoid neurons, sigmoid outputs
        /// and the cross-entropy cost, weights from N(0, 1/n_in) and biases from N(0, 1), plain stochastic gradient
        /// descent with η = 0.5 (0.05 for regression) on mini-batches of 10, L2 regularisation λ = 5.0, 30 epochs, all of them run. The
        /// book reaches about 98% on MNIST with them. The trainer's defaults were these until the defaults benchmark chose
        /// new ones (see the CHANGELOG), except
        /// that those had a softmax output, no L2 and 100 epochs (set <see cref="MulticlassOutput"/>,
        /// <see cref="L2Regularization"/> and <see cref="Epochs"/> to train those again).
        /// </summary>
        /// <example>
        /// <code>
        /// var options = BackpropTrainer.Options.NielsenChapter3();
        /// options.Epochs = 60;
        /// var trainer = ml.MulticlassClassification.Trainers.Backprop(options);
        /// </code>
        /// </example>
        public static Options NielsenChapter3() => new()
        {
            HiddenLayerSizes = [100],
            Activation = HiddenActivation.Sigmoid,
            MulticlassOutput = MulticlassOutput.Sigmoid,
            Cost = null,
            WeightInitialization = WeightInitialization.ScaledGaussian,
            Solver = Solver.Sgd,
            LearningRate = null,
            BatchSize = 10,
            Epochs = 30,
            L2Regularization = 5.0,
            StandardizeFeatures = false,
            PiecewiseLinearBins = 0,
            LabelSmoothing = 0,
            EarlyStopping = false,
        };
    }
}
