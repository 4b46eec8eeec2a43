using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace MlNetBackprop.MlNet.Scoring;

/// <summary>
/// ML.NET's own Concatenate of scalar columns into a vector whose slots are named by the caller, not after the columns:
/// the class names of a multiclass <c>Score</c>, straight from the forward mapping's score columns. ML.NET's
/// concatenation has such names ("aliases", saved with the model and loaded by its public loader), but builds them only
/// through an internal constructor, which is called here by reflection, in this one place; the Microsoft.ML versions
/// the package allows (5.0.1 to 6.x) have it, and the tests run on both. Without aliases the slots would take the
/// columns' names, and columns named after the classes would hide, and then drop, a user's columns of those names.
/// </summary>
internal sealed class NamedSlotsConcatenation(MLContext ml, string outputColumnName, IReadOnlyList<(string Column, string SlotName)> sources)
    : IEstimator<ITransformer>
{
    /// <summary>The transformer; fitting reads no data.</summary>
    public ITransformer Fit(IDataView input) => Create(ml, outputColumnName, sources);

    /// <summary>The schema of ML.NET's concatenation of the same columns (slot names differ only in their text).</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
        => ml.Transforms.Concatenate(outputColumnName, sources.Select(s => s.Column).ToArray()).GetOutputSchema(inputSchema);

    private static readonly BindingFlags Any = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    private static ITransformer Create(IHostEnvironment environment, string output, IReadOnlyList<(string Column, string SlotName)> sources)
    {
        var optionsType = typeof(ColumnConcatenatingTransformer).GetNestedType("ColumnOptions", BindingFlags.Public | BindingFlags.NonPublic);
        var optionsConstructor = optionsType?.GetConstructor(Any, [typeof(string), typeof(IEnumerable<(string, string)>)]);
        var transformerConstructor = optionsType is null ? null
            : typeof(ColumnConcatenatingTransformer).GetConstructor(Any, [typeof(IHostEnvironment), optionsType.MakeArrayType()]);
        if (optionsConstructor is null || transformerConstructor is null)
            throw new InvalidOperationException(
                $"This version of Microsoft.ML ({typeof(ColumnConcatenatingTransformer).Assembly.GetName().Version}) has no concatenation with named slots, " +
                "which multiclass scoring needs: use a Microsoft.ML version the package supports (5.0.1 to 6.x).");
        var columns = Array.CreateInstance(optionsType!, 1);
        columns.SetValue(optionsConstructor.Invoke([output, sources.Select(s => (s.Column, s.SlotName)).ToArray().AsEnumerable()]), 0);
        try
        {
            return (ITransformer)transformerConstructor.Invoke([environment, columns]);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}
