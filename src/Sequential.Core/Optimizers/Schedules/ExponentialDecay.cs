namespace Sequential.Optimizers;

/// <summary>
/// Keras's <c>ExponentialDecay</c>: <c>initialLearningRate · decayRate^(step / decaySteps)</c>, with an integer
/// division when <c>staircase</c> is set.
/// </summary>
/// <example><code>new SGD(learningRate: new ExponentialDecay(0.1, decaySteps: 100000, decayRate: 0.96, staircase: true))</code></example>
public sealed class ExponentialDecay : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="initialLearningRate">The learning rate at step 0.</param>
    /// <param name="decaySteps">Steps over which the rate is multiplied by <paramref name="decayRate"/> (&gt; 0).</param>
    /// <param name="decayRate">The decay factor.</param>
    /// <param name="staircase">Decay at discrete intervals (an integer division of the step).</param>
    /// <param name="name">Keras's name.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="decaySteps"/> is not positive, or a number is not finite.</exception>
    public ExponentialDecay(double initialLearningRate, long decaySteps, double decayRate, bool staircase = false, string name = "ExponentialDecay")
    {
        CheckFinite(initialLearningRate, nameof(initialLearningRate));
        CheckPositive(decaySteps, nameof(decaySteps));
        CheckFinite(decayRate, nameof(decayRate));
        (InitialLearningRate, DecaySteps, DecayRate, Staircase, Name) = (initialLearningRate, decaySteps, decayRate, staircase, name);
    }

    /// <summary>The learning rate at step 0.</summary>
    public double InitialLearningRate { get; }

    /// <summary>Steps per decay by <see cref="DecayRate"/>.</summary>
    public long DecaySteps { get; }

    /// <summary>The decay factor.</summary>
    public double DecayRate { get; }

    /// <summary>Whether the decay is a staircase.</summary>
    public bool Staircase { get; }

    /// <summary>Keras's name.</summary>
    public string Name { get; }

    /// <inheritdoc/>
    public override double Call(long step)
    {
        double p = (double)step / DecaySteps;
        if (Staircase) p = Math.Floor(p);
        return InitialLearningRate * Math.Pow(DecayRate, p);
    }
}
