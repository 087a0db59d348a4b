using System.Globalization;

namespace Sequential.Callbacks;

/// <summary>
/// Sets the learning rate at the start of every epoch from a schedule (Keras's
/// <c>keras.callbacks.LearningRateScheduler</c>), and logs it as <c>learning_rate</c> at the end of the epoch.
/// </summary>
/// <example>
/// <code>
/// // Keras: LearningRateScheduler(lambda epoch, lr: lr if epoch &lt; 10 else lr * math.exp(-0.1))
/// callbacks: [new LearningRateScheduler((epoch, lr) =&gt; epoch &lt; 10 ? lr : lr * Math.Exp(-0.1))]
/// </code>
/// </example>
public sealed class LearningRateScheduler : Callback
{
    private readonly Func<int, double, double> _schedule;

    /// <summary>Creates the callback.</summary>
    /// <param name="schedule">(0-based epoch, current learning rate) -> the learning rate for that epoch.</param>
    /// <param name="verbose">1 prints each new rate.</param>
    public LearningRateScheduler(Func<int, double, double> schedule, int verbose = 0)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        _schedule = schedule;
        Verbose = verbose;
    }

    /// <summary>1 prints each new rate.</summary>
    public int Verbose { get; }

    /// <summary>Asks the schedule for this epoch's rate and sets it on the optimizer.</summary>
    /// <param name="epoch">0-based epoch index.</param>
    /// <param name="logs">Unused.</param>
    /// <exception cref="ArgumentOutOfRangeException">The schedule returned a rate that is not positive and finite.</exception>
    public override void OnEpochBegin(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        var optimizer = Model!.Optimizer ?? throw Sequential.Model.NotCompiled("Fit");
        double learningRate = _schedule(epoch, optimizer.LearningRate);
        if (!(learningRate > 0) || double.IsInfinity(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate,
                $"The schedule returned {learningRate} for epoch {epoch}; a learning rate must be a positive finite number.");
        optimizer.LearningRate = learningRate;
        if (Verbose > 0)
            Console.WriteLine($"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {learningRate.ToString(CultureInfo.InvariantCulture)}.");
    }

    /// <summary>Logs <c>learning_rate</c>.</summary>
    /// <param name="epoch">0-based epoch index.</param>
    /// <param name="logs">The epoch's logs.</param>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs) =>
        EpochLogs.Set(logs, "learning_rate", Model!.Optimizer!.LearningRate);
}
