using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sequential.Optimizers;

/// <summary>
/// Adamax (Keras's <c>Adamax</c>): Adam with the infinity norm, Keras's defaults and update rule.
/// </summary>
/// <remarks>
/// Step t: <c>m += (g - m)(1 - beta1)</c>, <c>u = max(beta2·u, |g|)</c>, <c>w -= lr·m / ((1 - beta1^t)(u + epsilon))</c>.
/// </remarks>
/// <example><code>model.Compile(optimizer: new Adamax(learningRate: 2e-3), ...);   // or optimizer: "adamax"</code></example>
public sealed class Adamax : Optimizer
{
    private IReadOnlyList<Tensor> _momentums = [], _norms = [];

    /// <summary>Creates Adamax with Keras's defaults.</summary>
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
    public Adamax(LearningRateSchedule? learningRate = null, [ConfigKey("beta_1")] double beta1 = 0.9, [ConfigKey("beta_2")] double beta2 = 0.999, double epsilon = 1e-7,
        double weightDecay = 0.0, double? clipnorm = null, double? clipvalue = null, double? globalClipnorm = null,
        bool useEma = false, double emaMomentum = 0.99, int? emaOverwriteFrequency = null, int? gradientAccumulationSteps = null)
        : base("adamax", learningRate ?? 0.001, weightDecay, new GradientClipping(clipnorm, clipvalue, globalClipnorm),
            new OptimizerOptions(useEma, emaMomentum, emaOverwriteFrequency, gradientAccumulationSteps))
    {
        CheckDecay(beta1, nameof(beta1), "Adamax", 0.9);
        CheckDecay(beta2, nameof(beta2), "Adamax", 0.999);
        CheckEpsilon(epsilon, "Adamax");
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
        _norms = AddVariables("norm");
    }

    /// <inheritdoc/>
    protected override void UpdateStep(Tensor gradient, Tensor variable, int index, double learningRate)
    {
        long step = Iterations + 1;
        var m = _momentums[index];
        var u = _norms[index];
        m.lerp_(gradient, 1 - Beta1);
        u.copy_(maximum(u.mul_(Beta2), gradient.abs()));
        var denominator = Scratch(u).copy_(u).add_(Epsilon);
        variable.addcdiv_(m, denominator, -learningRate / (1 - Math.Pow(Beta1, step)));
    }
}
