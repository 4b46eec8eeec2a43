namespace MlNetBackprop;

public sealed partial class BackpropTrainer
{
    public sealed partial class Options
    {
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
            if (!Enum.IsDefined(Activation)) throw Bad(nameof(Activation), Activation, $"use one of {Names<HiddenActivation>()}.");
            if (HiddenLayerActivations is { } activations)
            {
                if (activations.Length != HiddenLayerSizes.Length)
                    throw Bad(nameof(HiddenLayerActivations), $"[{string.Join(", ", activations)}]",
                        $"give one activation per hidden layer ({HiddenLayerSizes.Length}), or leave it null to use Activation for all.");
                foreach (var activation in activations)
                    if (!Enum.IsDefined(activation))
                        throw Bad(nameof(HiddenLayerActivations), activation, $"use one of {Names<HiddenActivation>()}.");
            }
            if (!Enum.IsDefined(MulticlassOutput)) throw Bad(nameof(MulticlassOutput), MulticlassOutput, $"use one of {Names<MulticlassOutput>()}.");
            if (Cost is CostFunction c && !Enum.IsDefined(c)) throw Bad(nameof(Cost), c, $"use one of {Names<CostFunction>()}.");
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
            if (!Enum.IsDefined(Solver)) throw Bad(nameof(Solver), Solver, $"use one of {Names<Solver>()}.");
            if (!(Momentum >= 0 && Momentum < 1)) throw Bad(nameof(Momentum), Momentum, "momentum must be in [0, 1).");
            if (Momentum > 0 && Solver != MlNetBackprop.Solver.Sgd)
                throw Bad(nameof(Momentum), Momentum, $"momentum applies to the Sgd solver, not {Solver} (Adam has Beta1).");
            if (NesterovMomentum && !(Momentum > 0))
                throw Bad(nameof(NesterovMomentum), NesterovMomentum, "Nesterov momentum needs Momentum > 0 (scikit-learn uses 0.9).");
            if (MaximumFunctionEvaluations < 1)
                throw Bad(nameof(MaximumFunctionEvaluations), MaximumFunctionEvaluations, "allow at least 1 evaluation.");
            if (HistorySize < 1) throw Bad(nameof(HistorySize), HistorySize, "keep at least 1 pair.");
            if (Solver == MlNetBackprop.Solver.Lbfgs && DropoutRate > 0)
                throw Bad(nameof(DropoutRate), DropoutRate, "L-BFGS needs a cost that is a fixed function of the weights: use no dropout with it, or Adam.");
            if (!(Beta1 >= 0 && Beta1 < 1)) throw Bad(nameof(Beta1), Beta1, "β₁ must be in [0, 1).");
            if (!(Beta2 >= 0 && Beta2 < 1)) throw Bad(nameof(Beta2), Beta2, "β₂ must be in [0, 1).");
            if (!(Epsilon > 0) || !double.IsFinite(Epsilon)) throw Bad(nameof(Epsilon), Epsilon, "ε must be a small positive number.");
            if (!Enum.IsDefined(LearningRateSchedule)) throw Bad(nameof(LearningRateSchedule), LearningRateSchedule, $"use one of {Names<LearningRateSchedule>()}.");
            if (!(PowerT > 0) || !double.IsFinite(PowerT)) throw Bad(nameof(PowerT), PowerT, "the exponent must be positive.");
            if (!(ValidationFraction > 0 && ValidationFraction < 1)) throw Bad(nameof(ValidationFraction), ValidationFraction, "the fraction must be in (0, 1).");
            if (IterationsWithoutImprovement < 1) throw Bad(nameof(IterationsWithoutImprovement), IterationsWithoutImprovement, "wait at least 1 epoch.");
            if (!(Tolerance >= 0) || !double.IsFinite(Tolerance)) throw Bad(nameof(Tolerance), Tolerance, "the tolerance must be zero or positive.");
            if (!(FeatureScalesLearningRateFactor > 0) || !double.IsFinite(FeatureScalesLearningRateFactor))
                throw Bad(nameof(FeatureScalesLearningRateFactor), FeatureScalesLearningRateFactor, "the factor must be a positive number.");
            if (!(BiasLearningRateFactor > 0) || !double.IsFinite(BiasLearningRateFactor))
                throw Bad(nameof(BiasLearningRateFactor), BiasLearningRateFactor, "the factor must be a positive number.");
            if (PiecewiseLinearBins is < 0 or 1 or > 1024)
                throw Bad(nameof(PiecewiseLinearBins), PiecewiseLinearBins, "use 0 for none, 2 to 1,024 bins, or null to let validation choose.");
            if (RobustStandardization && !StandardizeFeatures)
                throw Bad(nameof(RobustStandardization), RobustStandardization, "robust standardization is a way of StandardizeFeatures: set that too.");
            if (LabelSmoothing is double epsilon && !(epsilon >= 0 && epsilon < 1)) throw Bad(nameof(LabelSmoothing), epsilon, "ε must be in [0, 1), or null for the default.");
            if (!(DropoutRate >= 0 && DropoutRate < 1)) throw Bad(nameof(DropoutRate), DropoutRate, "the dropout rate must be in [0, 1).");
            if (!Enum.IsDefined(WeightInitialization)) throw Bad(nameof(WeightInitialization), WeightInitialization, $"use one of {Names<WeightInitialization>()}.");
            if (!Enum.IsDefined(ClassWeighting)) throw Bad(nameof(ClassWeighting), ClassWeighting, $"use one of {Names<ClassWeighting>()}.");
            if (ClassWeights is not null)
            {
                if (ClassWeighting == ClassWeighting.Balanced)
                    throw Bad(nameof(ClassWeights), "[…]", "give explicit class weights or ClassWeighting = Balanced, not both.");
                if (ClassWeights.Length == 0 || ClassWeights.Any(w => !(w >= 0) || !float.IsFinite(w)) || !ClassWeights.Any(w => w > 0))
                    throw Bad(nameof(ClassWeights), $"[{string.Join(", ", ClassWeights)}]", "class weights must be finite, non-negative, and not all zero.");
            }
            if (Task != BackpropTask.Auto)
                MlNet.Fitting.TrainingPlan.CheckOptions(this, Task);
        }

        private static string Names<TEnum>() where TEnum : struct, Enum => string.Join(", ", Enum.GetNames<TEnum>());
    }
}
