using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sequential.Optimizers;

/// <summary>
/// Lion (Keras's <c>Lion</c>, Chen et al. 2023): the sign of an interpolated momentum, Keras's defaults and update rule.
/// </summary>
/// <remarks>
/// <c>w -= lr·sign(beta1·m + (1 - beta1)·g)</c>, then <c>m = beta2·m + (1 - beta2)·g</c>. Its updates are larger than
/// Adam's: a learning rate 3-10 times smaller is usual.
/// </remarks>
/// <example><code>model.Compile(optimizer: new Lion(learningRate: 1e-4), ...);   // or optimizer: "lion"</code></example>
public sealed class Lion : Optimizer
{
    private IReadOnlyList<Tensor> _momentums = [];

    /// <summary>Creates Lion with Keras's defaults.</summary>
    /// <param name="learningRate">Step size: a number (default 0.001) or a <see cref="LearningRateSchedule"/>.</param>
    /// <param name="beta1">Interpolation factor of the update (default 0.9), in (0, 1].</param>
    /// <param name="beta2">Decay of the momentum (default 0.99).</param>
    /// <param name="weightDecay">Keras's <c>weight_decay</c> (decoupled; 0 for none).</param>
    /// <param name="clipnorm">Keras's <c>clipnorm</c>: scale each gradient to an L2 norm of at most this (null: off).</param>
    /// <param name="clipvalue">Keras's <c>clipvalue</c>: clip each gradient element to [-clipvalue, clipvalue] (null: off).</param>
    /// <param name="globalClipnorm">Keras's <c>global_clipnorm</c>: scale all gradients to a joint L2 norm of at most this (null: off).</param>
    /// <param name="useEma">Keras's <c>use_ema</c>: keep a moving average of the weights, copied into them at the end of <c>Fit</c>.</param>
    /// <param name="emaMomentum">Keras's <c>ema_momentum</c> (default 0.99).</param>
    /// <param name="emaOverwriteFrequency">Keras's <c>ema_overwrite_frequency</c>: also copy the average in every this many updates (null: only at the end).</param>
    /// <param name="gradientAccumulationSteps">Keras's <c>gradient_accumulation_steps</c>: update every this many steps with the mean gradient (null: every step).</param>
    public Lion(LearningRateSchedule? learningRate = null, [ConfigKey("beta_1")] double beta1 = 0.9, [ConfigKey("beta_2")] double beta2 = 0.99,
        double weightDecay = 0.0, double? clipnorm = null, double? clipvalue = null, double? globalClipnorm = null,
        bool useEma = false, double emaMomentum = 0.99, int? emaOverwriteFrequency = null, int? gradientAccumulationSteps = null)
        : base("lion", learningRate ?? 0.001, weightDecay, new GradientClipping(clipnorm, clipvalue, globalClipnorm),
            new OptimizerOptions(useEma, emaMomentum, emaOverwriteFrequency, gradientAccumulationSteps))
    {
        if (!(beta1 > 0 && beta1 <= 1))
            throw new ArgumentOutOfRangeException(nameof(beta1), beta1,
                $"Lion beta1 must be in (0, 1] (otherwise the optimizer degenerates to SignSGD), e.g. 0.9; got {beta1}.");
        if (!(beta2 >= 0 && beta2 <= 1))
            throw new ArgumentOutOfRangeException(nameof(beta2), beta2, $"Lion beta2 must be in [0, 1], e.g. 0.99; got {beta2}.");
        (Beta1, Beta2) = (beta1, beta2);
    }

    /// <summary>Interpolation factor of the update.</summary>
    public double Beta1 { get; }

    /// <summary>Decay of the momentum.</summary>
    public double Beta2 { get; }

    /// <inheritdoc/>
    protected override void Build(IReadOnlyList<Parameter> variables) => _momentums = AddVariables("momentum");

    /// <inheritdoc/>
    protected override void UpdateStep(Tensor gradient, Tensor variable, int index, double learningRate)
    {
        var m = _momentums[index];
        var direction = Scratch(m).copy_(m).lerp_(gradient, 1 - Beta1).sign_();
        variable.add_(direction, -learningRate);
        m.lerp_(gradient, 1 - Beta2);
    }
}
