using System.Numerics;
using MlNetBackprop.Network.Optimizers;

namespace MlNetBackprop.Network.Training;

/// <summary>
/// Full-batch L-BFGS (Nocedal and Wright, "Numerical Optimization", algorithms 7.4 and 7.5), the solver scikit-learn
/// recommends for small tables: each iteration takes the direction −H·∇C from the last <c>history</c> pairs of steps
/// s and gradient changes y (the two-loop recursion, H₀ = (sᵀy/yᵀy)·I), then a line search along it that meets the
/// strong Wolfe conditions (algorithms 3.5 and 3.6: sufficient decrease c₁ = 10⁻⁴, curvature c₂ = 0.9). One iteration
/// is one epoch of the training loop. It has converged when the largest gradient element is at most the tolerance, the
/// cost's relative decrease falls below 10⁻⁹ (scipy's default), or the function evaluations reach their cap.
/// </summary>
internal sealed class LbfgsStep<T> : ITrainingStep<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private const double SufficientDecrease = 1e-4, Curvature = 0.9, RelativeDecrease = 1e-9;

    /// <summary>Evaluations a line search may take before it settles for the best point it has seen.</summary>
    private const int LineSearchEvaluations = 25;

    private readonly FullBatchObjective<T> _objective;
    private readonly int _history, _maxEvaluations;
    private readonly double _gradientTolerance;
    private readonly T[] _x, _g, _d, _trialX, _trialG, _bestX, _bestG;
    private readonly T[][] _s, _y;
    private readonly double[] _rho, _alpha;
    private int _pairs, _newest = -1;
    private double _f, _costSum;
    private long _correct;
    private bool _started;

    public LbfgsStep(FullBatchObjective<T> objective, int history, int maxEvaluations, double gradientTolerance)
    {
        (_objective, _history, _maxEvaluations, _gradientTolerance) = (objective, history, maxEvaluations, gradientTolerance);
        int n = objective.Length;
        (_x, _g, _d, _trialX, _trialG, _bestX, _bestG) = (new T[n], new T[n], new T[n], new T[n], new T[n], new T[n], new T[n]);
        _s = Enumerable.Range(0, history).Select(_ => new T[n]).ToArray();
        _y = Enumerable.Range(0, history).Select(_ => new T[n]).ToArray();
        (_rho, _alpha) = (new double[history], new double[history]);
    }

    /// <summary>L-BFGS keeps no state across runs: a continued run builds its history afresh, as scipy's does.</summary>
    public OptimizerState<T> State() => OptimizerState<T>.None;

    /// <inheritdoc/>
    public void Resume(OptimizerState<T> state)
    {
        if (state.Blocks.Length != 0)
            throw new ArgumentException("L-BFGS takes up no saved state.", nameof(state));
    }

    /// <summary>One iteration: a direction, a line search along it, the new pair. The learning rate is not used.</summary>
    public StepResult Run(int epoch, T eta, Action<int, int, double>? onProgress)
    {
        if (!_started)
        {
            _objective.Read(_x);
            _f = _objective.Evaluate(_x, _g, out _costSum, out _correct);
            _started = true;
        }
        if (Converged(MaxAbs(_g)))
            return new StepResult(_costSum, _correct, Converged: true);
        Direction();
        double slope = Dot(_g, _d);
        if (!(slope < 0))
        {
            // Rounding made the direction useless: start the history again from steepest descent.
            _pairs = 0;
            Direction();
            slope = Dot(_g, _d);
        }
        // The first iteration has no curvature yet: a step of unit length, as scipy's L-BFGS-B takes it.
        double step = _pairs == 0 ? Math.Min(1, 1 / Math.Sqrt(Dot(_g, _g))) : 1;
        double previous = _f;
        bool moved = LineSearch(slope, step, out double taken);
        if (!moved)
        {
            // No point along the direction was lower: the network keeps θ, and the rule has nothing more to gain.
            _objective.Write(_x);
            return new StepResult(_costSum, _correct, Converged: true);
        }
        _objective.Write(_bestX);
        // s = θₖ₊₁ − θₖ and y = ∇Cₖ₊₁ − ∇Cₖ; kept when sᵀy > 0, which keeps H positive definite.
        int slot = (_newest + 1) % _history;
        var (s, y) = (_s[slot], _y[slot]);
        for (int i = 0; i < s.Length; i++)
        {
            s[i] = _bestX[i] - _x[i];
            y[i] = _bestG[i] - _g[i];
        }
        double sy = Dot(s, y);
        if (sy > 1e-10 * Dot(y, y))
        {
            _rho[slot] = 1 / sy;
            _newest = slot;
            _pairs = Math.Min(_pairs + 1, _history);
        }
        _bestX.CopyTo(_x, 0);
        _bestG.CopyTo(_g, 0);
        onProgress?.Invoke(epoch, 1, _f);
        bool stalled = (previous - _f) / Math.Max(Math.Max(Math.Abs(previous), Math.Abs(_f)), 1) <= RelativeDecrease;
        return new StepResult(_costSum, _correct, Converged: stalled || Converged(MaxAbs(_g)));
    }

    private bool Converged(double largestGradient) => largestGradient <= _gradientTolerance || _objective.Evaluations >= _maxEvaluations;

    /// <summary>d = −H·∇C by the two-loop recursion over the stored pairs, newest first.</summary>
    private void Direction()
    {
        for (int i = 0; i < _d.Length; i++) _d[i] = -_g[i];
        for (int k = 0, slot = _newest; k < _pairs; k++, slot = (slot - 1 + _history) % _history)
        {
            _alpha[slot] = _rho[slot] * Dot(_s[slot], _d);
            Axpy(-_alpha[slot], _y[slot], _d);
        }
        if (_pairs > 0)
        {
            double gamma = Dot(_s[_newest], _y[_newest]) / Dot(_y[_newest], _y[_newest]);
            for (int i = 0; i < _d.Length; i++) _d[i] *= T.CreateChecked(gamma);
        }
        for (int k = 0, slot = (_newest - _pairs + 1 + _history) % _history; k < _pairs; k++, slot = (slot + 1) % _history)
        {
            double beta = _rho[slot] * Dot(_y[slot], _d);
            Axpy(_alpha[slot] - beta, _s[slot], _d);
        }
    }

    /// <summary>
    /// A step α along d meeting the strong Wolfe conditions, C(θ + αd) ≤ C(θ) + c₁α∇Cᵀd and |∇C(θ + αd)ᵀd| ≤ c₂|∇Cᵀd|,
    /// by bracketing and zooming with safeguarded cubic interpolation; the point found (or the lowest seen, if the
    /// evaluations run out) is left in _bestX, _bestG and _f. False when no point was lower than θ.
    /// </summary>
    private bool LineSearch(double slope0, double step, out double taken)
    {
        double f0 = _f;
        double previousStep = 0, previousF = f0, previousSlope = slope0;
        double bestF = f0;
        taken = 0;
        for (int evaluation = 0; evaluation < LineSearchEvaluations && _objective.Evaluations < _maxEvaluations; evaluation++)
        {
            var (f, slope) = Try(step, out double costSum, out long correct);
            if (f < bestF) Keep(step, f, costSum, correct, ref bestF, ref taken);
            if (f > f0 + SufficientDecrease * step * slope0 || (evaluation > 0 && f >= previousF))
                return Zoom(f0, slope0, previousStep, previousF, previousSlope, step, f, slope, ref bestF, ref taken) || bestF < f0;
            if (Math.Abs(slope) <= -Curvature * slope0)
                return true;
            if (slope >= 0)
                return Zoom(f0, slope0, step, f, slope, previousStep, previousF, previousSlope, ref bestF, ref taken) || bestF < f0;
            (previousStep, previousF, previousSlope) = (step, f, slope);
            step *= 2;
        }
        return bestF < f0;
    }

    private bool Zoom(double f0, double slope0, double lo, double fLo, double slopeLo, double hi, double fHi, double slopeHi, ref double bestF, ref double taken)
    {
        for (int evaluation = 0; evaluation < LineSearchEvaluations && _objective.Evaluations < _maxEvaluations; evaluation++)
        {
            double step = Interpolate(lo, fLo, slopeLo, hi, fHi, slopeHi);
            var (f, slope) = Try(step, out double costSum, out long correct);
            if (f < bestF) Keep(step, f, costSum, correct, ref bestF, ref taken);
            if (f > f0 + SufficientDecrease * step * slope0 || f >= fLo)
            {
                (hi, fHi, slopeHi) = (step, f, slope);
            }
            else
            {
                if (Math.Abs(slope) <= -Curvature * slope0) return true;
                if (slope * (hi - lo) >= 0) (hi, fHi, slopeHi) = (lo, fLo, slopeLo);
                (lo, fLo, slopeLo) = (step, f, slope);
            }
            if (Math.Abs(hi - lo) <= 1e-12 * Math.Max(Math.Abs(lo), 1)) break;
        }
        return false;
    }

    /// <summary>The minimiser of the cubic through both ends' values and slopes, kept inside the middle 80% of the bracket.</summary>
    private static double Interpolate(double a, double fa, double da, double b, double fb, double db)
    {
        double d1 = da + db - 3 * (fa - fb) / (a - b);
        double root = d1 * d1 - da * db;
        double step = double.NaN;
        if (root >= 0)
        {
            double d2 = Math.Sign(b - a) * Math.Sqrt(root);
            step = b - (b - a) * (db + d2 - d1) / (db - da + 2 * d2);
        }
        double low = Math.Min(a, b), high = Math.Max(a, b), margin = 0.1 * (high - low);
        return double.IsFinite(step) && step > low + margin && step < high - margin ? step : (a + b) / 2;
    }

    /// <summary>C and its slope ∇Cᵀd at θ + step·d.</summary>
    private (double F, double Slope) Try(double step, out double costSum, out long correct)
    {
        T alpha = T.CreateChecked(step);
        for (int i = 0; i < _x.Length; i++) _trialX[i] = _x[i] + alpha * _d[i];
        double f = _objective.Evaluate(_trialX, _trialG, out costSum, out correct);
        return (double.IsFinite(f) ? f : double.PositiveInfinity, Dot(_trialG, _d));
    }

    private void Keep(double step, double f, double costSum, long correct, ref double bestF, ref double taken)
    {
        (bestF, taken, _f, _costSum, _correct) = (f, step, f, costSum, correct);
        _trialX.CopyTo(_bestX, 0);
        _trialG.CopyTo(_bestG, 0);
    }

    private static double Dot(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += double.CreateChecked(a[i]) * double.CreateChecked(b[i]);
        return sum;
    }

    private static void Axpy(double a, ReadOnlySpan<T> x, Span<T> y)
    {
        T alpha = T.CreateChecked(a);
        for (int i = 0; i < y.Length; i++) y[i] += alpha * x[i];
    }

    private static double MaxAbs(ReadOnlySpan<T> values)
    {
        double max = 0;
        foreach (T v in values) max = Math.Max(max, Math.Abs(double.CreateChecked(v)));
        return max;
    }
}
