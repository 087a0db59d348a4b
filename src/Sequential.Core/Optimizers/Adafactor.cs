using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sequential.Optimizers;

/// <summary>
/// Adafactor (Keras's <c>Adafactor</c>, Shazeer and Stern 2018): second moments factored into row and column averages for
/// variables of rank 2 or more, relative step sizes and update clipping, Keras's defaults and update rule.
/// </summary>
/// <remarks>
/// Step t: <c>ρ = min(lr, 1/sqrt(t))</c>, <c>α = max(epsilon2, rms(w))·ρ</c>, <c>β = 1 - t^beta2Decay</c>; with
/// <c>G = g² + epsilon1</c>, rank ≥ 2: <c>r = β·r + (1-β)·mean(G, -1)</c>, <c>c = β·c + (1-β)·mean(G, -2)</c>,
/// <c>v = (r / mean(r, -1)) ⊗ c</c>; otherwise <c>v = β·v + (1-β)·G</c>; <c>u = g / sqrt(v)</c>,
/// <c>w -= α·u / max(1, rms(u)/clipThreshold)</c>. As in Keras, <c>relativeStep</c> has no further effect: the step size is
/// always capped by <c>1/sqrt(t)</c>.
/// </remarks>
/// <example><code>model.Compile(optimizer: new Adafactor(), ...);   // or optimizer: "adafactor"</code></example>
public sealed class Adafactor : Optimizer
{
    private IReadOnlyList<Tensor> _rows = [], _columns = [], _velocities = [];

    /// <summary>Creates Adafactor with Keras's defaults.</summary>
    /// <param name="learningRate">Step size: a number (default 0.001) or a <see cref="LearningRateSchedule"/>.</param>
    /// <param name="beta2Decay">Decay exponent of the second-moment rate (default -0.8).</param>
    /// <param name="epsilon1">Added to the squared gradient (default 1e-30).</param>
    /// <param name="epsilon2">Smallest scale of the step relative to the variable (default 1e-3).</param>
    /// <param name="clipThreshold">Update clipping threshold (default 1).</param>
    /// <param name="relativeStep">Keras's <c>relative_step</c> (default true).</param>
    /// <param name="weightDecay">Keras's <c>weight_decay</c> (decoupled; 0 for none).</param>
    /// <param name="clipnorm">Keras's <c>clipnorm</c>: scale each gradient to an L2 norm of at most this (null: off).</param>
    /// <param name="clipvalue">Keras's <c>clipvalue</c>: clip each gradient element to [-clipvalue, clipvalue] (null: off).</param>
    /// <param name="globalClipnorm">Keras's <c>global_clipnorm</c>: scale all gradients to a joint L2 norm of at most this (null: off).</param>
    /// <param name="useEma">Keras's <c>use_ema</c>: keep a moving average of the weights, copied into them at the end of <c>Fit</c>.</param>
    /// <param name="emaMomentum">Keras's <c>ema_momentum</c> (default 0.99).</param>
    /// <param name="emaOverwriteFrequency">Keras's <c>ema_overwrite_frequency</c>: also copy the average in every this many updates (null: only at the end).</param>
    /// <param name="gradientAccumulationSteps">Keras's <c>gradient_accumulation_steps</c>: update every this many steps with the mean gradient (null: every step).</param>
    public Adafactor(LearningRateSchedule? learningRate = null, [ConfigKey("beta_2_decay")] double beta2Decay = -0.8, [ConfigKey("epsilon_1")] double epsilon1 = 1e-30,
        [ConfigKey("epsilon_2")] double epsilon2 = 1e-3, double clipThreshold = 1.0, bool relativeStep = true,
        double weightDecay = 0.0, double? clipnorm = null, double? clipvalue = null, double? globalClipnorm = null,
        bool useEma = false, double emaMomentum = 0.99, int? emaOverwriteFrequency = null, int? gradientAccumulationSteps = null)
        : base("adafactor", learningRate ?? 0.001, weightDecay, new GradientClipping(clipnorm, clipvalue, globalClipnorm),
            new OptimizerOptions(useEma, emaMomentum, emaOverwriteFrequency, gradientAccumulationSteps))
    {
        if (!double.IsFinite(beta2Decay))
            throw new ArgumentOutOfRangeException(nameof(beta2Decay), beta2Decay, $"Adafactor beta2Decay must be a finite number, e.g. -0.8; got {beta2Decay}.");
        if (!(epsilon1 >= 0) || double.IsInfinity(epsilon1))
            throw new ArgumentOutOfRangeException(nameof(epsilon1), epsilon1, $"Adafactor epsilon1 must be a finite number >= 0, e.g. 1e-30; got {epsilon1}.");
        if (!(epsilon2 >= 0) || double.IsInfinity(epsilon2))
            throw new ArgumentOutOfRangeException(nameof(epsilon2), epsilon2, $"Adafactor epsilon2 must be a finite number >= 0, e.g. 1e-3; got {epsilon2}.");
        if (!(clipThreshold > 0) || double.IsInfinity(clipThreshold))
            throw new ArgumentOutOfRangeException(nameof(clipThreshold), clipThreshold, $"Adafactor clipThreshold must be a positive finite number, e.g. 1.0; got {clipThreshold}.");
        (Beta2Decay, Epsilon1, Epsilon2, ClipThreshold, RelativeStep) = (beta2Decay, epsilon1, epsilon2, clipThreshold, relativeStep);
    }

    /// <summary>Decay exponent of the second-moment rate.</summary>
    public double Beta2Decay { get; }

    /// <summary>Added to the squared gradient.</summary>
    public double Epsilon1 { get; }

    /// <summary>Smallest scale of the step relative to the variable.</summary>
    public double Epsilon2 { get; }

    /// <summary>Update clipping threshold.</summary>
    public double ClipThreshold { get; }

    /// <summary>Keras's <c>relative_step</c>.</summary>
    public bool RelativeStep { get; }

    /// <inheritdoc/>
    protected override void Build(IReadOnlyList<Parameter> variables)
    {
        // Factored moments for rank >= 2 (rows: shape[:-1], columns: shape[:-2] + shape[-1:]); a scalar placeholder otherwise, as Keras.
        _rows = AddVariables("row", v => v.dim() >= 2 ? v.shape[..^1] : []);
        _columns = AddVariables("column", v => v.dim() >= 2 ? [.. v.shape[..^2], v.shape[^1]] : []);
        _velocities = AddVariables("velocity");
    }

    /// <inheritdoc/>
    protected override void UpdateStep(Tensor gradient, Tensor variable, int index, double learningRate)
    {
        long step = Iterations + 1;
        double rho = Math.Min(learningRate, 1 / Math.Sqrt(step));
        var alpha = variable.square().mean().sqrt_().clamp_min_(Epsilon2).mul_(rho);
        var regulated = gradient.square().add_(Epsilon1);
        double beta = 1 - Math.Pow(step, Beta2Decay);
        var v = _velocities[index];
        if (variable.dim() >= 2)
        {
            var r = _rows[index];
            var c = _columns[index];
            r.mul_(beta).add_(regulated.mean([-1]), 1 - beta);
            c.mul_(beta).add_(regulated.mean([-2]), 1 - beta);
            v.copy_(r.div(r.mean([-1], keepdim: true)).unsqueeze(-1).mul(c.unsqueeze(-2)));
        }
        else
        {
            v.mul_(beta).add_(regulated, 1 - beta);
        }
        var u = gradient.div(v.sqrt());
        var scale = u.square().mean().sqrt_().div_(ClipThreshold).clamp_min_(1.0);
        variable.sub_(u.div_(scale).mul_(alpha));
    }
}
