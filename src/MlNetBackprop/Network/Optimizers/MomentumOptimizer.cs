using System.Numerics;
using System.Numerics.Tensors;
using MlNetBackprop.Network.Kernels;

namespace MlNetBackprop.Network.Optimizers;

/// <summary>
/// SGD with momentum, as scikit-learn's MLP has it: v → μ·v − η·g, then w → w + v; with Nesterov's variant the step is
/// w → w + μ·v − η·g (the velocity looked ahead). g includes the L2 term for weights.
/// </summary>
internal sealed class MomentumOptimizer<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _momentum;
    private readonly bool _nesterov;
    private readonly Memory<T>[] _velocity;
    private readonly Memory<T> _scratch;

    public MomentumOptimizer(FeedForwardNetwork<T> network, double momentum, bool nesterov)
    {
        _momentum = T.CreateChecked(momentum);
        _nesterov = nesterov;
        // Cache-line aligned, like the parameters they move with (see AlignedStorage).
        _velocity = network.Parameters.Select(p => AlignedStorage.Allocate<T>(p.Length)).ToArray();
        _scratch = AlignedStorage.Allocate<T>(network.Parameters.Max(p => p.Length));
    }

    public override void Step(FeedForwardNetwork<T> network, Gradient<T> gradient, T eta, T l2)
    {
        for (int i = 0; i < network.Parameters.Count; i++)
        {
            var parameter = network.Parameters[i];
            ReadOnlySpan<T> g = gradient.Blocks[i].Span;
            if (parameter.Regularized)
            {
                // g = ∂C/∂w + (λ/n)·w
                Span<T> withL2 = _scratch.Span[..parameter.Length];
                TensorPrimitives.MultiplyAdd(parameter.Values.Span, l2, g, withL2);
                g = withL2;
            }
            Move(parameter.Values.Span, _velocity[i].Span, g, eta);
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
            // w → w + v
            TensorPrimitives.Add(parameters, velocity, parameters);
        }
    }
}
