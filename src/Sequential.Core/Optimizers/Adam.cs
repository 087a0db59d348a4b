using TorchSharp;
using TorchSharp.Modules;

namespace Sequential.Optimizers;

/// <summary>Adam (Keras's <c>Adam</c>, with Keras's default epsilon 1e-7).</summary>
/// <example><code>model.Compile(optimizer: new Adam(learningRate: 1e-3), ...);   // same as optimizer: "adam"</code></example>
public sealed class Adam : Optimizer
{
    /// <summary>Creates Adam with Keras's defaults.</summary>
    /// <param name="learningRate">Step size (default 0.001).</param>
    /// <param name="beta1">Decay of the first-moment estimate (default 0.9).</param>
    /// <param name="beta2">Decay of the second-moment estimate (default 0.999).</param>
    /// <param name="epsilon">Numerical stability constant (Keras default 1e-7; PyTorch's is 1e-8).</param>
    /// <param name="amsgrad">Use the AMSGrad variant.</param>
    public Adam(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7, bool amsgrad = false)
        : base("adam", learningRate)
    {
        (Beta1, Beta2, Epsilon, Amsgrad) = (beta1, beta2, epsilon, amsgrad);
    }

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
        torch.optim.Adam(parameters, learningRate, Beta1, Beta2, Epsilon, 0.0, Amsgrad);
}
