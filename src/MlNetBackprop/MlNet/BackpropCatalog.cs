using Microsoft.ML;
using MlNetBackprop.MlNet;

namespace MlNetBackprop;

/// <summary>Catalog extension methods that create a <see cref="BackpropTrainer"/> for a fixed task.</summary>
public static class BackpropCatalog
{
    /// <summary>A multilayer perceptron for multiclass classification (the label must be a key: use MapValueToKey).</summary>
    /// <param name="catalog">The multiclass trainers catalog.</param>
    /// <param name="labelColumnName">The label column (key type).</param>
    /// <param name="featureColumnName">The feature column (known-size vector of Single).</param>
    /// <param name="exampleWeightColumnName">Optional example weight column.</param>
    /// <param name="hiddenLayerSizes">Hidden layer sizes; null for one layer of 100.</param>
    /// <param name="epochs">Passes over the data.</param>
    /// <param name="learningRate">The learning rate η; null for the default of the task.</param>
    /// <param name="batchSize">Examples per mini-batch.</param>
    /// <example>
    /// <code>
    /// var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
    ///     .Append(ml.MulticlassClassification.Trainers.Backprop(hiddenLayerSizes: [64]))
    ///     .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
    /// </code>
    /// </example>
    public static BackpropTrainer Backprop(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", string? exampleWeightColumnName = null,
        int[]? hiddenLayerSizes = null, int epochs = BackpropTrainer.DefaultEpochs, double? learningRate = null, int batchSize = BackpropTrainer.DefaultBatchSize)
        => Create(catalog, BackpropTask.MulticlassClassification, labelColumnName, featureColumnName, hiddenLayerSizes, epochs, learningRate, batchSize, exampleWeightColumnName);

    /// <summary>A multilayer perceptron for multiclass classification with all options.</summary>
    /// <param name="catalog">The multiclass trainers catalog.</param>
    /// <param name="options">The options; <see cref="BackpropTrainer.Options.Task"/> is set to multiclass classification.</param>
    public static BackpropTrainer Backprop(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, BackpropTrainer.Options options)
        => Create(catalog, BackpropTask.MulticlassClassification, options);

    /// <summary>A multilayer perceptron for binary classification (Boolean label).</summary>
    /// <param name="catalog">The binary trainers catalog.</param>
    /// <param name="labelColumnName">The label column (Boolean).</param>
    /// <param name="featureColumnName">The feature column (known-size vector of Single).</param>
    /// <param name="exampleWeightColumnName">Optional example weight column.</param>
    /// <param name="hiddenLayerSizes">Hidden layer sizes; null for one layer of 100.</param>
    /// <param name="epochs">Passes over the data.</param>
    /// <param name="learningRate">The learning rate η; null for the default of the task.</param>
    /// <param name="batchSize">Examples per mini-batch.</param>
    /// <example>
    /// <code>
    /// var model = ml.BinaryClassification.Trainers.Backprop(labelColumnName: "IsSpam").Fit(train);
    /// var metrics = ml.BinaryClassification.Evaluate(model.Transform(test), "IsSpam");
    /// </code>
    /// </example>
    public static BackpropTrainer Backprop(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", string? exampleWeightColumnName = null,
        int[]? hiddenLayerSizes = null, int epochs = BackpropTrainer.DefaultEpochs, double? learningRate = null, int batchSize = BackpropTrainer.DefaultBatchSize)
        => Create(catalog, BackpropTask.BinaryClassification, labelColumnName, featureColumnName, hiddenLayerSizes, epochs, learningRate, batchSize, exampleWeightColumnName);

    /// <summary>A multilayer perceptron for binary classification with all options.</summary>
    /// <param name="catalog">The binary trainers catalog.</param>
    /// <param name="options">The options; <see cref="BackpropTrainer.Options.Task"/> is set to binary classification.</param>
    public static BackpropTrainer Backprop(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, BackpropTrainer.Options options)
        => Create(catalog, BackpropTask.BinaryClassification, options);

