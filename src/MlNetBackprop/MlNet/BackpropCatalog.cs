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
