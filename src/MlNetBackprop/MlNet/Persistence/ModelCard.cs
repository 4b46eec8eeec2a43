using System.Text.Json;
using System.Text.Json.Serialization;

namespace MlNetBackprop.MlNet.Persistence;

/// <summary>
/// What a saved model carries besides the network, so that <see cref="BackpropTransformer.FromModel"/> can give back the
/// transformer that was saved: the task, the feature column and its size, the class names, the training history and how
/// training ended. Stored as UTF-8 JSON attached to the network's record (<see cref="Network.Storage.NetworkSerializer"/>).
/// </summary>
internal sealed record ModelCard(
    BackpropTask Task,
    string FeatureColumnName,
    int InputSize,
    string[]? ClassNames,
    EpochReport[] History,
    TrainingSummary Summary)
{
    /// <summary>The card's format; a newer one is refused with the newer-version message.</summary>
    public int Version { get; init; } = CurrentVersion;

    private const int CurrentVersion = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter() },
        // Costs and accuracies are finite, but a diverged run's history may not be: keep them as written.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The card as UTF-8 JSON.</summary>
    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>A card read back, or <see cref="InvalidDataException"/> for bytes that are not one.</summary>
    public static ModelCard FromBytes(byte[] bytes)
    {
        ModelCard? card;
        try
        {
            card = JsonSerializer.Deserialize<ModelCard>(bytes, Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException("The model's training record is damaged.", e);
        }
        if (card is null) throw new InvalidDataException("The model's training record is empty.");
        if (card.Version > CurrentVersion)
            throw new InvalidDataException($"This model was made by a newer version of MlNetBackprop (training record v{card.Version}): update the MlNetBackprop package.");
        return card;
    }
}
