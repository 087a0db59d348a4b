namespace Sequential.Optimizers;

/// <summary>
/// Keras's <c>CosineDecayRestarts</c> (SGDR): a cosine decay from <c>initialLearningRate</c> to
/// <c>initialLearningRate · alpha</c> over <c>firstDecaySteps</c>, then a warm restart; each period lasts <c>tMul</c>
/// times longer than the one before and starts from <c>mMul</c> times its rate.
/// </summary>
/// <example><code>new SGD(learningRate: new CosineDecayRestarts(0.1, firstDecaySteps: 1000))</code></example>
public sealed class CosineDecayRestarts : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="initialLearningRate">The learning rate at step 0.</param>
    /// <param name="firstDecaySteps">Steps of the first period (&gt; 0).</param>
    /// <param name="tMul">Each period's length relative to the one before (Keras default 2; &gt; 0).</param>
    /// <param name="mMul">Each period's starting rate relative to the one before (default 1).</param>
    /// <param name="alpha">The minimum, as a fraction of <paramref name="initialLearningRate"/>.</param>
    /// <param name="name">Keras's name.</param>
    /// <exception cref="ArgumentOutOfRangeException">A step count or <paramref name="tMul"/> is not positive, or a number is not finite.</exception>
    public CosineDecayRestarts(double initialLearningRate, long firstDecaySteps, double tMul = 2.0, double mMul = 1.0, double alpha = 0.0,
        string name = "SGDRDecay")
    {
        CheckFinite(initialLearningRate, nameof(initialLearningRate));
        CheckPositive(firstDecaySteps, nameof(firstDecaySteps));
        CheckPositive(tMul, nameof(tMul));
        CheckFinite(mMul, nameof(mMul));
        CheckFinite(alpha, nameof(alpha));
        (InitialLearningRate, FirstDecaySteps, TMul, MMul, Alpha, Name) = (initialLearningRate, firstDecaySteps, tMul, mMul, alpha, name);
    }

    /// <summary>The learning rate at step 0.</summary>
    public double InitialLearningRate { get; }

    /// <summary>Steps of the first period.</summary>
    public long FirstDecaySteps { get; }

    /// <summary>Each period's length relative to the one before.</summary>
    public double TMul { get; }

    /// <summary>Each period's starting rate relative to the one before.</summary>
    public double MMul { get; }

    /// <summary>The minimum as a fraction.</summary>
    public double Alpha { get; }

    /// <summary>Keras's name.</summary>
    public string Name { get; }

    /// <inheritdoc/>
    public override double Call(long step)
    {
        double fraction = (double)step / FirstDecaySteps, restart;
        if (TMul == 1.0)
        {
            restart = Math.Floor(fraction);
            fraction -= restart;
        }
        else
        {
            // Keras's closed form of the period a step falls in: periods have lengths 1, t, t², ... (in first periods).
            restart = Math.Floor(Math.Log(1.0 - fraction * (1.0 - TMul)) / Math.Log(TMul));
            double before = (1.0 - Math.Pow(TMul, restart)) / (1.0 - TMul);
            fraction = (fraction - before) / Math.Pow(TMul, restart);
        }
        double cosine = 0.5 * Math.Pow(MMul, restart) * (1.0 + Math.Cos(Math.PI * fraction));
        return InitialLearningRate * ((1 - Alpha) * cosine + Alpha);
    }
}
