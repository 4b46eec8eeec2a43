using System.Numerics;
using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Export;
using MlNetBackprop.Network.Kernels;

namespace MlNetBackprop.Network.Layers;

/// <summary>
/// What every fully connected layer shares, whatever order it stores its weights in: Nielsen's w_jk and bⱼ (weights, then
/// biases, as its parameters), drawn at the start in one order, readable and writable in the book's order
/// (w[j·n_in + k], the weight from input k to neuron j), and its ONNX Gemm.
/// </summary>
internal abstract class FullyConnectedLayer<T> : Layer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T>[] _parameters;

    /// <summary>A layer with all weights and biases zero, its weights stored row-major n_out × n_in or, when <paramref name="inputMajor"/>, n_in × n_out.</summary>
    protected FullyConnectedLayer(int inputSize, int outputSize, Activation<T> activation, bool inputMajor) : base(inputSize, outputSize, activation)
    {
        InputMajor = inputMajor;
        // Cache-line aligned (see AlignedStorage): the products read and write the weights in vector panels.
        Weights = AlignedStorage.Allocate<T>(checked(outputSize * inputSize));
        Biases = new T[outputSize];
        _parameters = [new(Weights, ParameterRole.Weights, rowWidth: inputMajor ? outputSize : 0), new(Biases, ParameterRole.Biases)];
    }

    /// <summary>The weights as the layer stores them (see the constructor).</summary>
    public Memory<T> Weights { get; }

    /// <summary>The bias vector bˡ.</summary>
    public T[] Biases { get; }

    /// <summary>Whether the weights are stored input-major, <c>Weights.Span[k·n_out + j]</c> = w_jk.</summary>
    public bool InputMajor { get; }

    /// <summary>The weights' block (the first parameter).</summary>
    protected Parameter<T> WeightParameter => _parameters[0];

    /// <summary>The biases' block (the second parameter).</summary>
    protected Parameter<T> BiasParameter => _parameters[1];

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <inheritdoc cref="InitialWeights.Draw{T}"/>
    public override void Initialize(Random random, WeightInitialization kind)
        => InitialWeights.Draw(random, kind, InputSize, OutputSize, Weights.Span, Biases, InputMajor);

    /// <summary>The weights in the book's order, w[j·n_in + k] = w_jk (<see cref="Layer{T}.InputSize"/> × <see cref="Layer{T}.OutputSize"/> values).</summary>
    public void CopyWeightsTo(Span<T> bookOrder)
    {
        ApplyDeferredDecay();
        var weights = Weights.Span;
        if (!InputMajor)
        {
            weights.CopyTo(bookOrder);
            return;
        }
        for (int k = 0; k < InputSize; k++)
            for (int j = 0; j < OutputSize; j++)
                bookOrder[j * InputSize + k] = weights[k * OutputSize + j];
    }

    /// <summary>Sets the weights from the book's order (see <see cref="CopyWeightsTo"/>).</summary>
    public void SetWeights(ReadOnlySpan<T> bookOrder)
    {
        ApplyDeferredDecay();
        var weights = Weights.Span;
        if (!InputMajor)
        {
            bookOrder[..weights.Length].CopyTo(weights);
            return;
        }
        for (int k = 0; k < InputSize; k++)
            for (int j = 0; j < OutputSize; j++)
                weights[k * OutputSize + j] = bookOrder[j * InputSize + k];
    }

    /// <inheritdoc/>
    public override string ToOnnx(OnnxGraphBuilder graph, string input)
    {
        // z = a·wᵀ + b: a Gemm with the weights in the book's n_out × n_in order and transB = 1.
        var bookOrder = new T[InputSize * OutputSize];
        CopyWeightsTo(bookOrder);
        string w = graph.Constant("w", bookOrder.Select(float.CreateChecked).ToArray(), OutputSize, InputSize);
        string b = graph.Constant("b", Biases.Select(float.CreateChecked).ToArray(), OutputSize);
        return graph.Node("Gemm", [input, w, b], null, OnnxGraphBuilder.Int("transB", 1));
    }
}
