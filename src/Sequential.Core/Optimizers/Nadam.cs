using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sequential.Optimizers;

/// <summary>
/// Nadam (Keras's <c>Nadam</c>): Adam with Nesterov momentum and Dozat's momentum schedule
/// <c>u_t = beta1·(1 - 0.5·0.96^t)</c>, Keras's defaults and update rule.
/// </summary>
/// <remarks>
/// Step t: <c>m += (g - m)(1 - beta1)</c>, <c>v += (g² - v)(1 - beta2)</c>,
/// <c>m̂ = u_{t+1}·m / (1 - Π_{s≤t+1} u_s) + (1 - u_t)·g / (1 - Π_{s≤t} u_s)</c>, <c>v̂ = v / (1 - beta2^t)</c>,
/// <c>w -= lr·m̂ / (sqrt(v̂) + epsilon)</c>. The product of the <c>u_s</c> is a function of the step count, so it is not
/// part of the saved state.
/// </remarks>
/// <example><code>model.Compile(optimizer: new Nadam(learningRate: 2e-3), ...);   // or optimizer: "nadam"</code></example>
public sealed class Nadam : Optimizer
{
    private IReadOnlyList<Tensor> _momentums = [], _velocities = [];
    private long _productStep;
    private double _product = 1.0;

    /// <summary>Creates Nadam with Keras's defaults.</summary>
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
    public Nadam(LearningRateSchedule? learningRate = null, [ConfigKey("beta_1")] double beta1 = 0.9, [ConfigKey("beta_2")] double beta2 = 0.999, double epsilon = 1e-7,
        double weightDecay = 0.0, double? clipnorm = null, double? clipvalue = null, double? globalClipnorm = null,
        bool useEma = false, double emaMomentum = 0.99, int? emaOverwriteFrequency = null, int? gradientAccumulationSteps = null)
        : base("nadam", learningRate ?? 0.001, weightDecay, new GradientClipping(clipnorm, clipvalue, globalClipnorm),
            new OptimizerOptions(useEma, emaMomentum, emaOverwriteFrequency, gradientAccumulationSteps))
    {
        CheckDecay(beta1, nameof(beta1), "Nadam", 0.9);
        CheckDecay(beta2, nameof(beta2), "Nadam", 0.999);
        CheckEpsilon(epsilon, "Nadam");
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

    /// <summary>Keras's <c>u_t</c>.</summary>
    private double U(long step) => Beta1 * (1.0 - 0.5 * Math.Pow(0.96, step));

    /// <summary>Keras's <c>u_product</c> after step <paramref name="step"/>: the product of <c>u_1 ... u_step</c>
    /// (advanced one factor per step; recomputed after a jump, e.g. a restored step count).</summary>
    private double Product(long step)
    {
        if (step < _productStep) (_productStep, _product) = (0, 1.0);
        for (; _productStep < step; _productStep++) _product *= U(_productStep + 1);
        return _product;
    }

    /// <inheritdoc/>
    protected override void UpdateStep(Tensor gradient, Tensor variable, int index, double learningRate)
    {
        long step = Iterations + 1;
        double uT = U(step), uNext = U(step + 1);
        double product = Product(step), productNext = product * uNext;
        var m = _momentums[index];
        var v = _velocities[index];
        m.lerp_(gradient, 1 - Beta1);
        v.mul_(Beta2).addcmul_(gradient, gradient, 1 - Beta2);
        // m̂ = uNext·m/(1 - productNext) + (1 - uT)·g/(1 - product); w -= lr·m̂ / (sqrt(v/(1 - beta2^t)) + epsilon)
        var mHat = m.mul(uNext / (1 - productNext)).add_(gradient, (1 - uT) / (1 - product));
        var denominator = Scratch(v).copy_(v).div_(1 - Math.Pow(Beta2, step)).sqrt_().add_(Epsilon);
        variable.addcdiv_(mHat, denominator, -learningRate);
    }
}
