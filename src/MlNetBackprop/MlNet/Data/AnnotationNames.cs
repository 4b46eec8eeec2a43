namespace MlNetBackprop.MlNet.Data;

/// <summary>ML.NET's annotation kinds used here.</summary>
internal static class AnnotationNames
{
    public const string KeyValues = "KeyValues";
    public const string SlotNames = "SlotNames";
}
