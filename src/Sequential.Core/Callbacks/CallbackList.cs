namespace Sequential.Callbacks;

/// <summary>
/// A callback that forwards every hook to a list of callbacks, in order (Keras's <c>CallbackList</c>).
/// The training loop talks only to this; the progress bar is first and History last, as in Keras.
/// </summary>
public sealed class CallbackList : Callback
{
    private readonly List<Callback> _callbacks;

    /// <summary>Creates a list.</summary>
    /// <param name="callbacks">The callbacks, called in this order.</param>
    public CallbackList(IEnumerable<Callback> callbacks) => _callbacks = callbacks.ToList();

    /// <summary>The callbacks, in call order.</summary>
    public IReadOnlyList<Callback> Callbacks => _callbacks;

    internal static CallbackList Create(Model model, IEnumerable<Callback>? user, int verbose, History? history,
        Training.ProgressTarget target, IReadOnlyDictionary<string, object?> parameters)
    {
        var all = new List<Callback>();
        if (verbose > 0) all.Add(new ProgbarLogger(verbose, target));
        foreach (var (callback, index) in (user ?? []).Select((c, i) => (c, i)))
            all.Add(callback ?? throw new ArgumentException($"callbacks[{index}] is null.", "callbacks"));
        if (history is not null) all.Add(history);
        var list = new CallbackList(all);
        list.SetModel(model);
        list.SetParams(parameters);
        return list;
    }

    /// <inheritdoc/>
    public override void SetModel(Model model)
    {
        base.SetModel(model);
        foreach (var c in _callbacks) c.SetModel(model);
    }

    /// <inheritdoc/>
    public override void SetParams(IReadOnlyDictionary<string, object?> parameters)
    {
        base.SetParams(parameters);
        foreach (var c in _callbacks) c.SetParams(parameters);
    }

    /// <inheritdoc/>
    public override void OnTrainBegin(IReadOnlyDictionary<string, double> logs) { foreach (var c in _callbacks) c.OnTrainBegin(logs); }

    /// <inheritdoc/>
    public override void OnTrainEnd(IReadOnlyDictionary<string, double> logs) { foreach (var c in _callbacks) c.OnTrainEnd(logs); }

    /// <inheritdoc/>
    public override void OnEpochBegin(int epoch, IReadOnlyDictionary<string, double> logs) { foreach (var c in _callbacks) c.OnEpochBegin(epoch, logs); }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs) { foreach (var c in _callbacks) c.OnEpochEnd(epoch, logs); }

    /// <inheritdoc/>
    public override void OnTrainBatchBegin(int batch, IReadOnlyDictionary<string, double> logs) { foreach (var c in _callbacks) c.OnTrainBatchBegin(batch, logs); }

    /// <inheritdoc/>
    public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, double> logs) { foreach (var c in _callbacks) c.OnTrainBatchEnd(batch, logs); }

    /// <inheritdoc/>
    public override void OnTestBegin(IReadOnlyDictionary<string, double> logs) { foreach (var c in _callbacks) c.OnTestBegin(logs); }

    /// <inheritdoc/>
    public override void OnTestEnd(IReadOnlyDictionary<string, double> logs) { foreach (var c in _callbacks) c.OnTestEnd(logs); }

    /// <inheritdoc/>
    public override void OnTestBatchBegin(int batch, IReadOnlyDictionary<string, double> logs) { foreach (var c in _callbacks) c.OnTestBatchBegin(batch, logs); }

    /// <inheritdoc/>
    public override void OnTestBatchEnd(int batch, IReadOnlyDictionary<string, double> logs) { foreach (var c in _callbacks) c.OnTestBatchEnd(batch, logs); }

    /// <inheritdoc/>
    public override void OnPredictBegin(IReadOnlyDictionary<string, double> logs) { foreach (var c in _callbacks) c.OnPredictBegin(logs); }

    /// <inheritdoc/>
    public override void OnPredictEnd(IReadOnlyDictionary<string, double> logs) { foreach (var c in _callbacks) c.OnPredictEnd(logs); }

    /// <inheritdoc/>
    public override void OnPredictBatchBegin(int batch, IReadOnlyDictionary<string, double> logs) { foreach (var c in _callbacks) c.OnPredictBatchBegin(batch, logs); }

    /// <inheritdoc/>
    public override void OnPredictBatchEnd(int batch, IReadOnlyDictionary<string, double> logs) { foreach (var c in _callbacks) c.OnPredictBatchEnd(batch, logs); }
}
