using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sequential.Optimizers;

/// <summary>
/// Adam (Keras's <c>Adam</c>, with Keras's default epsilon 1e-7 and Keras's update rule: epsilon is added to
/// <c>sqrt(v)</c> and the bias corrections go into the step size).
/// </summary>
/// <remarks>
/// Step t: <c>m += (g - m)(1 - beta1)</c>, <c>v += (g² - v)(1 - beta2)</c>,
/// <c>w -= lr·sqrt(1 - beta2^t)/(1 - beta1^t) · m / (sqrt(v) + epsilon)</c>. PyTorch adds epsilon to the
/// bias-corrected <c>sqrt(v̂)</c> instead, which differs visibly when epsilon is large (Keras suggests 1.0 or 0.1
/// for some networks).
/// </remarks>
/// <example><code>model.Compile(optimizer: new Adam(learningRate: 1e-3), ...);   // same as optimizer: "adam"</code></example>
public class Adam : Optimizer
{
    private IReadOnlyList<Tensor> _momentums = [], _velocities = [], _velocityHats = [];

    /// <summary>Creates Adam with Keras's defaults.</summary>
    /// <param name="learningRate">Step size: a number (default 0.001) or a <see cref="LearningRateSchedule"/>.</param>
    /// <param name="beta1">Decay of the first-moment estimate (default 0.9).</param>
    /// <param name="beta2">Decay of the second-moment estimate (default 0.999).</param>
    /// <param name="epsilon">Numerical stability constant (Keras default 1e-7; PyTorch's is 1e-8).</param>
    /// <param name="amsgrad">Use the AMSGrad variant.</param>
    /// <param name="weightDecay">Keras's <c>weight_decay</c> (decoupled; 0 for none). <see cref="AdamW"/> defaults it to 0.004.</param>
    /// <param name="clipnorm">Keras's <c>clipnorm</c>: scale each gradient to an L2 norm of at most this (null: off).</param>
    /// <param name="clipvalue">Keras's <c>clipvalue</c>: clip each gradient element to [-clipvalue, clipvalue] (null: off).</param>
    /// <param name="globalClipnorm">Keras's <c>global_clipnorm</c>: scale all gradients to a joint L2 norm of at most this (null: off).</param>
    /// <param name="useEma">Keras's <c>use_ema</c>: keep a moving average of the weights, copied into them at the end of <c>Fit</c>.</param>
    /// <param name="emaMomentum">Keras's <c>ema_momentum</c> (default 0.99).</param>
    /// <param name="emaOverwriteFrequency">Keras's <c>ema_overwrite_frequency</c>: also copy the average in every this many updates (null: only at the end).</param>
    /// <param name="gradientAccumulationSteps">Keras's <c>gradient_accumulation_steps</c>: update every this many steps with the mean gradient (null: every step).</param>
    public Adam(LearningRateSchedule? learningRate = null, [ConfigKey("beta_1")] double beta1 = 0.9, [ConfigKey("beta_2")] double beta2 = 0.999, double epsilon = 1e-7, bool amsgrad = false,
        double weightDecay = 0.0,
        double? clipnorm = null, double? clipvalue = null, double? globalClipnorm = null,
        bool useEma = false, double emaMomentum = 0.99, int? emaOverwriteFrequency = null, int? gradientAccumulationSteps = null)
        : this("adam", learningRate ?? 0.001, beta1, beta2, epsilon, amsgrad, weightDecay, new GradientClipping(clipnorm, clipvalue, globalClipnorm),
            new OptimizerOptions(useEma, emaMomentum, emaOverwriteFrequency, gradientAccumulationSteps))
    {
    }

    /// <summary>Creates an Adam variant under another Keras name (AdamW).</summary>
    /// <param name="name">The Keras name.</param>
    /// <param name="learningRate">Step size.</param>
    /// <param name="beta1">Decay of the first-moment estimate.</param>
    /// <param name="beta2">Decay of the second-moment estimate.</param>
    /// <param name="epsilon">Numerical stability constant.</param>
    /// <param name="amsgrad">Use the AMSGrad variant.</param>
    /// <param name="weightDecay">Decoupled weight decay.</param>
    /// <param name="clipping">Gradient clipping.</param>
    /// <param name="options">Moving average and gradient accumulation.</param>
    protected Adam(string name, LearningRateSchedule learningRate, double beta1, double beta2, double epsilon, bool amsgrad, double weightDecay,
        GradientClipping clipping, OptimizerOptions options = default)
        : base(name, learningRate, weightDecay, clipping, options)
    {
        CheckDecay(beta1, nameof(beta1), name, 0.9);
        CheckDecay(beta2, nameof(beta2), name, 0.999);
        CheckEpsilon(epsilon, name);
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
    protected override void Build(IReadOnlyList<Parameter> variables)
    {
        _momentums = AddVariables("momentum");
        _velocities = AddVariables("velocity");
        _velocityHats = Amsgrad ? AddVariables("velocity_hat") : [];
    }

    /// <inheritdoc/>
    protected override void UpdateStep(Tensor gradient, Tensor variable, int index, double learningRate)
    {
        long step = Iterations + 1;
        double alpha = learningRate * Math.Sqrt(1 - Math.Pow(Beta2, step)) / (1 - Math.Pow(Beta1, step));
        var m = _momentums[index];
        var v = _velocities[index];
        m.lerp_(gradient, 1 - Beta1);
        v.mul_(Beta2).addcmul_(gradient, gradient, 1 - Beta2);
        if (Amsgrad)
        {
            var vHat = _velocityHats[index];
            vHat.copy_(maximum(vHat, v));
            v = vHat;
        }
        var denominator = Scratch(v).copy_(v).sqrt_().add_(Epsilon);
        variable.addcdiv_(m, denominator, -alpha);
    }
}
