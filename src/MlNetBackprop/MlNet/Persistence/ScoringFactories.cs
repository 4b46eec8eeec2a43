using MlNetBackprop.MlNet.Persistence;
using System.ComponentModel;
using Microsoft.ML.Transforms;
using MlNetBackprop.Network.Targets;

namespace MlNetBackprop.Internal;

// The mappings of the saved scoring chain. A saved model records each contract name, and ML.NET finds the
// factory carrying it in this assembly when the model is loaded, in this or any later process. The contract
// names are part of the saved format: never change one; add a new one (".v2") for a new behaviour.

/// <summary>Adds the constant key 0 to every row (it reads nothing).</summary>
[CustomMappingFactoryAttribute(Contract)]
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ModelKeyFactory : CustomMappingFactory<NoColumns, ModelKey>
{
    internal const string Contract = "MlNetBackprop.ModelKey.v1";

    /// <inheritdoc/>
    public override Action<NoColumns, ModelKey> GetMapping() => static (_, output) => output.Key = 0;
}

/// <summary>Regression: the network's linear output, mapped back to the label's units.</summary>
[CustomMappingFactoryAttribute(Contract)]
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class RegressionFactory : CustomMappingFactory<ForwardInput, RegressionOutput>
{
    internal const string Contract = "MlNetBackprop.Regression.v1";

    /// <inheritdoc/>
    public override Action<ForwardInput, RegressionOutput> GetMapping() => Mapping(new NetworkCache());

    /// <summary>The mapping, scoring with the networks <paramref name="cache"/> gives.</summary>
    internal static Action<ForwardInput, RegressionOutput> Mapping(NetworkCache cache)
        => (input, output) =>
        {
            var scorer = cache.Get(input.Model);
            scorer.Forward(input.Features, out _, out var a);
            output.Score = OutputDecoding.Value(a, scorer.Predictor.Standardization);
        };
}

/// <summary>Binary classification: one sigmoid output neuron.</summary>
[CustomMappingFactoryAttribute(Contract)]
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class BinaryFactory : CustomMappingFactory<ForwardInput, BinaryOutput>
{
    internal const string Contract = "MlNetBackprop.Binary.v1";

    /// <inheritdoc/>
    public override Action<ForwardInput, BinaryOutput> GetMapping() => Mapping(new NetworkCache());

    /// <summary>The mapping, scoring with the networks <paramref name="cache"/> gives.</summary>
    internal static Action<ForwardInput, BinaryOutput> Mapping(NetworkCache cache)
        => (input, output) =>
        {
            cache.Get(input.Model).Forward(input.Features, out var z, out var a);
            (output.Score, output.Probability, output.PredictedLabel) = OutputDecoding.Binary(z, a);
        };
}

/// <summary>Multiclass classification: class probabilities and the most probable class, for output rows of one size.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class MulticlassFactoryBase<TScores> : CustomMappingFactory<ForwardInput, TScores>
    where TScores : class, IClassScores, new()
{
    /// <inheritdoc/>
    public override Action<ForwardInput, TScores> GetMapping() => Mapping(new NetworkCache());

    /// <summary>The mapping, scoring with the networks <paramref name="cache"/> gives.</summary>
    internal static Action<ForwardInput, TScores> Mapping(NetworkCache cache)
        => (input, output) =>
        {
            cache.Get(input.Model).Forward(input.Features, out _, out var a);
            output.PredictedIndex = OutputDecoding.Classes(a, output.Values);
        };
}

/// <summary>Up to 16 classes.</summary>
[CustomMappingFactoryAttribute(Contract)]
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class Multiclass16Factory : MulticlassFactoryBase<MulticlassScores16>
{
    internal const string Contract = "MlNetBackprop.Multiclass16.v1";
}

/// <summary>Up to 64 classes.</summary>
[CustomMappingFactoryAttribute(Contract)]
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class Multiclass64Factory : MulticlassFactoryBase<MulticlassScores64>
{
    internal const string Contract = "MlNetBackprop.Multiclass64.v1";
}

/// <summary>Up to 256 classes.</summary>
[CustomMappingFactoryAttribute(Contract)]
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class Multiclass256Factory : MulticlassFactoryBase<MulticlassScores256>
{
    internal const string Contract = "MlNetBackprop.Multiclass256.v1";
}

/// <summary>Up to 1,024 classes (also the contract of every multiclass model saved by the first version).</summary>
[CustomMappingFactoryAttribute(Contract)]
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class MulticlassFactory : MulticlassFactoryBase<MulticlassScores>
{
    internal const string Contract = "MlNetBackprop.Multiclass.v1";
}
