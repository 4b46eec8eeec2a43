using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace MlNetBackprop.Tests;

/// <summary>Schema comparisons in the spirit of ML.NET's own TestCommon.CheckSameSchemas.</summary>
internal static class SchemaAssert
{
    /// <summary>Same columns in the same order: names, types, hidden flags, annotation kinds, types and values.</summary>
    public static void Same(DataViewSchema expected, DataViewSchema actual)
    {
        Assert.Equal(Describe(expected), Describe(actual));
    }

    /// <summary>The promised shape and the delivered schema agree column for column, both ways (TestEstimatorCore's check).</summary>
    public static void Delivers(SchemaShape promised, DataViewSchema delivered)
    {
        var shape = TestData.ShapeOf(delivered);
        Assert.Equal(promised.Count, shape.Count);
        foreach (var p in promised)
        {
            var d = shape.Single(c => c.Name == p.Name);
            // SchemaShape.Column.IsCompatibleWith is internal to ML.NET; this is the same check, both ways.
            Assert.Equal(Describe(p), Describe(d));
        }
    }

    private static string Describe(SchemaShape.Column c)
        => $"{c.Name}:{c.Kind}:{c.ItemType}:{(c.IsKey ? "key" : "")}:" +
           string.Join(";", c.Annotations.OrderBy(a => a.Name).Select(a => $"{a.Name}:{a.Kind}:{a.ItemType}:{(a.IsKey ? "key" : "")}"));

    /// <summary>A textual rendering of every column and annotation, for exact comparisons with readable diffs.</summary>
    public static string[] Describe(DataViewSchema schema)
        => schema.Select(c => $"{c.Index}:{c.Name}:{c.Type}:{(c.IsHidden ? "hidden" : "visible")}:" +
            string.Join(";", c.Annotations.Schema.Select(a => $"{a.Name}={a.Type}={AnnotationValue(c, a)}"))).ToArray();

    private static string AnnotationValue(DataViewSchema.Column column, DataViewSchema.Column annotation)
    {
        if (annotation.Type is VectorDataViewType { ItemType: TextDataViewType })
        {
            VBuffer<ReadOnlyMemory<char>> names = default;
            column.Annotations.GetValue(annotation.Name, ref names);
            return string.Join(",", names.DenseValues());
        }
        return "?";
    }

    /// <summary>The slot names of a vector column.</summary>
    public static string[] SlotNames(DataViewSchema.Column column)
    {
        VBuffer<ReadOnlyMemory<char>> names = default;
        column.GetSlotNames(ref names);
        return names.DenseValues().Select(n => n.ToString()).ToArray();
    }

    /// <summary>The KeyValues of a key column, as text.</summary>
    public static string[] KeyValues(DataViewSchema.Column column)
    {
        VBuffer<ReadOnlyMemory<char>> values = default;
        column.GetKeyValues(ref values);
        return values.DenseValues().Select(n => n.ToString()).ToArray();
    }
}
