using TorchSharp;
using TorchSharp.Modules;

namespace Sequential.Optimizers;

/// <summary>Adam with decoupled weight decay (Keras's <c>AdamW</c>, default weightDecay 0.004).</summary>
public sealed class AdamW : Optimizer
{
    /// <summary>Creates AdamW with Keras's defaults.</summary>
    /// <param name="learningRate">Step size (default 0.001).</param>
    /// <param name="weightDecay">Decoupled weight decay (Keras default 0.004).</param>
    /// <param name="beta1">First-moment decay (default 0.9).</param>
    /// <param name="beta2">Second-moment decay (default 0.999).</param>
    /// <param name="epsilon">Numerical stability constant (default 1e-7).</param>
    /// <param name="amsgrad">Use the AMSGrad variant.</param>
    public AdamW(double learningRate = 0.001, double weightDecay = 0.004, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-7, bool amsgrad = false)
        : base("adamw", learningRate)
    {
        (WeightDecay, Beta1, Beta2, Epsilon, Amsgrad) = (weightDecay, beta1, beta2, epsilon, amsgrad);
    }

    /// <summary>Decoupled weight decay.</summary>
    public double WeightDecay { get; }

    /// <summary>First-moment decay.</summary>
    public double Beta1 { get; }

    /// <summary>Second-moment decay.</summary>
    public double Beta2 { get; }

    /// <summary>Numerical stability constant.</summary>
    public double Epsilon { get; }

    /// <summary>Whether AMSGrad is used.</summary>
    public bool Amsgrad { get; }

    /// <inheritdoc/>
    protected override torch.optim.Optimizer Create(IReadOnlyList<Parameter> parameters, double learningRate) =>
        torch.optim.AdamW(parameters, learningRate, Beta1, Beta2, Epsilon, WeightDecay, Amsgrad);
}