    /// <summary>A multilayer perceptron for regression (Single or Double label, in any units).</summary>
    /// <param name="catalog">The regression trainers catalog.</param>
    /// <param name="labelColumnName">The label column (Single or Double).</param>
    /// <param name="featureColumnName">The feature column (known-size vector of Single).</param>
    /// <param name="exampleWeightColumnName">Optional example weight column.</param>
    /// <param name="hiddenLayerSizes">Hidden layer sizes; null for one layer of 100.</param>
    /// <param name="epochs">Passes over the data.</param>
    /// <param name="learningRate">The learning rate η; null for the default of the task.</param>
    /// <param name="batchSize">Examples per mini-batch.</param>
    /// <example>
    /// <code>
    /// var model = ml.Regression.Trainers.Backprop(labelColumnName: "Price", hiddenLayerSizes: [32, 16]).Fit(train);
    /// var metrics = ml.Regression.Evaluate(model.Transform(test), "Price");
    /// </code>
    /// </example>
    public static BackpropTrainer Backprop(this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", string? exampleWeightColumnName = null,
        int[]? hiddenLayerSizes = null, int epochs = BackpropTrainer.DefaultEpochs, double? learningRate = null, int batchSize = BackpropTrainer.DefaultBatchSize)
        => Create(catalog, BackpropTask.Regression, labelColumnName, featureColumnName, hiddenLayerSizes, epochs, learningRate, batchSize, exampleWeightColumnName);

    /// <summary>A multilayer perceptron for regression with all options.</summary>
    /// <param name="catalog">The regression trainers catalog.</param>
    /// <param name="options">The options; <see cref="BackpropTrainer.Options.Task"/> is set to regression.</param>
    public static BackpropTrainer Backprop(this RegressionCatalog.RegressionTrainers catalog, BackpropTrainer.Options options)
        => Create(catalog, BackpropTask.Regression, options);

    /// <summary>
    /// A multilayer perceptron for multi-output regression: one network predicts every target of a known-size vector
    /// label of Single or Double (one linear output neuron per target), learning what the targets share. <c>Score</c> is a
    /// vector of Single in the targets' units, with the label's slot names. A NaN target is left out of that row's cost.
    /// </summary>
    /// <param name="catalog">The regression trainers catalog.</param>
    /// <param name="labelColumnName">The label column (known-size vector of Single or Double, e.g. from Concatenate).</param>
    /// <param name="featureColumnName">The feature column (known-size vector of Single).</param>
    /// <param name="exampleWeightColumnName">Optional example weight column.</param>
    /// <param name="hiddenLayerSizes">Hidden layer sizes; null for one layer of 100.</param>
    /// <param name="epochs">Passes over the data.</param>
    /// <param name="learningRate">The learning rate η; null for the default of the task.</param>
    /// <param name="batchSize">Examples per mini-batch.</param>
    /// <example>
    /// <code>
    /// var pipeline = ml.Transforms.Concatenate("Label", "Fare", "Tip")
    ///     .Append(ml.Transforms.Concatenate("Features", "Distance", "Passengers"))
    ///     .Append(ml.Regression.Trainers.BackpropMultiOutput());
    /// var model = pipeline.Fit(train);
    /// var metrics = ml.Regression.EvaluateMultiOutput(model.Transform(test));   // R² of Fare and of Tip, and their mean
    /// </code>
    /// </example>
    public static BackpropTrainer BackpropMultiOutput(this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", string? exampleWeightColumnName = null,
        int[]? hiddenLayerSizes = null, int epochs = BackpropTrainer.DefaultEpochs, double? learningRate = null, int batchSize = BackpropTrainer.DefaultBatchSize)
        => Create(catalog, BackpropTask.MultiOutputRegression, labelColumnName, featureColumnName, hiddenLayerSizes, epochs, learningRate, batchSize, exampleWeightColumnName);

