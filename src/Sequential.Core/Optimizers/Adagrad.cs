using TorchSharp;
using TorchSharp.Modules;

namespace Sequential.Optimizers;

/// <summary>Adagrad (Keras's <c>Adagrad</c>: initial accumulator 0.1, epsilon 1e-7).</summary>
public sealed class Adagrad : Optimizer
{
    /// <summary>Creates Adagrad with Keras's defaults.</summary>
    /// <param name="learningRate">Step size (default 0.001).</param>
    /// <param name="initialAccumulatorValue">Starting value of the accumulators (default 0.1).</param>
    /// <param name="epsilon">Numerical stability constant (default 1e-7).</param>
    public Adagrad(double learningRate = 0.001, double initialAccumulatorValue = 0.1, double epsilon = 1e-7)
        : base("adagrad", learningRate)
    {
        (InitialAccumulatorValue, Epsilon) = (initialAccumulatorValue, epsilon);
    }

    /// <summary>Starting value of the accumulators.</summary>
    public double InitialAccumulatorValue { get; }

    /// <summary>Numerical stability constant.</summary>
    public double Epsilon { get; }

    /// <inheritdoc/>
    protected override torch.optim.Optimizer Create(IReadOnlyList<Parameter> parameters, double learningRate) =>
        torch.optim.Adagrad(parameters, learningRate, 0.0, 0.0, InitialAccumulatorValue, Epsilon);
}
