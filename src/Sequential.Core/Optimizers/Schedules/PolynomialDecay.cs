namespace Sequential.Optimizers;

/// <summary>
/// Keras's <c>PolynomialDecay</c>: <c>(initialLearningRate - endLearningRate) · (1 - min(step, decaySteps) / decaySteps)^power
/// + endLearningRate</c>; with <c>cycle</c>, <c>decaySteps</c> is multiplied by <c>ceil(step / decaySteps)</c> instead of
/// the step being capped.
/// </summary>
/// <example><code>new SGD(learningRate: new PolynomialDecay(0.1, decaySteps: 10000, endLearningRate: 0.01, power: 0.5))</code></example>
public sealed class PolynomialDecay : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="initialLearningRate">The learning rate at step 0.</param>
    /// <param name="decaySteps">Steps to reach <paramref name="endLearningRate"/> (&gt; 0).</param>
    /// <param name="endLearningRate">The final learning rate (Keras default 0.0001).</param>
    /// <param name="power">The polynomial's power (default 1: linear).</param>
    /// <param name="cycle">Restart beyond <paramref name="decaySteps"/>.</param>
    /// <param name="name">Keras's name.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="decaySteps"/> is not positive, or a number is not finite.</exception>
    public PolynomialDecay(double initialLearningRate, long decaySteps, double endLearningRate = 0.0001, double power = 1.0, bool cycle = false,
        string name = "PolynomialDecay")
    {
        CheckFinite(initialLearningRate, nameof(initialLearningRate));
        CheckPositive(decaySteps, nameof(decaySteps));
        CheckFinite(endLearningRate, nameof(endLearningRate));
        CheckFinite(power, nameof(power));
        (InitialLearningRate, DecaySteps, EndLearningRate, Power, Cycle, Name) = (initialLearningRate, decaySteps, endLearningRate, power, cycle, name);
    }

    /// <summary>The learning rate at step 0.</summary>
    public double InitialLearningRate { get; }

    /// <summary>Steps to reach <see cref="EndLearningRate"/>.</summary>
    public long DecaySteps { get; }

    /// <summary>The final learning rate.</summary>
    public double EndLearningRate { get; }

    /// <summary>The polynomial's power.</summary>
    public double Power { get; }

    /// <summary>Whether the decay restarts beyond <see cref="DecaySteps"/>.</summary>
    public bool Cycle { get; }

    /// <summary>Keras's name.</summary>
    public string Name { get; }

    /// <inheritdoc/>
    public override double Call(long step)
    {
        double s = step, decaySteps = DecaySteps;
        if (Cycle) decaySteps *= s == 0 ? 1.0 : Math.Ceiling(s / DecaySteps);
        else s = Math.Min(s, decaySteps);
        return (InitialLearningRate - EndLearningRate) * Math.Pow(1 - s / decaySteps, Power) + EndLearningRate;
    }
}
