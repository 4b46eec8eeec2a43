namespace MlNetBackprop.MlNet.Persistence;

/// <summary>The advice a refused model's message ends with.</summary>
internal static class WhatToDo
{
    private const string Advice = "Load an undamaged copy of the model, or train and save it again.";

    /// <summary>
    /// <paramref name="message"/> with what to do about a damaged model, unless it says already (a model of a newer
    /// version asks for an update, a disagreement says where to load from).
    /// </summary>
    public static string After(string message)
        => message.Contains("update the MlNetBackprop package", StringComparison.Ordinal) || message.Contains("undamaged copy", StringComparison.Ordinal)
            ? message
            : $"{message} {Advice}";
}
