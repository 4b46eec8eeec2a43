using System.Numerics;
using System.Numerics.Tensors;

namespace MlNetBackprop.Network.Optimizers;

/// <summary>
/// SGD with momentum, as scikit-learn's MLP has it: v → μ·v − η·g, then w → w + v; with Nesterov's variant the step is
/// w → w + μ·v − η·g (the velocity looked ahead). g includes the L2 term for weights.
/// </summary>
internal sealed class MomentumOptimizer<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _momentum;
    private readonly bool _nesterov;
    private readonly T[][] _weightVelocity, _biasVelocity;
    private readonly T[] _scratch;

    public MomentumOptimizer(FeedForwardNetwork<T> network, double momentum, bool nesterov)
    {
        _momentum = T.CreateChecked(momentum);
        _nesterov = nesterov;
        _weightVelocity = network.Weights.Select(w => new T[w.Length]).ToArray();
        _biasVelocity = network.Biases.Select(b => new T[b.Length]).ToArray();
        _scratch = new T[network.Weights.Max(w => w.Length)];
    }

    public override void Step(FeedForwardNetwork<T> network, Gradient<T> gradient, T eta, T l2)
    {
        for (int l = 0; l < network.LayerCount; l++)
        {
            // g = ∂C/∂w + (λ/n)·w
            Span<T> g = _scratch.AsSpan(0, network.Weights[l].Length);
            TensorPrimitives.MultiplyAdd(network.Weights[l].Span, l2, gradient.Weights[l], g);
            Move(network.Weights[l].Span, _weightVelocity[l], g, eta);
            Move(network.Biases[l], _biasVelocity[l], gradient.Biases[l], eta);
        }
    }

    private void Move(Span<T> parameters, Span<T> velocity, ReadOnlySpan<T> g, T eta)
    {
        // v → μ·v − η·g
        TensorPrimitives.Multiply(velocity, _momentum, velocity);
        TensorPrimitives.MultiplyAdd(g, -eta, velocity, velocity);
        if (_nesterov)
        {
            // w → w + μ·v − η·g
            TensorPrimitives.MultiplyAdd(velocity, _momentum, parameters, parameters);
            TensorPrimitives.MultiplyAdd(g, -eta, parameters, parameters);
        }
        else
        {
            TensorPrimitives.Add(parameters, velocity, parameters);
        }
    }
}
