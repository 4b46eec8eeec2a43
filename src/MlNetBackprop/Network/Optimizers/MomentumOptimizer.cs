using System.Runtime.CompilerServices;
using System.Numerics;
using MlNetBackprop.Network.Kernels;

namespace MlNetBackprop.Network.Optimizers;

/// <summary>
/// SGD with momentum, as scikit-learn's MLP has it: v → μ·v − η·g, then w → w + v; with Nesterov's variant the step is
/// w → w + μ·v − η·g (the velocity looked ahead). g includes the L2 term for weights. In a block changed by rows (a
/// sparse input layer's weights) only the rows the batch reached move, velocity and L2 term included: the lazy rule.
/// </summary>
internal sealed class MomentumOptimizer<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _momentum;
    private readonly bool _nesterov;
    private readonly Memory<T>[] _velocity;
    private readonly Memory<T> _scratch;

    public MomentumOptimizer(FeedForwardNetwork<T> network, double momentum, bool nesterov) : base(network)
    {
        _momentum = T.CreateChecked(momentum);
        _nesterov = nesterov;
        // Cache-line aligned, like the parameters they move with (see AlignedStorage).
        _velocity = network.Parameters.Select(p => AlignedStorage.Allocate<T>(p.Length)).ToArray();
        _scratch = AlignedStorage.Allocate<T>(network.Parameters.Max(p => p.Length));
    }

    /// <inheritdoc/>
    public override OptimizerState<T> Export() => new(0, [.. _velocity]);

    /// <inheritdoc/>
    public override void Import(OptimizerState<T> state) => CopyBlocks(state.Blocks, _velocity);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Step()
    {
        for (int i = 0; i < Parameters.Count; i++)
        {
            var parameter = Parameters[i];
            T decay = L2Of(parameter), eta = RateOf(parameter);
            var gradient = parameter.Gradient;
            if (parameter.Touched is not { } touched)
            {
                Move(parameter.Values.Span, _velocity[i].Span, gradient.Span, decay, eta);
                continue;
            }
            // The lazy rule for a block changed by rows: only the rows the batch reached move, with their velocities.
            int width = touched.RowWidth;
            var rows = touched.Rows;
            for (int place = 0; place < rows.Length; place++)
            {
                var range = new Range(rows[place] * width, (rows[place] + 1) * width);
                var reached = new Range(place * width, (place + 1) * width); // the gradient holds the reached rows only
                Move(parameter.Values.Span[range], _velocity[i].Span[range], gradient.Span[reached], decay, eta);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Move(Span<T> parameters, Span<T> velocity, ReadOnlySpan<T> g, T l2, T eta)
    {
        if (l2 != T.Zero)
        {
            // g = ∂C/∂w + (λ/n)·w
            Span<T> withL2 = _scratch.Span[..parameters.Length];
            ElementWise.MultiplyAdd(parameters, l2, g, withL2);
            g = withL2;
        }
        Move(parameters, velocity, g, eta);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Move(Span<T> parameters, Span<T> velocity, ReadOnlySpan<T> g, T eta)
    {
        // v → μ·v − η·g
        ElementWise.Multiply(velocity, _momentum, velocity);
        ElementWise.MultiplyAdd(g, -eta, velocity, velocity);
        if (_nesterov)
        {
            // w → w + μ·v − η·g
            ElementWise.MultiplyAdd(velocity, _momentum, parameters, parameters);
            ElementWise.MultiplyAdd(g, -eta, parameters, parameters);
        }
        else
        {
            // w → w + v
            ElementWise.Add(parameters, velocity, parameters);
        }
    }
}
