namespace Sequential.Callbacks;

/// <summary>
/// Lowers the learning rate when a monitored quantity has stopped improving (Keras's
/// <c>keras.callbacks.ReduceLROnPlateau</c>): after <see cref="Patience"/> epochs without an improvement larger than
/// <see cref="MonitorCallback.MinDelta"/>, the rate is multiplied by <see cref="Factor"/>, never below <see cref="MinLr"/>, and the
/// callback then rests for <see cref="Cooldown"/> epochs.
/// </summary>
/// <remarks>
/// As Keras 3 does, each epoch's logs gain <c>learning_rate</c>: the rate the epoch trained with (read before any
/// reduction), so <c>history["learning_rate"]</c> holds it when History runs after this callback (it always does).
/// </remarks>
/// <example>
/// <code>
/// callbacks: [new ReduceLROnPlateau(monitor: "val_loss", factor: 0.2, patience: 5, minLr: 0.001)]
/// </code>
/// </example>
public sealed class ReduceLROnPlateau : MonitorCallback
{
    /// <summary>Creates the callback (Keras's argument names and defaults).</summary>
    /// <param name="monitor">The log key to watch.</param>
    /// <param name="factor">The rate is multiplied by this; must be below 1.</param>
    /// <param name="patience">Epochs without improvement before the rate is lowered.</param>
    /// <param name="verbose">1 prints each reduction.</param>
    /// <param name="mode"><c>"min"</c>, <c>"max"</c> or <c>"auto"</c> (decided as <see cref="MonitorCallback"/> describes).</param>
    /// <param name="minDelta">Smallest change that counts as an improvement (its sign is ignored, as in Keras).</param>
    /// <param name="cooldown">Epochs to rest after a reduction before counting again.</param>
    /// <param name="minLr">Lower bound of the learning rate.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="factor"/> is 1 or more (Keras raises too), or a
    /// negative <paramref name="patience"/> or <paramref name="cooldown"/>.</exception>
    /// <exception cref="ArgumentException">An unknown <paramref name="mode"/> or a NaN <paramref name="minDelta"/>.</exception>
    public ReduceLROnPlateau(string monitor = "val_loss", double factor = 0.1, int patience = 10, int verbose = 0, string mode = "auto",
        double minDelta = 1e-4, int cooldown = 0, double minLr = 0)
        : base(monitor, mode, minDelta: minDelta)
    {
        if (!(factor < 1.0))
            throw new ArgumentOutOfRangeException(nameof(factor), factor, $"ReduceLROnPlateau does not support a factor >= 1.0; got {factor}.");
        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        ArgumentOutOfRangeException.ThrowIfNegative(cooldown);
        Factor = factor;
        Patience = patience;
        Verbose = verbose;
        Cooldown = cooldown;
        MinLr = minLr;
    }

    /// <summary>The multiplier applied to the learning rate.</summary>
    public double Factor { get; }

    /// <summary>Epochs without improvement before a reduction.</summary>
    public int Patience { get; }

    /// <summary>1 prints each reduction.</summary>
    public int Verbose { get; }

    /// <summary>Epochs to rest after a reduction.</summary>
    public int Cooldown { get; }

    /// <summary>Lower bound of the learning rate.</summary>
    public double MinLr { get; }

    /// <summary>Epochs since the last improvement (Keras's <c>wait</c>).</summary>
    public int Wait { get; private set; }

    /// <summary>Cooldown epochs left (Keras's <c>cooldown_counter</c>).</summary>
    public int CooldownCounter { get; private set; }

    /// <summary>Resets the state at the start of training.</summary>
    /// <param name="logs">Unused.</param>
    public override void OnTrainBegin(IReadOnlyDictionary<string, double> logs) => Reset();

    /// <summary>Logs <c>learning_rate</c> and applies the plateau rule.</summary>
    /// <param name="epoch">0-based epoch index.</param>
    /// <param name="logs">The epoch's logs.</param>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        ResolveMode();
        var optimizer = Model!.Optimizer ?? throw Sequential.Model.NotCompiled("Fit");
        EpochLogs.Set(logs, "learning_rate", optimizer.LearningRate);
        double? current = GetMonitorValue(logs);
        if (current is null) return;
        if (CooldownCounter > 0)
        {
            CooldownCounter--;
            Wait = 0;
        }
        if (IsImprovement(current.Value, Best))
        {
            Best = current.Value;
            Wait = 0;
        }
        else if (CooldownCounter == 0)
        {
            Wait++;
            if (Wait >= Patience)
            {
                double oldLr = optimizer.LearningRate;
                if (oldLr > (float)MinLr) // Keras compares with np.float32(min_lr)
                {
                    double newLr = Math.Max(oldLr * Factor, MinLr);
                    optimizer.LearningRate = newLr;
                    if (Verbose > 0)
                        Console.WriteLine($"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to {PythonFormat.Str(newLr)}.");
                    CooldownCounter = Cooldown;
                    Wait = 0;
                }
            }
        }
    }

    /// <inheritdoc/>
    protected override string MonitorPurpose => "Learning rate reduction";

    private void Reset()
    {
        Best = null;
        CooldownCounter = 0;
        Wait = 0;
    }
}
