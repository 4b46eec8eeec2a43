using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.ML.Data;
using MlNetBackprop.MlNet.Persistence;
using MlNetBackprop.Network;
using MlNetBackprop.Network.Kernels;
using MlNetBackprop.Network.Storage;
using MlNetBackprop.Network.Targets;

namespace MlNetBackprop.MlNet.Scoring;

/// <summary>
/// Where a scoring chain's forward mapping gets the network it scores a row with, and the row's hand-over to it.
/// <list type="bullet">
/// <item>A fitted transformer's in-memory chain is built while the data is read, before there is a network: it carries a
/// marker instead of the network's text, and its source is given the trained network when training ends
/// (<see cref="Fix"/>).</item>
/// <item>A loaded chain hands the mapping the network's text on every row (ML.NET's value mapping passes the very same
/// string each time). It is decoded once per string, process-wide, in a table that lives as long as the string does:
/// <c>FromModel</c> and the chain's first row share one decoded network, and text that is equal but not the same
/// string is recognised by its content hash.</item>
/// </list>
/// A loaded chain is cursored from several threads, so what is cached is immutable and replaced atomically.
/// </summary>
internal sealed class NetworkSource
{
    /// <summary>The text the in-memory chain carries where a saved chain carries the network.</summary>
    public const string InMemoryMarker = "MlNetBackprop.Network;in memory";

    private static readonly ConditionalWeakTable<string, Predictor> Decoded = new();

    private sealed record Entry(string Identity, Predictor Predictor);

    private volatile Predictor? _fixed;
    private volatile Entry? _last;

    /// <summary>Gives an in-memory chain's source its trained network.</summary>
    public void Fix(Predictor predictor) => _fixed = predictor;

    /// <summary>The predictor for the network <paramref name="text"/> holds (or the fixed one, in memory).</summary>
    public Predictor Get(ReadOnlyMemory<char> text)
    {
        if (_fixed is { } fixedPredictor) return fixedPredictor;
        if (text.Span.SequenceEqual(InMemoryMarker))
            throw new InvalidOperationException("The scoring chain was used before its network was trained.");
        if (MemoryMarshal.TryGetString(text, out string? source, out int start, out int length) && start == 0 && length == source.Length)
            return Decoded.GetValue(source, Decode);
        var last = _last;
        if (last is not null && RecordText.Identity(text.Span).SequenceEqual(last.Identity)) return last.Predictor;
        var predictor = Decode(text.Span);
        _last = new Entry(RecordText.Identity(text.Span).ToString(), predictor);
        return predictor;
    }

    /// <summary>
    /// <see cref="Get(ReadOnlyMemory{char})"/>, checked to have the output layer a <paramref name="task"/> scoring
    /// mapping reads (for multiclass, up to <paramref name="mostClasses"/> outputs): a damaged or edited model is refused
    /// instead of scoring garbage.
    /// </summary>
    public Predictor Get(ReadOnlyMemory<char> text, BackpropTask task, int mostClasses = 1)
    {
        var predictor = Get(text);
        var layout = predictor.Network.Layout;
        string? misfit = OutputPairing.Misfit(task, layout.Output, layout.OutputSize, null, mostClasses);
        // A regression network learnt standardised targets: without their scaling its outputs are not in the targets' units.
        if (misfit is null && OutputPairing.IsRegression(task) && predictor.Standardization.Count != layout.OutputSize)
            misfit = $"its {layout.OutputSize} regression outputs have {predictor.Standardization.Count} scalings back to the targets' units";
        if (misfit is not null)
            throw new InvalidOperationException($"The model's network does not fit its scoring: {misfit}. The model file is damaged or was edited: load an undamaged copy, or train and save the model again.");
        return predictor;
    }

    /// <summary>The network of a loaded model's text, decoded (or the one decoded already for that very string).</summary>
    public static Predictor Of(string text) => Decoded.GetValue(text, Decode);

    private static Predictor Decode(string text) => Decode(text.AsSpan());

    private static Predictor Decode(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
            throw new InvalidOperationException("The model holds no network: it was not saved by BackpropTrainer, or its data was lost.");
        try
        {
            var stored = NetworkRecord.FromText(text);
            return new Predictor(stored.Network, stored.Standardization);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidOperationException(WhatToDo.After(e.Message), e);
        }
    }

    /// <summary>
    /// The output layer's z and a for one row's features, as they come (dense, or the non-zeros of a sparse vector). The
    /// spans stay valid until the calling thread scores its next row. NaN comes out only of a NaN feature (ML.NET's
    /// convention): a network that makes NaN or an infinite output of finite features (weights so large the products overflow Single, as in a
    /// damaged or edited file) is refused instead of scoring garbage.
    /// </summary>
    public static void Forward(Predictor predictor, in VBuffer<float> features, out ReadOnlySpan<float> z, out ReadOnlySpan<float> a)
    {
        if (features.Length != predictor.InputSize)
            throw new InvalidOperationException(
                $"The model was trained on feature vectors of {predictor.InputSize} values, but this row has {features.Length}: prepare the scoring data exactly like the training data.");
        if (features.IsDense)
            predictor.Forward(features.GetValues(), out z, out a);
        else
            predictor.Forward(features.GetValues(), features.GetIndices(), out z, out a);
        // Whether any z or output is NaN or infinite (a binary Score is z), value by value (a sum of several large finite
        // outputs could overflow); the features are looked at only then.
        if (!(ElementWise.AllFinite(a) && ElementWise.AllFinite(z)))
            RefuseUnlessFeaturesAreMissing(features);
    }

    /// <summary>Refuses a score that is NaN or infinite (regression's, mapped back to the label's units) when the row's features are all finite.</summary>
    public static float Finite(float score, in VBuffer<float> features)
    {
        if (!float.IsFinite(score)) RefuseUnlessFeaturesAreMissing(features);
        return score;
    }

    /// <summary>Refuses scores that are NaN or infinite (multi-output regression's, in the targets' units) when the row's features are all finite.</summary>
    public static void Finite(ReadOnlySpan<float> scores, in VBuffer<float> features)
    {
        if (!ElementWise.AllFinite(scores)) RefuseUnlessFeaturesAreMissing(features);
    }

    private static void RefuseUnlessFeaturesAreMissing(in VBuffer<float> features)
    {
        if (ElementWise.AllFinite(features.GetValues()))
            throw new InvalidOperationException(
                "The model's network computed NaN or infinity from finite features: its numbers overflow single precision. The model file is damaged or was " +
                "edited (load an undamaged copy, or train and save the model again), or the row's features are far outside any the network was trained on.");
    }
}
