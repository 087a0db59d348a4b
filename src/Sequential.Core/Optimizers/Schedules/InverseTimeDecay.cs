namespace Sequential.Optimizers;

/// <summary>
/// Keras's <c>InverseTimeDecay</c>: <c>initialLearningRate / (1 + decayRate · step / decaySteps)</c>, with
/// <c>floor(step / decaySteps)</c> when <c>staircase</c> is set.
/// </summary>
/// <example><code>new SGD(learningRate: new InverseTimeDecay(0.1, decaySteps: 1.0, decayRate: 0.5))</code></example>
public sealed class InverseTimeDecay : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="initialLearningRate">The learning rate at step 0.</param>
    /// <param name="decaySteps">How often to apply the decay (&gt; 0).</param>
    /// <param name="decayRate">The decay rate.</param>
    /// <param name="staircase">Decay at discrete intervals.</param>
    /// <param name="name">Keras's name.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="decaySteps"/> is not positive, or a number is not finite.</exception>
    public InverseTimeDecay(double initialLearningRate, double decaySteps, double decayRate, bool staircase = false, string name = "InverseTimeDecay")
    {
        CheckFinite(initialLearningRate, nameof(initialLearningRate));
        CheckPositive(decaySteps, nameof(decaySteps));
        CheckFinite(decayRate, nameof(decayRate));
        (InitialLearningRate, DecaySteps, DecayRate, Staircase, Name) = (initialLearningRate, decaySteps, decayRate, staircase, name);
    }

    /// <summary>The learning rate at step 0.</summary>
    public double InitialLearningRate { get; }

    /// <summary>How often the decay applies.</summary>
    public double DecaySteps { get; }

    /// <summary>The decay rate.</summary>
    public double DecayRate { get; }

    /// <summary>Whether the decay is a staircase.</summary>
    public bool Staircase { get; }

    /// <summary>Keras's name.</summary>
    public string Name { get; }

    /// <inheritdoc/>
    public override double Call(long step)
    {
        double p = step / DecaySteps;
        if (Staircase) p = Math.Floor(p);
        return InitialLearningRate / (1 + DecayRate * p);
    }
}
