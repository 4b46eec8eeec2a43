using System.Numerics;

namespace MlNetBackprop.Network.Layers;

/// <summary>A fully connected layer's starting weights and biases, drawn in one order whatever the layer's storage layout.</summary>
internal static class InitialWeights
{
    /// <summary>
    /// The default is chapter 3's: weights from N(0, 1/n_in), so that z does not saturate the neuron, and biases from
    /// N(0, 1). See <see cref="WeightInitialization"/> for the others. The weights are drawn in the book's order (w_jk for
    /// j, then k) and stored row-major n_out × n_in, or input-major n_in × n_out when <paramref name="inputMajor"/>, so
    /// that a dense and a sparse input layer drawn from the same generator hold the same network.
    /// </summary>
    public static void Draw<T>(Random random, WeightInitialization kind, int inputSize, int outputSize, Span<T> weights, Span<T> biases, bool inputMajor)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double glorotLimit = Math.Sqrt(6.0 / (inputSize + outputSize));
        double scale = kind switch
        {
            WeightInitialization.ScaledGaussian => 1.0 / Math.Sqrt(inputSize),
            WeightInitialization.Gaussian => 1.0,
            WeightInitialization.Glorot => glorotLimit,
            WeightInitialization.He => Math.Sqrt(2.0 / inputSize),
        };
        bool uniform = kind == WeightInitialization.Glorot;
        T Next() => T.CreateChecked(uniform ? (2 * random.NextDouble() - 1) * scale : Gaussian.Next(random) * scale);
        if (!inputMajor)
        {
            for (int i = 0; i < outputSize * inputSize; i++)
                weights[i] = Next();
        }
        else
        {
            // A block of neurons' rows is drawn in the book's order, then written input by input: writing each draw to its
            // input-major place directly would touch a new cache line of a matrix far larger than the cache every time.
            const int Block = 16;
            var drawn = new T[Block * inputSize];
            for (int first = 0; first < outputSize; first += Block)
            {
                int neurons = Math.Min(Block, outputSize - first);
                for (int i = 0; i < neurons * inputSize; i++)
                    drawn[i] = Next();
                for (int k = 0; k < inputSize; k++)
                    for (int j = 0; j < neurons; j++)
                        weights[k * outputSize + first + j] = drawn[j * inputSize + k];
            }
        }
        // Nielsen draws biases from N(0, 1); Glorot's and He's schemes start them at zero.
        bool gaussianBiases = kind is WeightInitialization.Gaussian or WeightInitialization.ScaledGaussian;
        foreach (ref T b in biases)
            b = gaussianBiases ? T.CreateChecked(Gaussian.Next(random)) : T.Zero;
    }
}
