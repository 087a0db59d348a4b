using static TorchSharp.torch;

namespace Sequential.Callbacks;

/// <summary>
/// Stops training when a monitored quantity has stopped improving (Keras's <c>keras.callbacks.EarlyStopping</c>).
/// </summary>
/// <remarks>
/// <para>
/// Keras's algorithm, step by step: at the end of each epoch from <see cref="StartFromEpoch"/> on, the wait counter
/// grows by one; if the value improves on the best so far by more than <see cref="MonitorCallback.MinDelta"/> it becomes the best and,
/// when it also beats <see cref="MonitorCallback.Baseline"/> (if any), the counter goes back to 0; otherwise, once the counter has
/// reached <see cref="Patience"/> (and the epoch is not the first), training stops.
/// </para>
/// <para>
/// With <see cref="RestoreBestWeights"/>, the weights of the best epoch are kept in memory (a copy of the
/// <c>state_dict</c>, no file) and put back at the end of training, whether training stopped early or ran all its
/// epochs (Keras 3's behaviour). A monitor missing from the logs prints a warning listing the available keys and
/// skips the epoch, as Keras does.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// // Keras: EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True)
/// var history = model.Fit(x, y, epochs: 100, validationSplit: 0.2,
///     callbacks: [new EarlyStopping(monitor: "val_loss", patience: 5, restoreBestWeights: true)]);
/// Console.WriteLine($"stopped after {history.Epochs.Count} epochs");
/// </code>
/// </example>
public sealed class EarlyStopping : MonitorCallback
{
    private Dictionary<string, Tensor>? _bestWeights;

    /// <summary>Creates the callback (Keras's argument names and defaults).</summary>
    /// <param name="monitor">The log key to watch, e.g. <c>val_loss</c> or <c>val_accuracy</c>.</param>
    /// <param name="minDelta">Smallest change that counts as an improvement (its sign is ignored, as in Keras).</param>
    /// <param name="patience">Epochs without improvement after which training stops.</param>
    /// <param name="verbose">1 prints when stopping and when restoring weights.</param>
    /// <param name="mode"><c>"min"</c>, <c>"max"</c>, or <c>"auto"</c> (decided as <see cref="MonitorCallback"/> describes).</param>
    /// <param name="baseline">A value the monitor must beat; until it does, the wait counter is never reset.</param>
    /// <param name="restoreBestWeights">Put back the weights of the best epoch at the end of training.</param>
    /// <param name="startFromEpoch">Epochs to wait before watching at all (a warm-up).</param>
    /// <exception cref="ArgumentException">An unknown <paramref name="mode"/> or a NaN <paramref name="minDelta"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative <paramref name="patience"/> or <paramref name="startFromEpoch"/>.</exception>
    public EarlyStopping(string monitor = "val_loss", double minDelta = 0, int patience = 0, int verbose = 0, string mode = "auto",
        double? baseline = null, bool restoreBestWeights = false, int startFromEpoch = 0)
        : base(monitor, mode, baseline, minDelta)
    {
        Best = null; // Keras keeps the baseline apart from best: it only decides when the wait counter restarts
        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        ArgumentOutOfRangeException.ThrowIfNegative(startFromEpoch);
        Patience = patience;
        Verbose = verbose;
        RestoreBestWeights = restoreBestWeights;
        StartFromEpoch = startFromEpoch;
    }

    /// <summary>Epochs without improvement after which training stops.</summary>
    public int Patience { get; }

    /// <summary>1 prints messages.</summary>
    public int Verbose { get; }

    /// <summary>Whether the best weights are restored at the end of training.</summary>
    public bool RestoreBestWeights { get; }

    /// <summary>Epochs to wait before watching.</summary>
    public int StartFromEpoch { get; }

    /// <summary>Epochs since the last improvement (Keras's <c>wait</c>).</summary>
    public int Wait { get; private set; }

    /// <summary>The 0-based epoch at which training was stopped, or 0 when it was not (Keras's <c>stopped_epoch</c>).</summary>
    public int StoppedEpoch { get; private set; }

    /// <summary>The 0-based epoch of <see cref="MonitorCallback.Best"/>.</summary>
    public int BestEpoch { get; private set; }

    /// <summary>Resets the state, so one instance can serve several <c>Fit</c> calls.</summary>
    /// <param name="logs">Unused.</param>
    public override void OnTrainBegin(IReadOnlyDictionary<string, double> logs)
    {
        Wait = 0;
        StoppedEpoch = 0;
        Best = null;
        BestEpoch = 0;
        DisposeBestWeights();
    }

    /// <summary>Applies Keras's stopping rule to the epoch's monitored value.</summary>
    /// <param name="epoch">0-based epoch index.</param>
    /// <param name="logs">The epoch's logs.</param>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        ResolveMode(); // Keras decides "auto" here, when the model's metrics exist, even if the value is missing
        double? current = GetMonitorValue(logs);
        if (current is null || epoch < StartFromEpoch) return;
        if (RestoreBestWeights && _bestWeights is null)
        {
            // Keras keeps the first watched epoch's weights, so something is restored even without an improvement.
            CopyWeights();
            BestEpoch = epoch;
        }
        Wait++;
        if (IsImprovement(current.Value, Best))
        {
            Best = current;
            BestEpoch = epoch;
            if (RestoreBestWeights) CopyWeights();
            // Only restart waiting when the value beats both the baseline and the previous best.
            if (Baseline is null || IsImprovement(current.Value, Baseline)) Wait = 0;
            return;
        }
        if (Wait >= Patience && epoch > 0)
        {
            StoppedEpoch = epoch;
            Model!.StopTraining = true;
        }
    }

    /// <summary>Reports the stop and restores the best weights when asked to.</summary>
    /// <param name="logs">The last epoch's logs.</param>
    public override void OnTrainEnd(IReadOnlyDictionary<string, double> logs)
    {
        if (StoppedEpoch > 0 && Verbose > 0)
            Console.WriteLine($"Epoch {StoppedEpoch + 1}: early stopping");
        if (RestoreBestWeights && _bestWeights is not null)
        {
            if (Verbose > 0)
                Console.WriteLine($"Restoring model weights from the end of the best epoch: {BestEpoch + 1}.");
            using (no_grad())
            {
                foreach (var (name, tensor) in Model!.state_dict())
                    if (_bestWeights.TryGetValue(name, out var saved)) tensor.copy_(saved);
            }
            DisposeBestWeights();
        }
    }

    /// <inheritdoc/>
    protected override string MonitorPurpose => "Early stopping";

    private void CopyWeights()
    {
        DisposeBestWeights();
        var copy = new Dictionary<string, Tensor>();
        using (no_grad())
        {
            foreach (var (name, tensor) in Model!.state_dict())
                copy[name] = tensor.detach().clone().DetachFromDisposeScope();
        }
        _bestWeights = copy;
    }

    private void DisposeBestWeights()
    {
        if (_bestWeights is null) return;
        foreach (var tensor in _bestWeights.Values) tensor.Dispose();
        _bestWeights = null;
    }
}
