using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sequential.Optimizers;

/// <summary>
/// Lamb (Keras's <c>Lamb</c>, You et al. 2019): Adam's bias-corrected step scaled per variable by the trust ratio
/// <c>‖w‖ / ‖step‖</c>, Keras's defaults and update rule.
/// </summary>
/// <remarks>
/// <c>m += (g - m)(1 - beta1)</c>, <c>v += (g² - v)(1 - beta2)</c>,
/// <c>r = (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + epsilon)</c>, <c>w -= lr·ratio·r</c> where ratio is
/// <c>‖w‖ / ‖r‖</c>, or 1 when either norm is 0. The norms stay on the device.
/// </remarks>
/// <example><code>model.Compile(optimizer: new Lamb(learningRate: 1e-3), ...);   // or optimizer: "lamb"</code></example>
public sealed class Lamb : Optimizer
{
    private IReadOnlyList<Tensor> _momentums = [], _velocities = [];

    /// <summary>Creates Lamb with Keras's defaults.</summary>
    /// <param name="learningRate">Step size: a number (default 0.001) or a <see cref="LearningRateSchedule"/>.</param>
    /// <param name="beta1">Decay of the first-moment estimate (default 0.9).</param>
    /// <param name="beta2">Decay of the second-moment estimate (default 0.999).</param>
    /// <param name="epsilon">Numerical stability constant (default 1e-7).</param>
    /// <param name="weightDecay">Keras's <c>weight_decay</c> (decoupled; 0 for none).</param>
    /// <param name="clipnorm">Keras's <c>clipnorm</c>: scale each gradient to an L2 norm of at most this (null: off).</param>
    /// <param name="clipvalue">Keras's <c>clipvalue</c>: clip each gradient element to [-clipvalue, clipvalue] (null: off).</param>
    /// <param name="globalClipnorm">Keras's <c>global_clipnorm</c>: scale all gradients to a joint L2 norm of at most this (null: off).</param>
    /// <param name="useEma">Keras's <c>use_ema</c>: keep a moving average of the weights, copied into them at the end of <c>Fit</c>.</param>
    /// <param name="emaMomentum">Keras's <c>ema_momentum</c> (default 0.99).</param>
    /// <param name="emaOverwriteFrequency">Keras's <c>ema_overwrite_frequency</c>: also copy the average in every this many updates (null: only at the end).</param>
    /// <param name="gradientAccumulationSteps">Keras's <c>gradient_accumulation_steps</c>: update every this many steps with the mean gradient (null: every step).</param>
    public Lamb(LearningRateSchedule? learningRate = null, [ConfigKey("beta_1")] double beta1 = 0.9, [ConfigKey("beta_2")] double beta2 = 0.999, double epsilon = 1e-7,
        double weightDecay = 0.0, double? clipnorm = null, double? clipvalue = null, double? globalClipnorm = null,
        bool useEma = false, double emaMomentum = 0.99, int? emaOverwriteFrequency = null, int? gradientAccumulationSteps = null)
        : base("lamb", learningRate ?? 0.001, weightDecay, new GradientClipping(clipnorm, clipvalue, globalClipnorm),
            new OptimizerOptions(useEma, emaMomentum, emaOverwriteFrequency, gradientAccumulationSteps))
    {
        CheckDecay(beta1, nameof(beta1), "Lamb", 0.9);
        CheckDecay(beta2, nameof(beta2), "Lamb", 0.999);
        CheckEpsilon(epsilon, "Lamb");
        (Beta1, Beta2, Epsilon) = (beta1, beta2, epsilon);
    }

    /// <summary>First-moment decay.</summary>
    public double Beta1 { get; }

    /// <summary>Second-moment decay.</summary>
    public double Beta2 { get; }

    /// <summary>Numerical stability constant.</summary>
    public double Epsilon { get; }

    /// <inheritdoc/>
    protected override void Build(IReadOnlyList<Parameter> variables)
    {
        _momentums = AddVariables("momentum");
        _velocities = AddVariables("velocity");
    }

    /// <inheritdoc/>
    protected override void UpdateStep(Tensor gradient, Tensor variable, int index, double learningRate)
    {
        long step = Iterations + 1;
        var m = _momentums[index];
        var v = _velocities[index];
        m.lerp_(gradient, 1 - Beta1);
        v.lerp_(gradient.square(), 1 - Beta2);
        var update = Scratch(v).copy_(v).div_(1 - Math.Pow(Beta2, step)).sqrt_().add_(Epsilon).reciprocal_().mul_(m)
            .div_(1 - Math.Pow(Beta1, step));
        var wNorm = variable.norm();
        var gNorm = update.norm();
        var one = ones_like(wNorm);
        var ratio = where(wNorm.gt(0), where(gNorm.gt(0), wNorm / gNorm, one), one);
        variable.sub_(update.mul_(ratio.mul_(learningRate)));
    }
}
