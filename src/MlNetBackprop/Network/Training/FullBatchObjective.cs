using System.Numerics;
using MlNetBackprop.Network.Layers;

namespace MlNetBackprop.Network.Training;

/// <summary>
/// The training cost over every training row and its gradient, as a function of the network's parameters laid end to
/// end in one vector θ: C(θ) = Σₓ sₓCₓ / n + λ/(2n)·Σw² (the weights of blocks that decay), ∂C/∂θ from backpropagation
/// over the rows in chunks. Every evaluation visits the rows in the same order, so C is a fixed function of θ (a line
/// search compares its values), and the chunks' gradients are summed in double.
/// </summary>
internal sealed class FullBatchObjective<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Rows fed forward and back at a time: large enough for the products to run at speed.</summary>
    public const int ChunkRows = 512;

    private readonly FeedForwardNetwork<T> _network;
    private readonly IBatchSource<T> _data;
    private readonly Workspace<T> _workspace;
    private readonly MiniBatch<T> _chunk;
    private readonly double _l2;
    private readonly double[] _sum;
    private readonly ReseedableRandom _order = new(0);
    private readonly CancellationToken _cancellation;

    /// <summary>The objective of <paramref name="network"/> on <paramref name="data"/>, with L2 coefficient λ/n = <paramref name="l2"/>.</summary>
    public FullBatchObjective(FeedForwardNetwork<T> network, IBatchSource<T> data, Workspace<T> workspace, double l2, CancellationToken cancellation)
    {
        (_network, _data, _workspace, _l2, _cancellation) = (network, data, workspace, l2, cancellation);
        int rows = Math.Min(ChunkRows, data.Rows);
        workspace.EnsureFits(network, rows);
        _chunk = data.SparseInputs
            ? MiniBatch<T>.Sparse(rows, data.InputSize, data.OutputSize, data.HasExampleScale, data.Classifies)
            : new MiniBatch<T>(workspace.Activations[0], rows, data.InputSize, data.OutputSize, data.HasExampleScale, data.Classifies);
        Length = network.Parameters.Sum(p => p.Length);
        _sum = new double[Length];
    }

    /// <summary>The number of parameters, θ's length.</summary>
    public int Length { get; }

    /// <summary>Function evaluations so far.</summary>
    public int Evaluations { get; private set; }

    /// <summary>Copies the network's parameters into <paramref name="theta"/>.</summary>
    public void Read(Span<T> theta)
    {
        int at = 0;
        foreach (var parameter in _network.Parameters)
        {
            parameter.Values.Span.CopyTo(theta[at..]);
            at += parameter.Length;
        }
    }

    /// <summary>Sets the network's parameters to <paramref name="theta"/>.</summary>
    public void Write(ReadOnlySpan<T> theta)
    {
        int at = 0;
        foreach (var parameter in _network.Parameters)
        {
            theta.Slice(at, parameter.Length).CopyTo(parameter.Values.Span);
            at += parameter.Length;
        }
    }

    /// <summary>
    /// Sets the network's parameters to <paramref name="theta"/> and evaluates there: returns C(θ), writes ∂C/∂θ into
    /// <paramref name="gradient"/>, and gives the data's part of the cost summed over the rows and the rows classified right.
    /// </summary>
    public double Evaluate(ReadOnlySpan<T> theta, Span<T> gradient, out double costSum, out long correct)
    {
        Evaluations++;
        Write(theta);
        Array.Clear(_sum);
        (costSum, correct) = (0, 0);
        _order.Reseed(0);
        _data.BeginEpoch(_order);
        int rows = 0;
        while (true)
        {
            _cancellation.ThrowIfCancellationRequested();
            _data.NextBatch(_chunk);
            int m = _chunk.Rows;
            if (m == 0) break;
            costSum += Backpropagation.Run(_network, _chunk, _workspace, GradientStore<T>.Gradients);
            if (_data.Classifies) correct += Evaluator<T>.CountCorrect(_workspace, _chunk);
            // The chunk's gradient is of its mean cost Σₓ sₓCₓ/m: weighted by m, the chunks add up to the whole sum.
            int at = 0;
            foreach (var parameter in _network.Parameters)
            {
                if (parameter.Touched is { } touched)
                {
                    // The rows the chunk reached, each added where its row lies.
                    var reached = parameter.Gradient.Span;
                    int width = parameter.RowWidth;
                    for (int place = 0; place < touched.Count; place++)
                        for (int j = 0, into = at + touched.Rows[place] * width; j < width; j++)
                            _sum[into + j] += m * double.CreateChecked(reached[place * width + j]);
                }
                else
                {
                    var g = parameter.Gradient.Span;
                    for (int i = 0; i < g.Length; i++) _sum[at + i] += m * double.CreateChecked(g[i]);
                }
                at += parameter.Length;
            }
            rows += m;
        }
        if (rows == 0) throw new InvalidOperationException("There are no training examples.");
        double squares = 0;
        int offset = 0;
        foreach (var parameter in _network.Parameters)
        {
            var w = parameter.Values.Span;
            double l2 = parameter.Decays ? _l2 : 0;
            for (int i = 0; i < w.Length; i++)
            {
                double value = double.CreateChecked(w[i]);
                gradient[offset + i] = T.CreateChecked(_sum[offset + i] / rows + l2 * value);
                if (l2 != 0) squares += value * value;
            }
            offset += parameter.Length;
        }
        return costSum / rows + _l2 / 2 * squares;
    }
}
