using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetBackprop.MlNet.Data;

/// <summary>
/// Checks the input columns and resolves the task, on a <see cref="DataViewSchema"/> (Fit, Transform) or on a
/// <see cref="SchemaShape"/> (GetOutputSchema), with ML.NET's own messages and exception types:
/// "Could not find feature column 'X'" and "Schema mismatch for feature column 'X': expected …, got …",
/// both <see cref="ArgumentOutOfRangeException"/>.
/// </summary>
internal static class SchemaChecks
{
    private const string FeatureExpectation = "known-size vector of Single";

    /// <summary>
    /// Checks the feature column and returns its vector size; with <paramref name="expectedSize"/>, also that it has that
    /// size (the one a network was trained on), <paramref name="whose"/> naming the data in the message ("of the
    /// validation data"). Every check of the features' schema goes through here, so that they all say the same.
    /// </summary>
    public static int CheckFeatures(DataViewSchema schema, string name, int? expectedSize = null, string? whose = null, string parameter = "inputSchema")
    {
        var column = Find(schema, name, "feature", parameter);
        string subject = whose is null ? $"feature column '{name}'" : $"feature column '{name}' {whose}";
        if (column.Type is not VectorDataViewType { IsKnownSize: true } vector || vector.ItemType != NumberDataViewType.Single)
            throw Mismatched(subject, expectedSize is int n ? $"{FeatureExpectation} of size {n}" : FeatureExpectation, $"{column.Type}", parameter);
        if (expectedSize is int size && vector.Size != size)
            throw Mismatched(subject, $"{FeatureExpectation} of size {size} (as in training)", $"Vector<Single, {vector.Size}>", parameter);
        return vector.Size;
    }

    /// <summary>Checks the feature column's shape.</summary>
    public static void CheckFeatures(SchemaShape shape, string name)
    {
        var column = Find(shape, name, "feature");
        if (column.Kind != SchemaShape.Column.VectorKind.Vector || column.ItemType != NumberDataViewType.Single || column.IsKey)
            throw Mismatch("feature", name, FeatureExpectation, TypeString(column));
    }

    /// <summary>
    /// Checks the label column against the requested task and returns the task it resolves to; <paramref name="whose"/>
    /// names the data in the message ("of the validation data") and <paramref name="parameter"/> the argument.
    /// </summary>
    public static BackpropTask ResolveTask(DataViewSchema schema, string name, BackpropTask requested, string? whose = null, string parameter = "inputSchema")
    {
        var type = Find(schema, name, "label", parameter).Type;
        BackpropTask? actual = type switch
        {
            KeyDataViewType => BackpropTask.MulticlassClassification,
            BooleanDataViewType => BackpropTask.BinaryClassification,
            NumberDataViewType n when IsReal(n) => BackpropTask.Regression,
            VectorDataViewType { IsKnownSize: true } v when IsReal(v.ItemType) =>
                requested == BackpropTask.MultiLabelClassification ? BackpropTask.MultiLabelClassification : BackpropTask.MultiOutputRegression,
            VectorDataViewType { IsKnownSize: true, ItemType: BooleanDataViewType } => BackpropTask.MultiLabelClassification,
            _ => null,
        };
        return Resolve(name, requested, actual, $"{type}", whose, parameter);
    }

    /// <summary>Checks the label column's shape against the requested task and returns the task it resolves to.</summary>
    public static BackpropTask ResolveTask(SchemaShape shape, string name, BackpropTask requested)
    {
        var column = Find(shape, name, "label");
        BackpropTask? actual = null;
        if (column.Kind == SchemaShape.Column.VectorKind.Scalar)
        {
            if (column.IsKey) actual = BackpropTask.MulticlassClassification;
            else if (column.ItemType == BooleanDataViewType.Instance) actual = BackpropTask.BinaryClassification;
            else if (IsReal(column.ItemType)) actual = BackpropTask.Regression;
        }
        else if (column.Kind == SchemaShape.Column.VectorKind.Vector && !column.IsKey)
        {
            if (IsReal(column.ItemType))
                actual = requested == BackpropTask.MultiLabelClassification ? BackpropTask.MultiLabelClassification : BackpropTask.MultiOutputRegression;
            else if (column.ItemType == BooleanDataViewType.Instance) actual = BackpropTask.MultiLabelClassification;
        }
        return Resolve(name, requested, actual, TypeString(column));
    }

