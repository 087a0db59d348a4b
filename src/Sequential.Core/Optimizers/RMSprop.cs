using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sequential.Optimizers;

/// <summary>RMSprop (Keras's <c>RMSprop</c>, Keras's defaults and update rule: epsilon inside the square root).</summary>
/// <remarks>
/// <c>v = rho·v + (1 - rho)·g²</c>; centered: <c>a = rho·a + (1 - rho)·g</c> and the denominator is
/// <c>sqrt(v - a² + epsilon)</c>, otherwise <c>sqrt(v + epsilon)</c>; the increment <c>lr·g / denominator</c> is
/// subtracted, or accumulated into <c>m = momentum·m + increment</c> first when momentum &gt; 0.
/// </remarks>
/// <example><code>model.Compile(optimizer: new RMSprop(learningRate: 1e-4), ...);</code></example>
public sealed class RMSprop : Optimizer
{
    private IReadOnlyList<Tensor> _velocities = [], _momentums = [], _averageGradients = [];

    /// <summary>Creates RMSprop with Keras's defaults.</summary>
    /// <param name="learningRate">Step size: a number (default 0.001) or a <see cref="LearningRateSchedule"/>.</param>
    /// <param name="rho">Discount of the squared-gradient average (default 0.9).</param>
    /// <param name="momentum">Momentum factor (default 0).</param>
    /// <param name="epsilon">Numerical stability constant (default 1e-7).</param>
    /// <param name="centered">Normalise by the estimated variance of the gradient.</param>
    /// <param name="weightDecay">Keras's <c>weight_decay</c> (decoupled; 0 for none).</param>
    /// <param name="clipnorm">Keras's <c>clipnorm</c>: scale each gradient to an L2 norm of at most this (null: off).</param>
    /// <param name="clipvalue">Keras's <c>clipvalue</c>: clip each gradient element to [-clipvalue, clipvalue] (null: off).</param>
    /// <param name="globalClipnorm">Keras's <c>global_clipnorm</c>: scale all gradients to a joint L2 norm of at most this (null: off).</param>
    /// <param name="useEma">Keras's <c>use_ema</c>: keep a moving average of the weights, copied into them at the end of <c>Fit</c>.</param>
    /// <param name="emaMomentum">Keras's <c>ema_momentum</c> (default 0.99).</param>
    /// <param name="emaOverwriteFrequency">Keras's <c>ema_overwrite_frequency</c>: also copy the average in every this many updates (null: only at the end).</param>
    /// <param name="gradientAccumulationSteps">Keras's <c>gradient_accumulation_steps</c>: update every this many steps with the mean gradient (null: every step).</param>
    public RMSprop(LearningRateSchedule? learningRate = null, double rho = 0.9, double momentum = 0.0, double epsilon = 1e-7, bool centered = false,
        double weightDecay = 0.0,
        double? clipnorm = null, double? clipvalue = null, double? globalClipnorm = null,
        bool useEma = false, double emaMomentum = 0.99, int? emaOverwriteFrequency = null, int? gradientAccumulationSteps = null)
        : base("rmsprop", learningRate ?? 0.001, weightDecay, new GradientClipping(clipnorm, clipvalue, globalClipnorm),
            new OptimizerOptions(useEma, emaMomentum, emaOverwriteFrequency, gradientAccumulationSteps))
    {
        if (!(rho > 0 && rho < 1))
            throw new ArgumentOutOfRangeException(nameof(rho), rho, $"RMSprop rho must be in (0, 1), e.g. 0.9; got {rho}.");
        if (!(momentum >= 0 && momentum < 1))
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, $"RMSprop momentum must be in [0, 1); got {momentum}.");
        CheckEpsilon(epsilon, "RMSprop");
        (Rho, Momentum, Epsilon, Centered) = (rho, momentum, epsilon, centered);
    }

    /// <summary>Discount factor.</summary>
    public double Rho { get; }

    /// <summary>Momentum factor.</summary>
    public double Momentum { get; }

    /// <summary>Numerical stability constant.</summary>
    public double Epsilon { get; }

    /// <summary>Whether the centered variant is used.</summary>
    public bool Centered { get; }

    /// <inheritdoc/>
    protected override void Build(IReadOnlyList<Parameter> variables)
    {
        _velocities = AddVariables("velocity");
        _momentums = Momentum > 0 ? AddVariables("momentum") : [];
        _averageGradients = Centered ? AddVariables("average_gradient") : [];
    }

    /// <inheritdoc/>
    protected override void UpdateStep(Tensor gradient, Tensor variable, int index, double learningRate)
    {
        var v = _velocities[index];
        v.mul_(Rho).addcmul_(gradient, gradient, 1 - Rho);
        var denominator = Scratch(v).copy_(v);
        if (Centered)
        {
            var a = _averageGradients[index];
            a.mul_(Rho).add_(gradient, 1 - Rho);
            denominator.addcmul_(a, a, -1);
        }
        denominator.add_(Epsilon).sqrt_();
        if (Momentum > 0)
        {
            var m = _momentums[index];
            m.mul_(Momentum).addcdiv_(gradient, denominator, learningRate);
            variable.sub_(m);
        }
        else variable.addcdiv_(gradient, denominator, -learningRate);
    }
}
