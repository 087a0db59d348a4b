namespace Sequential.Optimizers;

/// <summary>
/// AdamW (Keras's <c>AdamW</c>): <see cref="Adam"/> with decoupled weight decay, Keras's default 0.004. Each step first
/// shrinks every variable by <c>variable * weightDecay * learningRate</c>, then takes the Adam step.
/// </summary>
/// <example><code>model.Compile(optimizer: new AdamW(learningRate: 1e-3, weightDecay: 0.01), ...);</code></example>
public sealed class AdamW : Adam
{
    /// <summary>Creates AdamW with Keras's defaults.</summary>
    /// <param name="learningRate">Step size: a number (default 0.001) or a <see cref="LearningRateSchedule"/>.</param>
    /// <param name="weightDecay">Decoupled weight decay (Keras default 0.004).</param>
    /// <param name="beta1">Decay of the first-moment estimate (default 0.9).</param>
    /// <param name="beta2">Decay of the second-moment estimate (default 0.999).</param>
    /// <param name="epsilon">Numerical stability constant (default 1e-7).</param>
    /// <param name="amsgrad">Use the AMSGrad variant.</param>
    /// <param name="clipnorm">Keras's <c>clipnorm</c>: scale each gradient to an L2 norm of at most this (null: off).</param>
    /// <param name="clipvalue">Keras's <c>clipvalue</c>: clip each gradient element to [-clipvalue, clipvalue] (null: off).</param>
    /// <param name="globalClipnorm">Keras's <c>global_clipnorm</c>: scale all gradients to a joint L2 norm of at most this (null: off).</param>
    /// <param name="useEma">Keras's <c>use_ema</c>: keep a moving average of the weights, copied into them at the end of <c>Fit</c>.</param>
    /// <param name="emaMomentum">Keras's <c>ema_momentum</c> (default 0.99).</param>
    /// <param name="emaOverwriteFrequency">Keras's <c>ema_overwrite_frequency</c>: also copy the average in every this many updates (null: only at the end).</param>
    /// <param name="gradientAccumulationSteps">Keras's <c>gradient_accumulation_steps</c>: update every this many steps with the mean gradient (null: every step).</param>
    public AdamW(LearningRateSchedule? learningRate = null, double weightDecay = 0.004, [ConfigKey("beta_1")] double beta1 = 0.9, [ConfigKey("beta_2")] double beta2 = 0.999,
        double epsilon = 1e-7, bool amsgrad = false,
        double? clipnorm = null, double? clipvalue = null, double? globalClipnorm = null,
        bool useEma = false, double emaMomentum = 0.99, int? emaOverwriteFrequency = null, int? gradientAccumulationSteps = null)
        : base("adamw", learningRate ?? 0.001, beta1, beta2, epsilon, amsgrad, weightDecay, new GradientClipping(clipnorm, clipvalue, globalClipnorm),
            new OptimizerOptions(useEma, emaMomentum, emaOverwriteFrequency, gradientAccumulationSteps))
    {
    }
}
