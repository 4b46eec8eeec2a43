using Microsoft.ML.Transforms;
using MlNetBackprop.Network.Targets;

namespace MlNetBackprop.MlNet.Scoring;

// The mappings of the saved scoring chain. A saved model records each contract name, and ML.NET finds the factory
// carrying it in this assembly when the model is loaded, in this or any later process (the factories may be internal:
// ML.NET creates them through reflection). The contract names are part of the saved format: never change one; add a
// new one (".v2") for a new behaviour.

/// <summary>Adds the network's key to every row (it reads nothing), under which the network's text is looked up.</summary>
[CustomMappingFactoryAttribute(Contract)]
internal sealed class ModelKeyFactory : CustomMappingFactory<NoColumns, ModelKey>
{
    internal const string Contract = "MlNetBackprop.ModelKey.v1";

    /// <inheritdoc/>
    public override Action<NoColumns, ModelKey> GetMapping() => static (_, output) => output.Key = Persistence.SavedRecords.NetworkKey;
}

/// <summary>Regression: the network's linear output, mapped back to the label's units.</summary>
[CustomMappingFactoryAttribute(Contract)]
internal sealed class RegressionFactory : CustomMappingFactory<ForwardInput, RegressionOutput>
{
    internal const string Contract = "MlNetBackprop.Regression.v1";

    /// <inheritdoc/>
    public override Action<ForwardInput, RegressionOutput> GetMapping() => Mapping(new NetworkSource());

    /// <summary>The mapping, scoring with the networks <paramref name="source"/> gives.</summary>
    internal static Action<ForwardInput, RegressionOutput> Mapping(NetworkSource source)
        => (input, output) =>
        {
            var predictor = source.Get(input.Model, BackpropTask.Regression);
            NetworkSource.Forward(predictor, input.Features, out _, out var a);
            output.Score = NetworkSource.Finite(OutputDecoding.Value(a, predictor.Standardization), input.Features);
        };
}

/// <summary>Binary classification: one sigmoid output neuron.</summary>
[CustomMappingFactoryAttribute(Contract)]
internal sealed class BinaryFactory : CustomMappingFactory<ForwardInput, BinaryOutput>
{
    internal const string Contract = "MlNetBackprop.Binary.v1";

    /// <inheritdoc/>
    public override Action<ForwardInput, BinaryOutput> GetMapping() => Mapping(new NetworkSource());

    /// <summary>The mapping, scoring with the networks <paramref name="source"/> gives.</summary>
    internal static Action<ForwardInput, BinaryOutput> Mapping(NetworkSource source)
        => (input, output) =>
        {
            NetworkSource.Forward(source.Get(input.Model, BackpropTask.BinaryClassification), input.Features, out var z, out var a);
            (output.Score, output.Probability, output.PredictedLabel) = OutputDecoding.Binary(z, a);
        };
}

/// <summary>Multiclass classification: class probabilities and the most probable class, for output rows of one size.</summary>
internal abstract class MulticlassFactoryBase<TScores> : CustomMappingFactory<ForwardInput, TScores>
    where TScores : class, IClassScores, new()
{
    /// <inheritdoc/>
    public override Action<ForwardInput, TScores> GetMapping() => Mapping(new NetworkSource());

    /// <summary>The mapping, scoring with the networks <paramref name="source"/> gives.</summary>
    internal static Action<ForwardInput, TScores> Mapping(NetworkSource source)
        => (input, output) =>
        {
            NetworkSource.Forward(source.Get(input.Model, BackpropTask.MulticlassClassification, output.Values.Length), input.Features, out _, out var a);
            output.PredictedIndex = OutputDecoding.Classes(a, output.Values);
        };
}

/// <summary>Up to 16 classes.</summary>
[CustomMappingFactoryAttribute(Contract)]
internal sealed class Multiclass16Factory : MulticlassFactoryBase<MulticlassScores16>
{
    internal const string Contract = "MlNetBackprop.Multiclass16.v1";
}

/// <summary>Up to 64 classes.</summary>
[CustomMappingFactoryAttribute(Contract)]
internal sealed class Multiclass64Factory : MulticlassFactoryBase<MulticlassScores64>
{
    internal const string Contract = "MlNetBackprop.Multiclass64.v1";
}

/// <summary>Up to 256 classes.</summary>
[CustomMappingFactoryAttribute(Contract)]
internal sealed class Multiclass256Factory : MulticlassFactoryBase<MulticlassScores256>
{
    internal const string Contract = "MlNetBackprop.Multiclass256.v1";
}

