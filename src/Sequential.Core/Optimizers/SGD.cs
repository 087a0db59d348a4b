using TorchSharp;
using TorchSharp.Modules;

namespace Sequential.Optimizers;

/// <summary>Stochastic gradient descent with optional momentum and Nesterov momentum (Keras's <c>SGD</c>).</summary>
/// <example><code>model.Compile(optimizer: new SGD(learningRate: 0.01, momentum: 0.9, nesterov: true), ...);</code></example>
public sealed class SGD : Optimizer
{
    /// <summary>Creates SGD with Keras's defaults.</summary>
    /// <param name="learningRate">Step size (Keras default 0.01).</param>
    /// <param name="momentum">Momentum factor in [0, 1) (default 0).</param>
    /// <param name="nesterov">Use Nesterov momentum (needs momentum &gt; 0).</param>
    /// <param name="weightDecay">L2 penalty added to the gradient (default 0).</param>
    public SGD(double learningRate = 0.01, double momentum = 0.0, bool nesterov = false, double weightDecay = 0.0)
        : base("sgd", learningRate)
    {
        if (momentum < 0 || momentum >= 1)
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "SGD momentum must be in [0, 1).");
        if (nesterov && momentum == 0)
            throw new ArgumentException("SGD(nesterov: true) needs momentum > 0, e.g. momentum: 0.9.", nameof(nesterov));
        Momentum = momentum;
        Nesterov = nesterov;
        WeightDecay = weightDecay;
    }

    /// <summary>Momentum factor.</summary>
    public double Momentum { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <summary>L2 penalty.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc/>
    protected override torch.optim.Optimizer Create(IReadOnlyList<Parameter> parameters, double learningRate) =>
        torch.optim.SGD(parameters, learningRate, Momentum, 0.0, WeightDecay, Nesterov);
}
