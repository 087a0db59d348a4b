namespace Sequential.Optimizers;

/// <summary>
/// Keras's <c>CosineDecay</c>, with optional linear warmup: when <c>warmupTarget</c> is set, the rate rises linearly from
/// <c>initialLearningRate</c> to <c>warmupTarget</c> over <c>warmupSteps</c>, then decays from <c>warmupTarget</c> to
/// <c>warmupTarget · alpha</c> over <c>decaySteps</c> as <c>((1 - alpha) · 0.5 · (1 + cos(π · t / decaySteps)) + alpha)</c>;
/// without it, the decay starts from <c>initialLearningRate</c> at step 0.
/// </summary>
/// <example><code>new AdamW(learningRate: new CosineDecay(0.0, decaySteps: 1000, warmupTarget: 1e-3, warmupSteps: 100))</code></example>
public sealed class CosineDecay : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="initialLearningRate">The learning rate at step 0.</param>
    /// <param name="decaySteps">Steps to decay over (&gt; 0).</param>
    /// <param name="alpha">The minimum, as a fraction of the rate the decay starts from.</param>
    /// <param name="warmupTarget">The rate to warm up to, or null for no warmup.</param>
    /// <param name="warmupSteps">Steps to warm up over.</param>
    /// <param name="name">Keras's name.</param>
    /// <exception cref="ArgumentOutOfRangeException">A step count is out of range, or a number is not finite.</exception>
    public CosineDecay(double initialLearningRate, long decaySteps, double alpha = 0.0, double? warmupTarget = null, long warmupSteps = 0,
        string name = "CosineDecay")
    {
        CheckFinite(initialLearningRate, nameof(initialLearningRate));
        CheckPositive(decaySteps, nameof(decaySteps));
        CheckFinite(alpha, nameof(alpha));
        if (warmupTarget is { } target) CheckFinite(target, nameof(warmupTarget));
        if (warmupSteps < 0)
            throw new ArgumentOutOfRangeException(nameof(warmupSteps), warmupSteps, $"CosineDecay warmupSteps must be >= 0; got {warmupSteps}.");
        (InitialLearningRate, DecaySteps, Alpha, WarmupTarget, WarmupSteps, Name) = (initialLearningRate, decaySteps, alpha, warmupTarget, warmupSteps, name);
    }

    /// <summary>The learning rate at step 0.</summary>
    public double InitialLearningRate { get; }

    /// <summary>Steps to decay over.</summary>
    public long DecaySteps { get; }

    /// <summary>The minimum as a fraction.</summary>
    public double Alpha { get; }

    /// <summary>The warmup's target, or null.</summary>
    public double? WarmupTarget { get; }

    /// <summary>Steps to warm up over.</summary>
    public long WarmupSteps { get; }

    /// <summary>Keras's name.</summary>
    public string Name { get; }

    /// <inheritdoc/>
    public override double Call(long step)
    {
        if (WarmupTarget is not { } target) return Decay(Math.Min(step, DecaySteps), InitialLearningRate);
        double s = Math.Min(step, (double)DecaySteps + WarmupSteps);
        return s < WarmupSteps
            ? (target - InitialLearningRate) * (s / WarmupSteps) + InitialLearningRate
            : Decay(s - WarmupSteps, target);
    }

    private double Decay(double step, double from) =>
        from * ((1 - Alpha) * 0.5 * (1.0 + Math.Cos(Math.PI * step / DecaySteps)) + Alpha);
}
