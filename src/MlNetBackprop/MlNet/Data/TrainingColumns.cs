namespace MlNetBackprop.MlNet.Data;

/// <summary>The columns training reads: features, label and the optional example weight.</summary>
internal sealed record TrainingColumns(string Features, string Label, string? Weight);
