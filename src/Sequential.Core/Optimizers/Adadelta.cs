using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sequential.Optimizers;

/// <summary>
/// Adadelta (Keras's <c>Adadelta</c>, Keras's defaults and update rule, including its learning rate, which the original
/// algorithm does not have).
/// </summary>
/// <remarks>
/// <c>a = rho·a + (1 - rho)·g²</c>, <c>Δ = -sqrt(d + epsilon)·g / sqrt(a + epsilon)</c>, <c>d = rho·d + (1 - rho)·Δ²</c>,
/// <c>w += lr·Δ</c>.
/// </remarks>
/// <example><code>model.Compile(optimizer: new Adadelta(learningRate: 1.0), ...);   // or optimizer: "adadelta"</code></example>
public sealed class Adadelta : Optimizer
{
    private IReadOnlyList<Tensor> _gradients = [], _deltas = [];

    /// <summary>Creates Adadelta with Keras's defaults.</summary>
    /// <param name="learningRate">Step size: a number (default 0.001) or a <see cref="LearningRateSchedule"/>.</param>
    /// <param name="rho">Decay of the averages (default 0.95).</param>
    /// <param name="epsilon">Numerical stability constant (default 1e-7).</param>
    /// <param name="weightDecay">Keras's <c>weight_decay</c> (decoupled; 0 for none).</param>
    /// <param name="clipnorm">Keras's <c>clipnorm</c>: scale each gradient to an L2 norm of at most this (null: off).</param>
    /// <param name="clipvalue">Keras's <c>clipvalue</c>: clip each gradient element to [-clipvalue, clipvalue] (null: off).</param>
    /// <param name="globalClipnorm">Keras's <c>global_clipnorm</c>: scale all gradients to a joint L2 norm of at most this (null: off).</param>
    /// <param name="useEma">Keras's <c>use_ema</c>: keep a moving average of the weights, copied into them at the end of <c>Fit</c>.</param>
    /// <param name="emaMomentum">Keras's <c>ema_momentum</c> (default 0.99).</param>
    /// <param name="emaOverwriteFrequency">Keras's <c>ema_overwrite_frequency</c>: also copy the average in every this many updates (null: only at the end).</param>
    /// <param name="gradientAccumulationSteps">Keras's <c>gradient_accumulation_steps</c>: update every this many steps with the mean gradient (null: every step).</param>
    public Adadelta(LearningRateSchedule? learningRate = null, double rho = 0.95, double epsilon = 1e-7,
        double weightDecay = 0.0, double? clipnorm = null, double? clipvalue = null, double? globalClipnorm = null,
        bool useEma = false, double emaMomentum = 0.99, int? emaOverwriteFrequency = null, int? gradientAccumulationSteps = null)
        : base("adadelta", learningRate ?? 0.001, weightDecay, new GradientClipping(clipnorm, clipvalue, globalClipnorm),
            new OptimizerOptions(useEma, emaMomentum, emaOverwriteFrequency, gradientAccumulationSteps))
    {
        if (!(rho >= 0 && rho <= 1))
            throw new ArgumentOutOfRangeException(nameof(rho), rho, $"Adadelta rho must be in [0, 1], e.g. 0.95; got {rho}.");
        CheckEpsilon(epsilon, "Adadelta");
        (Rho, Epsilon) = (rho, epsilon);
    }

    /// <summary>Decay of the averages.</summary>
    public double Rho { get; }

    /// <summary>Numerical stability constant.</summary>
    public double Epsilon { get; }

    /// <inheritdoc/>
    protected override void Build(IReadOnlyList<Parameter> variables)
    {
        _gradients = AddVariables("accumulated_grad");
        _deltas = AddVariables("accumulated_delta_var");
    }

    /// <inheritdoc/>
    protected override void UpdateStep(Tensor gradient, Tensor variable, int index, double learningRate)
    {
        var a = _gradients[index];
        var d = _deltas[index];
        a.mul_(Rho).addcmul_(gradient, gradient, 1 - Rho);
        var delta = d.add(Epsilon).sqrt_().mul_(gradient).div_(Scratch(a).copy_(a).add_(Epsilon).sqrt_()).neg_();
        d.mul_(Rho).addcmul_(delta, delta, 1 - Rho);
        variable.add_(delta, learningRate);
    }
}
