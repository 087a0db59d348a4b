namespace Sequential.Optimizers;

/// <summary>
/// AdamW (Keras's <c>AdamW</c>): <see cref="Adam"/> with decoupled weight decay, Keras's default 0.004. Each step first
/// shrinks every variable by <c>variable * weightDecay * learningRate</c>, then takes the Adam step.
/// </summary>
/// <example><code>model.Compile(optimizer: new AdamW(learningRate: 1e-3, weightDecay: 0.01), ...);</code></example>
public sealed class AdamW : Adam
{
    /// <summary>Creates AdamW with Keras's defaults.</summary>
    /// <param name="learningRate">Step size (default 0.001).</param>
    /// <param name="weightDecay">Decoupled weight decay (Keras default 0.004).</param>
    /// <param name="beta1">Decay of the first-moment estimate (default 0.9).</param>
    /// <param name="beta2">Decay of the second-moment estimate (default 0.999).</param>
    /// <param name="epsilon">Numerical stability constant (default 1e-7).</param>
    /// <param name="amsgrad">Use the AMSGrad variant.</param>
    /// <param name="clipnorm">Keras's <c>clipnorm</c>: scale each gradient to an L2 norm of at most this (null: off).</param>
    /// <param name="clipvalue">Keras's <c>clipvalue</c>: clip each gradient element to [-clipvalue, clipvalue] (null: off).</param>
    /// <param name="globalClipnorm">Keras's <c>global_clipnorm</c>: scale all gradients to a joint L2 norm of at most this (null: off).</param>
    public AdamW(double learningRate = 0.001, double weightDecay = 0.004, [ConfigKey("beta_1")] double beta1 = 0.9, [ConfigKey("beta_2")] double beta2 = 0.999,
        double epsilon = 1e-7, bool amsgrad = false,
        double? clipnorm = null, double? clipvalue = null, double? globalClipnorm = null)
        : base("adamw", learningRate, beta1, beta2, epsilon, amsgrad, weightDecay, new GradientClipping(clipnorm, clipvalue, globalClipnorm))
    {
    }
}
