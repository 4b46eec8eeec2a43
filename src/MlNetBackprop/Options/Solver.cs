namespace MlNetBackprop;

/// <summary>The update rule (scikit-learn's solver).</summary>
public enum Solver
{
    /// <summary>Stochastic gradient descent, Nielsen's rule; with <see cref="BackpropTrainer.Options.Momentum"/> &gt; 0, SGD with (Nesterov) momentum.</summary>
    Sgd = 0,
    /// <summary>Adam (Kingma &amp; Ba, 2015), with <see cref="BackpropTrainer.Options.Beta1"/>, <see cref="BackpropTrainer.Options.Beta2"/> and <see cref="BackpropTrainer.Options.Epsilon"/>.</summary>
    Adam = 1,
}
