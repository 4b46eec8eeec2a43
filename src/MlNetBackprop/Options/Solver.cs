namespace MlNetBackprop;

/// <summary>The update rule (scikit-learn's solver).</summary>
public enum Solver
{
    /// <summary>Stochastic gradient descent, Nielsen's rule; with <see cref="BackpropTrainer.Options.Momentum"/> &gt; 0, SGD with (Nesterov) momentum.</summary>
    Sgd = 0,
    /// <summary>Adam (Kingma &amp; Ba, 2015), with <see cref="BackpropTrainer.Options.Beta1"/>, <see cref="BackpropTrainer.Options.Beta2"/> and <see cref="BackpropTrainer.Options.Epsilon"/>.</summary>
    Adam = 1,
    /// <summary>
    /// Full-batch L-BFGS (limited-memory BFGS with a strong-Wolfe line search), scikit-learn's recommended solver for small
    /// tables: each epoch is one iteration over all training rows; it stops when the largest gradient element is at most
    /// <see cref="BackpropTrainer.Options.Tolerance"/>, the cost stops falling, or after
    /// <see cref="BackpropTrainer.Options.MaximumFunctionEvaluations"/> passes over the data. The learning rate, batch size and
    /// schedule do not apply; dropout does not go with it (the cost must be a fixed function of the weights).
    /// </summary>
    Lbfgs = 2,
}
