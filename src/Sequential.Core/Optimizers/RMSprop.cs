using TorchSharp;
using TorchSharp.Modules;

namespace Sequential.Optimizers;

/// <summary>RMSprop (Keras's <c>RMSprop</c>: rho 0.9, epsilon 1e-7).</summary>
/// <example><code>cnn.Compile(optimizer: new RMSprop(learningRate: 1e-4), loss: "binary_crossentropy", metrics: ["accuracy"]);</code></example>
public sealed class RMSprop : Optimizer
{
    /// <summary>Creates RMSprop with Keras's defaults.</summary>
    /// <param name="learningRate">Step size (default 0.001).</param>
    /// <param name="rho">Discount of the moving average of squared gradients (default 0.9).</param>
    /// <param name="momentum">Momentum (default 0).</param>
    /// <param name="epsilon">Numerical stability constant (default 1e-7).</param>
    /// <param name="centered">Normalise by the estimated variance of the gradient.</param>
    public RMSprop(double learningRate = 0.001, double rho = 0.9, double momentum = 0.0, double epsilon = 1e-7, bool centered = false)
        : base("rmsprop", learningRate)
    {
        if (rho <= 0 || rho >= 1)
            throw new ArgumentOutOfRangeException(nameof(rho), rho, "RMSprop rho must be in (0, 1), e.g. 0.9.");
        (Rho, Momentum, Epsilon, Centered) = (rho, momentum, epsilon, centered);
    }

    /// <summary>Moving-average discount.</summary>
    public double Rho { get; }

    /// <summary>Momentum.</summary>
    public double Momentum { get; }

    /// <summary>Numerical stability constant.</summary>
    public double Epsilon { get; }

    /// <summary>Whether the centred variant is used.</summary>
    public bool Centered { get; }

    /// <inheritdoc/>
    protected override torch.optim.Optimizer Create(IReadOnlyList<Parameter> parameters, double learningRate) =>
        torch.optim.RMSProp(parameters, learningRate, Rho, Epsilon, 0.0, Momentum, Centered);
}