    /// <summary>
    /// The values a label of <paramref name="type"/> has per row: a vector label's size (one output per target or label),
    /// 1 for a scalar.
    /// </summary>
    public static int LabelWidth(DataViewType type) => type is VectorDataViewType vector ? vector.Size : 1;

    /// <summary>
    /// Checks that validation data's label column <paramref name="validation"/> has the training label's width (vector
    /// labels: the same number of targets or labels), in ML.NET's words.
    /// </summary>
    public static void CheckSameWidth(DataViewSchema.Column validation, DataViewSchema.Column training)
    {
        if (training.Type is VectorDataViewType trained && LabelWidth(validation.Type) != trained.Size)
            throw Mismatched($"label column '{validation.Name}' of the validation data",
                $"known-size vector of {trained.ItemType} of size {trained.Size} (as in the training data)", $"{validation.Type}", "validationData");
    }

    private static bool IsReal(DataViewType type) => type == NumberDataViewType.Single || type == NumberDataViewType.Double;

    /// <summary>Checks the optional example weight column (a Single scalar).</summary>
    public static void CheckWeight(DataViewSchema schema, string? name)
    {
        if (name is null) return;
        var column = Find(schema, name, "weight");
        if (column.Type != NumberDataViewType.Single)
            throw Mismatch("weight", name, "Single", $"{column.Type}");
    }

    /// <summary>Checks the optional example weight column's shape.</summary>
    public static void CheckWeight(SchemaShape shape, string? name)
    {
        if (name is null) return;
        var column = Find(shape, name, "weight");
        if (column.Kind != SchemaShape.Column.VectorKind.Scalar || column.ItemType != NumberDataViewType.Single || column.IsKey)
            throw Mismatch("weight", name, "Single", TypeString(column));
    }

    private static BackpropTask Resolve(string name, BackpropTask requested, BackpropTask? actual, string got, string? whose = null, string parameter = "inputSchema")
    {
        string expected = requested switch
        {
            BackpropTask.MulticlassClassification => "key type (map the label with MapValueToKey)",
            BackpropTask.BinaryClassification => "Boolean",
            BackpropTask.Regression => "Single or Double",
            BackpropTask.MultiOutputRegression => "known-size vector of Single or Double",
            BackpropTask.MultiLabelClassification => "known-size vector of Boolean (or of Single or Double holding 0 and 1)",
            _ => "key type (multiclass), Boolean (binary), Single/Double (regression), or a known-size vector of Single/Double (multi-output regression) or of Boolean (multi-label)",
        };
        if (actual is null || (requested != BackpropTask.Auto && requested != actual))
            throw Mismatched(whose is null ? $"label column '{name}'" : $"label column '{name}' {whose}", expected, got, parameter);
        return actual.Value;
    }

    private static DataViewSchema.Column Find(DataViewSchema schema, string name, string role, string parameter = "inputSchema")
        => schema.GetColumnOrNull(name) is { IsHidden: false } column ? column : throw Missing(role, name, parameter);

    private static SchemaShape.Column Find(SchemaShape shape, string name, string role)
    {
        foreach (var column in shape)
            if (column.Name == name)
                return column;
        throw Missing(role, name);
    }

    private static ArgumentOutOfRangeException Missing(string role, string name, string parameter = "inputSchema")
        => new(parameter, $"Could not find {role} column '{name}'");

    private static ArgumentOutOfRangeException Mismatch(string role, string name, string expected, string got)
        => Mismatched($"{role} column '{name}'", expected, got, "inputSchema");

    private static ArgumentOutOfRangeException Mismatched(string subject, string expected, string got, string parameter)
        => new(parameter, $"Schema mismatch for {subject}: expected {expected}, got {got}");

    private static string TypeString(SchemaShape.Column column)
    {
        string item = column.IsKey ? $"Key<{column.ItemType}>" : $"{column.ItemType}";
        return column.Kind switch
        {
            SchemaShape.Column.VectorKind.Vector => $"Vector<{item}>",
            SchemaShape.Column.VectorKind.VariableVector => $"VarVector<{item}>",
            _ => item,
        };
    }
}
