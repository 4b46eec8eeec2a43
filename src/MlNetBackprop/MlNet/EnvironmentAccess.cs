using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace MlNetBackprop.MlNet;

/// <summary>
/// Reaches the MLContext environment held by a trainer catalog such as <c>ml.MulticlassClassification.Trainers</c>.
/// ML.NET keeps it behind the internal interface <c>IInternalCatalog</c>, so it is read by reflection, in this one
/// place only. If a future ML.NET renames it, the lookup returns null and the trainer works without the context's
/// log and seed (it falls back to a fixed seed), rather than failing.
/// </summary>
internal static class EnvironmentAccess
{
    /// <summary>The environment behind a catalog object, or null when it cannot be found.</summary>
    public static IHostEnvironment? FromCatalog(object catalog)
    {
        try
        {
            foreach (var type in catalog.GetType().GetInterfaces())
            {
                if (type.Name != "IInternalCatalog") continue;
                var property = type.GetProperty("Environment", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
                if (property?.GetValue(catalog) is IHostEnvironment env)
                    return env;
            }
        }
        catch (Exception e) when (e is TargetInvocationException or MemberAccessException or NotSupportedException)
        {
            // Fall through: the trainer works without the context.
        }
        return null;
    }
}
