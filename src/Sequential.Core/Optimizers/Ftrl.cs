using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sequential.Optimizers;

/// <summary>
/// FTRL-Proximal (Keras's <c>Ftrl</c>, McMahan et al. 2013), with L1, L2 and L2-shrinkage regularization, Keras's
/// defaults and update rule.
/// </summary>
/// <remarks>
/// With <c>p = learningRatePower</c>: <c>n' = n + g²</c>, <c>z += g + 2·l2Shrinkage·w - (n'^(-p) - n^(-p))/lr · w</c>,
/// <c>w = (clip(z, -l1, l1) - z) / (n'^(-p)/lr + 2·(l2 + beta/(2·lr)))</c>, <c>n = n'</c>.
/// </remarks>
/// <example><code>model.Compile(optimizer: new Ftrl(learningRate: 0.05, l1RegularizationStrength: 0.01), ...);</code></example>
public sealed class Ftrl : Optimizer
{
    private IReadOnlyList<Tensor> _accumulators = [], _linears = [];

    /// <summary>Creates Ftrl with Keras's defaults.</summary>
    /// <param name="learningRate">Step size: a number (default 0.001) or a <see cref="LearningRateSchedule"/>.</param>
    /// <param name="learningRatePower">How the learning rate falls as the accumulator grows (default -0.5); &lt;= 0.</param>
    /// <param name="initialAccumulatorValue">Starting value of the accumulators (default 0.1); &gt;= 0.</param>
    /// <param name="l1RegularizationStrength">L1 strength (default 0); &gt;= 0.</param>
    /// <param name="l2RegularizationStrength">L2 strength (default 0); &gt;= 0.</param>
    /// <param name="l2ShrinkageRegularizationStrength">L2 shrinkage strength, applied to the gradient (default 0); &gt;= 0.</param>
    /// <param name="beta">The paper's beta (default 0).</param>
    /// <param name="weightDecay">Keras's <c>weight_decay</c> (decoupled; 0 for none).</param>
    /// <param name="clipnorm">Keras's <c>clipnorm</c>: scale each gradient to an L2 norm of at most this (null: off).</param>
    /// <param name="clipvalue">Keras's <c>clipvalue</c>: clip each gradient element to [-clipvalue, clipvalue] (null: off).</param>
    /// <param name="globalClipnorm">Keras's <c>global_clipnorm</c>: scale all gradients to a joint L2 norm of at most this (null: off).</param>
    /// <param name="useEma">Keras's <c>use_ema</c>: keep a moving average of the weights, copied into them at the end of <c>Fit</c>.</param>
    /// <param name="emaMomentum">Keras's <c>ema_momentum</c> (default 0.99).</param>
    /// <param name="emaOverwriteFrequency">Keras's <c>ema_overwrite_frequency</c>: also copy the average in every this many updates (null: only at the end).</param>
    /// <param name="gradientAccumulationSteps">Keras's <c>gradient_accumulation_steps</c>: update every this many steps with the mean gradient (null: every step).</param>
    public Ftrl(LearningRateSchedule? learningRate = null, double learningRatePower = -0.5, double initialAccumulatorValue = 0.1,
        double l1RegularizationStrength = 0.0, double l2RegularizationStrength = 0.0, double l2ShrinkageRegularizationStrength = 0.0,
        double beta = 0.0,
        double weightDecay = 0.0, double? clipnorm = null, double? clipvalue = null, double? globalClipnorm = null,
        bool useEma = false, double emaMomentum = 0.99, int? emaOverwriteFrequency = null, int? gradientAccumulationSteps = null)
        : base("ftrl", learningRate ?? 0.001, weightDecay, new GradientClipping(clipnorm, clipvalue, globalClipnorm),
            new OptimizerOptions(useEma, emaMomentum, emaOverwriteFrequency, gradientAccumulationSteps))
    {
        if (!(learningRatePower <= 0) || double.IsInfinity(learningRatePower))
            throw new ArgumentOutOfRangeException(nameof(learningRatePower), learningRatePower,
                $"Ftrl learningRatePower needs to be negative or zero, e.g. -0.5; got {learningRatePower}.");
        NonNegative(initialAccumulatorValue, nameof(initialAccumulatorValue));
        NonNegative(l1RegularizationStrength, nameof(l1RegularizationStrength));
        NonNegative(l2RegularizationStrength, nameof(l2RegularizationStrength));
        NonNegative(l2ShrinkageRegularizationStrength, nameof(l2ShrinkageRegularizationStrength));
        if (!double.IsFinite(beta)) throw new ArgumentOutOfRangeException(nameof(beta), beta, $"Ftrl beta must be a finite number; got {beta}.");
        (LearningRatePower, InitialAccumulatorValue, L1RegularizationStrength, L2RegularizationStrength, L2ShrinkageRegularizationStrength, Beta) =
            (learningRatePower, initialAccumulatorValue, l1RegularizationStrength, l2RegularizationStrength, l2ShrinkageRegularizationStrength, beta);
    }

    /// <summary>How the learning rate falls as the accumulator grows.</summary>
    public double LearningRatePower { get; }

    /// <summary>Starting value of the accumulators.</summary>
    public double InitialAccumulatorValue { get; }

    /// <summary>L1 strength.</summary>
    public double L1RegularizationStrength { get; }

    /// <summary>L2 strength.</summary>
    public double L2RegularizationStrength { get; }

    /// <summary>L2 shrinkage strength.</summary>
    public double L2ShrinkageRegularizationStrength { get; }

    /// <summary>The paper's beta.</summary>
    public double Beta { get; }

    private static void NonNegative(double value, string argument)
    {
        if (!(value >= 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(argument, value, $"Ftrl {argument} needs to be positive or zero; got {value}.");
    }

    /// <inheritdoc/>
    protected override void Build(IReadOnlyList<Parameter> variables)
    {
        _accumulators = AddVariables("accumulator", InitialAccumulatorValue);
        _linears = AddVariables("linear");
    }

    /// <inheritdoc/>
    protected override void UpdateStep(Tensor gradient, Tensor variable, int index, double learningRate)
    {
        var n = _accumulators[index];
        var z = _linears[index];
        double power = -LearningRatePower;
        double l2 = L2RegularizationStrength + Beta / (2.0 * learningRate);
        var newN = n.addcmul(gradient, gradient, 1);
        var newPower = newN.pow(power);
        // z += g + 2·shrinkage·w - (n'^(-p) - n^(-p))/lr · w
        z.add_(gradient).add_(variable, 2 * L2ShrinkageRegularizationStrength)
            .sub_(newPower.sub(n.pow_(power)).div_(learningRate).mul_(variable));
        var quadratic = newPower.div_(learningRate).add_(2 * l2);
        variable.copy_(z.clamp(-L1RegularizationStrength, L1RegularizationStrength).sub_(z).div_(quadratic));
        n.copy_(newN);
    }
}