/// <summary>Up to 1,024 classes.</summary>
[CustomMappingFactoryAttribute(Contract)]
internal sealed class Multiclass1024Factory : MulticlassFactoryBase<MulticlassScores1024>
{
    internal const string Contract = "MlNetBackprop.Multiclass1024.v1";
}

/// <summary>Multi-output regression: each linear output mapped back to its target's units, for output rows of one size.</summary>
internal abstract class MultiOutputFactoryBase<TValues> : CustomMappingFactory<ForwardInput, TValues>
    where TValues : class, IOutputValues, new()
{
    /// <inheritdoc/>
    public override Action<ForwardInput, TValues> GetMapping() => Mapping(new NetworkSource());

    /// <summary>The mapping, scoring with the networks <paramref name="source"/> gives.</summary>
    internal static Action<ForwardInput, TValues> Mapping(NetworkSource source)
        => (input, output) =>
        {
            var predictor = source.Get(input.Model, BackpropTask.MultiOutputRegression, output.Values.Length);
            NetworkSource.Forward(predictor, input.Features, out _, out var a);
            OutputDecoding.Values(a, predictor.Standardization, output.Values);
            NetworkSource.Finite(output.Values.AsSpan(0, a.Length), input.Features);
            // Slots past the network's outputs are NaN, so that a chain reading more slots than the network has shows it.
            output.Values.AsSpan(a.Length).Fill(float.NaN);
        };
}

/// <summary>Up to 16 targets.</summary>
[CustomMappingFactoryAttribute(Contract)]
internal sealed class MultiOutput16Factory : MultiOutputFactoryBase<MultiOutputValues16>
{
    internal const string Contract = "MlNetBackprop.MultiOutput16.v1";
}

/// <summary>Up to 64 targets.</summary>
[CustomMappingFactoryAttribute(Contract)]
internal sealed class MultiOutput64Factory : MultiOutputFactoryBase<MultiOutputValues64>
{
    internal const string Contract = "MlNetBackprop.MultiOutput64.v1";
}

/// <summary>Up to 256 targets.</summary>
[CustomMappingFactoryAttribute(Contract)]
internal sealed class MultiOutput256Factory : MultiOutputFactoryBase<MultiOutputValues256>
{
    internal const string Contract = "MlNetBackprop.MultiOutput256.v1";
}

/// <summary>Up to 1,024 targets.</summary>
[CustomMappingFactoryAttribute(Contract)]
internal sealed class MultiOutput1024Factory : MultiOutputFactoryBase<MultiOutputValues1024>
{
    internal const string Contract = "MlNetBackprop.MultiOutput1024.v1";
}

/// <summary>Multi-label classification: one sigmoid output per label, each read as a binary classifier's, for output rows of one size.</summary>
internal abstract class MultiLabelFactoryBase<TLabels> : CustomMappingFactory<ForwardInput, TLabels>
    where TLabels : class, ILabelOutputs, new()
{
    /// <inheritdoc/>
    public override Action<ForwardInput, TLabels> GetMapping() => Mapping(new NetworkSource());

    /// <summary>The mapping, scoring with the networks <paramref name="source"/> gives.</summary>
    internal static Action<ForwardInput, TLabels> Mapping(NetworkSource source)
        => (input, output) =>
        {
            NetworkSource.Forward(source.Get(input.Model, BackpropTask.MultiLabelClassification, output.Scores.Length), input.Features, out var z, out var a);
            OutputDecoding.Labels(z, a, output.Scores, output.Probabilities, output.Decisions);
            // Slots past the network's outputs are NaN (and false), so that a chain reading more slots than the network has shows it.
            output.Scores.AsSpan(z.Length).Fill(float.NaN);
            output.Probabilities.AsSpan(z.Length).Fill(float.NaN);
            output.Decisions.AsSpan(z.Length).Clear();
        };
}

/// <summary>Up to 16 labels.</summary>
[CustomMappingFactoryAttribute(Contract)]
internal sealed class MultiLabel16Factory : MultiLabelFactoryBase<MultiLabelOutputs16>
{
    internal const string Contract = "MlNetBackprop.MultiLabel16.v1";
}

/// <summary>Up to 64 labels.</summary>
[CustomMappingFactoryAttribute(Contract)]
internal sealed class MultiLabel64Factory : MultiLabelFactoryBase<MultiLabelOutputs64>
{
    internal const string Contract = "MlNetBackprop.MultiLabel64.v1";
}

/// <summary>Up to 256 labels.</summary>
[CustomMappingFactoryAttribute(Contract)]
internal sealed class MultiLabel256Factory : MultiLabelFactoryBase<MultiLabelOutputs256>
{
    internal const string Contract = "MlNetBackprop.MultiLabel256.v1";
}
