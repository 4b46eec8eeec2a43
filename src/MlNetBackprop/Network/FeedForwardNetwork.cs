using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MlNetBackprop.Network.Activations;
using MlNetBackprop.Network.Costs;
using MlNetBackprop.Network.Kernels;

namespace MlNetBackprop.Network;

/// <summary>
/// Nielsen's fully connected feedforward network: for each layer l, zˡ = wˡaˡ⁻¹ + bˡ and aˡ = σ(zˡ).
/// Weights are stored as in the book, <c>Weights[l].Span[j·n_in + k]</c> = w_jk, the weight from neuron k of the
/// layer below to neuron j (the code's l is the book's l − 1: <c>Weights[0]</c> feeds the first hidden layer).
/// A mini-batch is a matrix with one example per row, so the book's column vectors are our rows and
/// zˡ = wˡaˡ⁻¹ becomes Zˡ = Aˡ⁻¹·(wˡ)ᵀ.
/// </summary>
internal sealed class FeedForwardNetwork<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates a network of the given layout with all weights and biases zero.</summary>
    public FeedForwardNetwork(NetworkLayout layout)
    {
        layout.Validate();
        Layout = layout;
        Hidden = Activation<T>.Create(layout.Hidden);
        Cost = Cost<T>.Create(layout.Cost, Activation<T>.Create(layout.Output));
        Weights = new Memory<T>[layout.LayerCount];
        Biases = new T[layout.LayerCount][];
        for (int l = 0; l < layout.LayerCount; l++)
        {
            Weights[l] = AlignedStorage.Allocate<T>(layout.Sizes[l + 1] * layout.Sizes[l]);
            Biases[l] = new T[layout.Sizes[l + 1]];
        }
    }

    /// <summary>The layer sizes and functions.</summary>
    public NetworkLayout Layout { get; }

    /// <summary>The activation of every hidden layer.</summary>
    public Activation<T> Hidden { get; }

    /// <summary>The cost, which also carries the output layer's activation.</summary>
    public Cost<T> Cost { get; }

    /// <summary>Per layer, the weight matrix (n_out × n_in, row-major), starting on a cache line (see <see cref="AlignedStorage"/>).</summary>
    public Memory<T>[] Weights { get; }

    /// <summary>Per layer, the bias vector (n_out).</summary>
    public T[][] Biases { get; }

    /// <summary>The number of weight layers.</summary>
    public int LayerCount => Weights.Length;

    /// <summary>The activation of layer <paramref name="layer"/> (0-based over weight layers).</summary>
    public Activation<T> ActivationOf(int layer) => layer == LayerCount - 1 ? Cost.Output : Hidden;

    /// <summary>
    /// Initialises weights and biases. The default is chapter 3's: weights from N(0, 1/n_in), so that z does not
    /// saturate the neuron, and biases from N(0, 1). See <see cref="InitializationKind"/> for the others.
    /// </summary>
    public void InitializeWeights(Random random, InitializationKind kind = InitializationKind.ScaledGaussian)
    {
        for (int l = 0; l < LayerCount; l++)
        {
            int nIn = Layout.Sizes[l], nOut = Layout.Sizes[l + 1];
            double glorotLimit = Math.Sqrt(6.0 / (nIn + nOut));
            double scale = kind switch
            {
                InitializationKind.Gaussian => 1.0,
                InitializationKind.He => Math.Sqrt(2.0 / nIn),
                _ => 1.0 / Math.Sqrt(nIn),
            };
            foreach (ref T w in Weights[l].Span)
                w = T.CreateChecked(kind == InitializationKind.Glorot
                    ? (2 * random.NextDouble() - 1) * glorotLimit
                    : NextGaussian(random) * scale);
            // Nielsen draws biases from N(0, 1); Glorot's and He's schemes start them at zero.
            bool gaussianBiases = kind is InitializationKind.Gaussian or InitializationKind.ScaledGaussian;
            foreach (ref T b in Biases[l].AsSpan())
                b = gaussianBiases ? T.CreateChecked(NextGaussian(random)) : T.Zero;
        }
    }

    /// <summary>
    /// Feeds a batch forward: Zˡ = Aˡ⁻¹·(wˡ)ᵀ + bˡ and Aˡ = σ(Zˡ) for every layer. The output is
    /// <c>workspace.Activations[LayerCount]</c>.
    /// </summary>
    public void FeedForward(ReadOnlySpan<T> input, int rows, Workspace<T> workspace, DropoutMasks<T>? dropout = null)
    {
        workspace.EnsureFits(this, rows);
        if (dropout is not null) workspace.EnsureDropoutBuffers();
        // The input is copied into the workspace so that every product works on aligned arrays a worker thread can
        // share; a caller that gathered the batch there already (see Workspace.InputBuffer) saves the copy.
        Span<T> inputCopy = workspace.Activations[0].Span[..(rows * Layout.InputSize)];
        if (!Unsafe.AreSame(ref MemoryMarshal.GetReference(input), ref MemoryMarshal.GetReference(inputCopy)))
            input[..(rows * Layout.InputSize)].CopyTo(inputCopy);
        for (int l = 0; l < LayerCount; l++)
        {
            int nIn = Layout.Sizes[l], nOut = Layout.Sizes[l + 1];
            Span<T> z = workspace.WeightedInputs[l].Span[..(rows * nOut)];
            Span<T> a = workspace.Activations[l + 1].Span[..(rows * nOut)];
            // zˡ = wˡaˡ⁻¹ + bˡ, for all rows at once: Zˡ = Aˡ⁻¹·(wˡ)ᵀ with bˡ added to every row as it is stored
            workspace.Gemm.MultiplyByTransposed(workspace.InputOf(l, dropout), Weights[l], workspace.WeightedInputs[l], rows, nIn, nOut, Biases[l]);
            // aˡ = σ(zˡ)
            ActivationOf(l).Apply(z, a, nOut);
            // Dropout: the next layer sees aˡ ⊙ mask; aˡ itself is kept for σ′ in BP2.
            if (dropout?.Masks[l] is { } mask)
                System.Numerics.Tensors.TensorPrimitives.Multiply(a, mask.AsSpan(0, rows * nOut), workspace.Dropped[l + 1].Span[..(rows * nOut)]);
        }
    }

    /// <summary>
    /// Σₓ sₓ·Cₓ over a batch after a forward pass alone (what finite differences evaluate, twice per parameter).
    /// </summary>
    public double WeightedCost(ReadOnlySpan<T> input, ReadOnlySpan<T> targets, ReadOnlySpan<T> exampleScale, int rows,
        Workspace<T> workspace, DropoutMasks<T>? dropout = null)
    {
        FeedForward(input, rows, workspace, dropout);
        int width = Layout.OutputSize;
        var z = workspace.WeightedInputs[LayerCount - 1].Span;
        var a = workspace.Activations[LayerCount].Span;
        double sum = 0;
        for (int r = 0; r < rows; r++)
        {
            var range = new Range(r * width, (r + 1) * width);
            T scale = exampleScale.IsEmpty ? T.One : exampleScale[r];
            sum += double.CreateChecked(scale * Cost.Value(z[range], a[range], targets[range]));
        }
        return sum;
    }

    /// <summary>
    /// Backpropagation over a mini-batch, in the matrix form of the chapter's exercise. Fills
    /// <paramref name="gradient"/> with ∂C/∂w and ∂C/∂b of the batch cost
    /// C = Σₓ sₓ·Cₓ / m, where sₓ is the example's weight (1 when <paramref name="exampleScale"/> is empty)
    /// and m the number of rows. Returns Σₓ sₓ·Cₓ (not divided by m), for the caller's running loss.
    /// The L2 term is not included: it belongs to the update rule (weight decay). With <paramref name="dropout"/>, the
    /// network is the thinned one its current masks describe. With <paramref name="sgdStep"/> (η, 1 − ηλ/n) the
    /// weights and biases take plain SGD's step during the backward pass and <paramref name="gradient"/> keeps only the
    /// bias gradient: one pass over the weights instead of writing a gradient and reading it back (it saves a quarter
    /// of the time of a small mini-batch).
    /// </summary>
    public double Backpropagate(ReadOnlySpan<T> input, ReadOnlySpan<T> targets, ReadOnlySpan<T> exampleScale, int rows,
        Workspace<T> workspace, Gradient<T> gradient, DropoutMasks<T>? dropout = null, (T Eta, T Decay)? sgdStep = null)
    {
        FeedForward(input, rows, workspace, dropout);
        int L = LayerCount;
        int nOutput = Layout.OutputSize;
        Span<T> zL = workspace.WeightedInputs[L - 1].Span[..(rows * nOutput)];
        Span<T> aL = workspace.Activations[L].Span[..(rows * nOutput)];
        Span<T> deltaL = workspace.Errors[L - 1].Span[..(rows * nOutput)];

        // BP1: δᴸ = ∇ₐC ⊙ σ′(zᴸ), one row per example
        Cost.OutputError(zL, aL, targets[..(rows * nOutput)], deltaL);

        double batchCost = 0;
        T invRows = T.One / T.CreateChecked(rows);
        for (int r = 0; r < rows; r++)
        {
            T scale = exampleScale.IsEmpty ? T.One : exampleScale[r];
            var range = new Range(r * nOutput, (r + 1) * nOutput);
            batchCost += double.CreateChecked(scale * Cost.Value(zL[range], aL[range], targets[range]));
            // The batch cost is the mean of the weighted example costs, and every gradient below is linear in δᴸ:
            // scaling δᴸ's rows by sₓ/m once gives ∂C/∂w and ∂C/∂b of the batch cost directly.
            System.Numerics.Tensors.TensorPrimitives.Multiply(deltaL[range], scale * invRows, deltaL[range]);
        }

        for (int l = L - 1; l >= 0; l--)
        {
            int nIn = Layout.Sizes[l], nOut = Layout.Sizes[l + 1];
            ReadOnlySpan<T> delta = workspace.Errors[l].Span[..(rows * nOut)];

            if (l > 0)
            {
                // BP2: δˡ⁻¹ = ((wˡ)ᵀδˡ) ⊙ σ′(zˡ⁻¹); with rows as examples, δˡ⁻¹ = (δˡ·wˡ) ⊙ σ′(Zˡ⁻¹).
                // Computed before BP4 so that a fused SGD step below may already change wˡ.
                Span<T> deltaBelow = workspace.Errors[l - 1].Span[..(rows * nIn)];
                workspace.Gemm.Multiply(workspace.Errors[l], nOut, 1, Weights[l], workspace.Errors[l - 1], rows, nOut, nIn);
                Hidden.MultiplyByDerivative(workspace.WeightedInputs[l - 1].Span[..(rows * nIn)],
                    workspace.Activations[l].Span[..(rows * nIn)], deltaBelow);
                // A dropped neuron passed nothing on, so no error flows back through it (and kept ones were scaled).
                if (dropout?.Masks[l - 1] is { } mask)
                    System.Numerics.Tensors.TensorPrimitives.Multiply(deltaBelow, mask.AsSpan(0, rows * nIn), deltaBelow);
            }

            // BP3: ∂C/∂bˡ_j = δˡ_j, summed over the batch's rows
            Span<T> gradB = gradient.Biases[l];
            gradB.Clear();
            for (int r = 0; r < rows; r++)
                System.Numerics.Tensors.TensorPrimitives.Add(gradB, delta.Slice(r * nOut, nOut), gradB);

            // BP4: ∂C/∂wˡ_jk = aˡ⁻¹_k δˡ_j, summed over the batch: ∂C/∂wˡ = (δˡ)ᵀ·Aˡ⁻¹
            if (sgdStep is var (eta, decay))
            {
                // Plain SGD applies the gradient as it is computed: wˡ → decay·wˡ − η·(δˡ)ᵀ·Aˡ⁻¹, bˡ → bˡ − η·∂C/∂bˡ.
                workspace.Gemm.Multiply(workspace.Errors[l], 1, nOut, workspace.InputOf(l, dropout), Weights[l], nOut, rows, nIn, (-eta, decay));
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(gradB, -eta, Biases[l], Biases[l]);
            }
            else
            {
                workspace.Gemm.Multiply(workspace.Errors[l], 1, nOut, workspace.InputOf(l, dropout), gradient.Weights[l], nOut, rows, nIn);
            }
        }
        return batchCost;
    }

    /// <summary>A deep copy in another precision (double for gradient checks, float for training).</summary>
    public FeedForwardNetwork<TOther> ConvertTo<TOther>() where TOther : unmanaged, IFloatingPointIeee754<TOther>
    {
        var copy = new FeedForwardNetwork<TOther>(Layout);
        for (int l = 0; l < LayerCount; l++)
        {
            Span<T> weights = Weights[l].Span;
            Span<TOther> copied = copy.Weights[l].Span;
            for (int i = 0; i < weights.Length; i++)
                copied[i] = TOther.CreateChecked(weights[i]);
            for (int i = 0; i < Biases[l].Length; i++)
                copy.Biases[l][i] = TOther.CreateChecked(Biases[l][i]);
        }
        return copy;
    }

    /// <summary>Copies every weight and bias of <paramref name="other"/>, a network of the same layout, into this one.</summary>
    public void CopyParametersFrom(FeedForwardNetwork<T> other)
    {
        if (!other.Layout.Sizes.AsSpan().SequenceEqual(Layout.Sizes))
            throw new ArgumentException("The networks' layer sizes differ.", nameof(other));
        for (int l = 0; l < LayerCount; l++)
        {
            other.Weights[l].CopyTo(Weights[l]);
            other.Biases[l].CopyTo(Biases[l], 0);
        }
    }

    /// <summary>Whether every weight and bias is a finite number.</summary>
    public bool IsFinite()
    {
        for (int l = 0; l < LayerCount; l++)
        {
            foreach (T w in Weights[l].Span)
                if (!T.IsFinite(w)) return false;
            foreach (T b in Biases[l])
                if (!T.IsFinite(b)) return false;
        }
        return true;
    }

    private static double NextGaussian(Random random)
    {
        // Box–Muller; 1 − NextDouble() lies in (0, 1], so the logarithm is finite.
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
