using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sequential.Optimizers;

/// <summary>Adagrad (Keras's <c>Adagrad</c>, Keras's defaults and update rule: <c>acc += g²</c>, <c>w -= lr·g / sqrt(acc + epsilon)</c>).</summary>
/// <example><code>model.Compile(optimizer: new Adagrad(learningRate: 0.01), ...);</code></example>
public sealed class Adagrad : Optimizer
{
    private IReadOnlyList<Tensor> _accumulators = [];

    /// <summary>Creates Adagrad with Keras's defaults.</summary>
    /// <param name="learningRate">Step size: a number (default 0.001) or a <see cref="LearningRateSchedule"/>.</param>
    /// <param name="initialAccumulatorValue">Starting value of the squared-gradient sums (default 0.1).</param>
    /// <param name="epsilon">Numerical stability constant (default 1e-7).</param>
    /// <param name="weightDecay">Keras's <c>weight_decay</c> (decoupled; 0 for none).</param>
    /// <param name="clipnorm">Keras's <c>clipnorm</c>: scale each gradient to an L2 norm of at most this (null: off).</param>
    /// <param name="clipvalue">Keras's <c>clipvalue</c>: clip each gradient element to [-clipvalue, clipvalue] (null: off).</param>
    /// <param name="globalClipnorm">Keras's <c>global_clipnorm</c>: scale all gradients to a joint L2 norm of at most this (null: off).</param>
    /// <param name="useEma">Keras's <c>use_ema</c>: keep a moving average of the weights, copied into them at the end of <c>Fit</c>.</param>
    /// <param name="emaMomentum">Keras's <c>ema_momentum</c> (default 0.99).</param>
    /// <param name="emaOverwriteFrequency">Keras's <c>ema_overwrite_frequency</c>: also copy the average in every this many updates (null: only at the end).</param>
    /// <param name="gradientAccumulationSteps">Keras's <c>gradient_accumulation_steps</c>: update every this many steps with the mean gradient (null: every step).</param>
    public Adagrad(LearningRateSchedule? learningRate = null, double initialAccumulatorValue = 0.1, double epsilon = 1e-7, double weightDecay = 0.0,
        double? clipnorm = null, double? clipvalue = null, double? globalClipnorm = null,
        bool useEma = false, double emaMomentum = 0.99, int? emaOverwriteFrequency = null, int? gradientAccumulationSteps = null)
        : base("adagrad", learningRate ?? 0.001, weightDecay, new GradientClipping(clipnorm, clipvalue, globalClipnorm),
            new OptimizerOptions(useEma, emaMomentum, emaOverwriteFrequency, gradientAccumulationSteps))
    {
        if (!(initialAccumulatorValue >= 0) || double.IsInfinity(initialAccumulatorValue))
            throw new ArgumentOutOfRangeException(nameof(initialAccumulatorValue), initialAccumulatorValue,
                $"Adagrad initialAccumulatorValue must be a finite number >= 0, e.g. 0.1; got {initialAccumulatorValue}.");
        CheckEpsilon(epsilon, "Adagrad");
        (InitialAccumulatorValue, Epsilon) = (initialAccumulatorValue, epsilon);
    }

    /// <summary>Starting value of the accumulators.</summary>
    public double InitialAccumulatorValue { get; }

    /// <summary>Numerical stability constant.</summary>
    public double Epsilon { get; }

    /// <inheritdoc/>
    protected override void Build(IReadOnlyList<Parameter> variables) =>
        _accumulators = AddVariables("accumulator", InitialAccumulatorValue);

    /// <inheritdoc/>
    protected override void UpdateStep(Tensor gradient, Tensor variable, int index, double learningRate)
    {
        var accumulator = _accumulators[index];
        accumulator.addcmul_(gradient, gradient, 1);
        var denominator = Scratch(accumulator).copy_(accumulator).add_(Epsilon).sqrt_();
        variable.addcdiv_(gradient, denominator, -learningRate);
    }
}