    /// <summary>A multilayer perceptron for multi-output regression with all options.</summary>
    /// <param name="catalog">The regression trainers catalog.</param>
    /// <param name="options">The options; <see cref="BackpropTrainer.Options.Task"/> is set to multi-output regression.</param>
    public static BackpropTrainer BackpropMultiOutput(this RegressionCatalog.RegressionTrainers catalog, BackpropTrainer.Options options)
        => Create(catalog, BackpropTask.MultiOutputRegression, options);

    /// <summary>
    /// A multilayer perceptron for multi-label classification: one network decides every label of a known-size vector
    /// label of Boolean (or of Single or Double holding 0 and 1), one sigmoid output neuron per label trained with the
    /// cross-entropy. <c>Score</c>, <c>Probability</c> and <c>PredictedLabel</c> are vectors with one slot per label, each
    /// as a binary classifier's (PredictedLabel is Score &gt; 0, probability above one half). A NaN label is left out of
    /// that row's cost.
    /// </summary>
    /// <param name="catalog">The binary trainers catalog.</param>
    /// <param name="labelColumnName">The label column (known-size vector of Boolean, e.g. from Concatenate of Boolean columns).</param>
    /// <param name="featureColumnName">The feature column (known-size vector of Single).</param>
    /// <param name="exampleWeightColumnName">Optional example weight column.</param>
    /// <param name="hiddenLayerSizes">Hidden layer sizes; null for one layer of 100.</param>
    /// <param name="epochs">Passes over the data.</param>
    /// <param name="learningRate">The learning rate η; null for the default of the task.</param>
    /// <param name="batchSize">Examples per mini-batch.</param>
    /// <example>
    /// <code>
    /// var pipeline = ml.Transforms.Concatenate("Label", "IsBug", "IsFeature", "NeedsDocs")
    ///     .Append(ml.Transforms.Text.FeaturizeText("Features", "Title"))
    ///     .Append(ml.BinaryClassification.Trainers.BackpropMultiLabel());
    /// var model = pipeline.Fit(train);
    /// var metrics = ml.BinaryClassification.EvaluateMultiLabel(model.Transform(test));   // AUC per label, micro F1, Hamming loss
    /// </code>
    /// </example>
    public static BackpropTrainer BackpropMultiLabel(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", string? exampleWeightColumnName = null,
        int[]? hiddenLayerSizes = null, int epochs = BackpropTrainer.DefaultEpochs, double? learningRate = null, int batchSize = BackpropTrainer.DefaultBatchSize)
        => Create(catalog, BackpropTask.MultiLabelClassification, labelColumnName, featureColumnName, hiddenLayerSizes, epochs, learningRate, batchSize, exampleWeightColumnName);

    /// <summary>A multilayer perceptron for multi-label classification with all options.</summary>
    /// <param name="catalog">The binary trainers catalog.</param>
    /// <param name="options">The options; <see cref="BackpropTrainer.Options.Task"/> is set to multi-label classification.</param>
    public static BackpropTrainer BackpropMultiLabel(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, BackpropTrainer.Options options)
        => Create(catalog, BackpropTask.MultiLabelClassification, options);

    private static BackpropTrainer Create(object catalog, BackpropTask task, string labelColumnName, string featureColumnName,
        int[]? hiddenLayerSizes, int epochs, double? learningRate, int batchSize, string? exampleWeightColumnName)
        => Create(catalog, task, new BackpropTrainer.Options
        {
            LabelColumnName = labelColumnName,
            FeatureColumnName = featureColumnName,
            HiddenLayerSizes = hiddenLayerSizes ?? [100],
            Epochs = epochs,
            LearningRate = learningRate,
            BatchSize = batchSize,
            ExampleWeightColumnName = exampleWeightColumnName,
        });

    private static BackpropTrainer Create(object catalog, BackpropTask task, BackpropTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Task != BackpropTask.Auto && options.Task != task)
            throw new ArgumentOutOfRangeException(nameof(options), options.Task,
                $"Option Task = {options.Task} contradicts the {task} catalog: leave it Auto or use the matching catalog.");
        return new BackpropTrainer(EnvironmentAccess.FromCatalog(catalog), options, task);
    }
}
