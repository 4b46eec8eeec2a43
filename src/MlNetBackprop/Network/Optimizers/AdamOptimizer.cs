using System.Numerics;
using System.Numerics.Tensors;

namespace MlNetBackprop.Network.Optimizers;

/// <summary>
/// Adam: m → β₁m + (1 − β₁)g, v → β₂v + (1 − β₂)g², w → w − η_t·m/(√v + ε) with the bias-corrected rate
/// η_t = η·√(1 − β₂ᵗ)/(1 − β₁ᵗ) (the form scikit-learn uses). g includes the L2 term for weights.
/// </summary>
internal sealed class AdamOptimizer<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _beta1, _beta2, _epsilon;
    private readonly T[][] _m, _v;
    private readonly T[] _g, _scratch;
    private int _t;

    public AdamOptimizer(FeedForwardNetwork<T> network, double beta1, double beta2, double epsilon)
    {
        (_beta1, _beta2, _epsilon) = (T.CreateChecked(beta1), T.CreateChecked(beta2), T.CreateChecked(epsilon));
        // One slot per weight layer and one per bias vector, in that order.
        var shapes = network.Weights.Select(w => w.Length).Concat(network.Biases.Select(b => b.Length)).ToArray();
        _m = shapes.Select(n => new T[n]).ToArray();
        _v = shapes.Select(n => new T[n]).ToArray();
        _g = new T[shapes.Max()];
        _scratch = new T[shapes.Max()];
    }

    public override void Step(FeedForwardNetwork<T> network, Gradient<T> gradient, T eta, T l2)
    {
        _t++;
        double t = _t;
        T rate = eta * T.CreateChecked(Math.Sqrt(1 - Math.Pow(double.CreateChecked(_beta2), t)) / (1 - Math.Pow(double.CreateChecked(_beta1), t)));
        int layers = network.LayerCount;
        for (int l = 0; l < layers; l++)
        {
            Span<T> g = _g.AsSpan(0, network.Weights[l].Length);
            TensorPrimitives.MultiplyAdd(network.Weights[l].Span, l2, gradient.Weights[l], g);
            Move(network.Weights[l].Span, _m[l], _v[l], g, rate);
            Move(network.Biases[l], _m[layers + l], _v[layers + l], gradient.Biases[l], rate);
        }
    }

    private void Move(Span<T> parameters, Span<T> m, Span<T> v, ReadOnlySpan<T> g, T rate)
    {
        Span<T> s = _scratch.AsSpan(0, parameters.Length);
        // m → β₁m + (1 − β₁)g
        TensorPrimitives.Multiply(m, _beta1, m);
        TensorPrimitives.MultiplyAdd(g, T.One - _beta1, m, m);
        // v → β₂v + (1 − β₂)g²
        TensorPrimitives.Multiply(g, g, s);
        TensorPrimitives.Multiply(v, _beta2, v);
        TensorPrimitives.MultiplyAdd(s, T.One - _beta2, v, v);
        // w → w − η_t·m/(√v + ε)
        TensorPrimitives.Sqrt(v, s);
        TensorPrimitives.Add(s, _epsilon, s);
        TensorPrimitives.Divide(m, s, s);
        TensorPrimitives.MultiplyAdd(s, -rate, parameters, parameters);
    }
}
