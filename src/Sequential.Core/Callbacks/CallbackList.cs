namespace Sequential.Callbacks;

/// <summary>
/// A callback that forwards every hook to a list of callbacks, in order (Keras's <c>CallbackList</c>).
/// The training loop talks only to this; the progress bar it adds comes first and the History it adds last.
/// </summary>
/// <remarks>
/// As Keras 3's <c>CallbackList._add_default_callbacks</c> does, a <see cref="ProgbarLogger"/> or
/// <see cref="Sequential.History"/> among the user's callbacks replaces the one the loop would add (it stays where the
/// user put it), so the progress appears once and <c>Fit</c> returns the user's History, which holds the records.
/// </remarks>
public sealed class CallbackList : Callback
{
    private readonly List<Callback> _callbacks;

    /// <summary>Creates a list.</summary>
    /// <param name="callbacks">The callbacks, called in this order.</param>
    public CallbackList(IEnumerable<Callback> callbacks) => _callbacks = callbacks.ToList();

    /// <summary>The callbacks, in call order.</summary>
    public IReadOnlyList<Callback> Callbacks => _callbacks;

    /// <summary>The History that records this call: the user's when the callbacks hold one (the last, as Keras
    /// keeps), else the one the loop added; null for <c>Evaluate</c>/<c>Predict</c> without one.</summary>
    internal History? History { get; private init; }

    internal static CallbackList Create(Model model, IEnumerable<Callback>? user, int verbose, History? history,
        Training.ProgressTarget target, IReadOnlyDictionary<string, object?> parameters)
    {
        var given = new List<Callback>();
        foreach (var (callback, index) in (user ?? []).Select((c, i) => (c, i)))
            given.Add(callback ?? throw new ArgumentException($"callbacks[{index}] is null.", "callbacks"));
        // Several processes (DataParallel): the others stay silent and leave writing files to rank 0.
        if (model.Distribution is { IsChief: false })
        {
            verbose = 0;
            given.RemoveAll(c => c.ChiefOnly);
        }
        var userHistory = given.OfType<History>().LastOrDefault();
        var all = new List<Callback>();
        if (verbose > 0 && !given.OfType<ProgbarLogger>().Any()) all.Add(new ProgbarLogger(verbose, target));
        all.AddRange(given);
        if (userHistory is null && history is not null) all.Add(history);
        var list = new CallbackList(all) { History = userHistory ?? history };
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
