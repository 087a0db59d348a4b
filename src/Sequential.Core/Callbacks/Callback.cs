namespace Sequential.Callbacks;

/// <summary>
/// Base class for everything that hooks into <c>Fit</c>, <c>Evaluate</c> and <c>Predict</c>
/// (Keras's <c>keras.callbacks.Callback</c>). Every hook is a virtual no-op: override only what you need.
/// </summary>
/// <remarks>
/// Hooks are called in this order: <see cref="OnTrainBegin"/>, then per epoch <see cref="OnEpochBegin"/>,
/// per batch <see cref="OnTrainBatchBegin"/> / <see cref="OnTrainBatchEnd"/>, the validation pass
/// (<see cref="OnTestBegin"/> ... <see cref="OnTestEnd"/>), <see cref="OnEpochEnd"/>; finally
/// <see cref="OnTrainEnd"/>. Epoch and batch indices are 0-based, as in Keras. Batch-level
/// <c>logs</c> are read lazily: a value is copied from the device only when a callback reads it.
/// </remarks>
/// <example>
/// <code>
/// class PrintLoss : Callback
/// {
///     public override void OnEpochEnd(int epoch, IReadOnlyDictionary&lt;string, double&gt; logs)
///         =&gt; Console.WriteLine($"epoch {epoch}: loss {logs["loss"]:F4}");
/// }
/// </code>
/// </example>
public abstract class Callback
{
    /// <summary>The model being trained, evaluated or used for prediction; set before the first hook.</summary>
    public Model? Model { get; private set; }

    /// <summary>Training parameters, as Keras's <c>self.params</c>: <c>epochs</c>, <c>steps</c>, <c>verbose</c>.</summary>
    public IReadOnlyDictionary<string, object?> Params { get; private set; } = new Dictionary<string, object?>();

    /// <summary>Attaches the callback to a model (Keras's <c>set_model</c>).</summary>
    /// <param name="model">The model the hooks will refer to.</param>
    public virtual void SetModel(Model model) => Model = model;

    /// <summary>
    /// True for a callback that only rank 0 runs when training over several processes
    /// (<see cref="DataParallel"/>): those that write files (ModelCheckpoint, CSVLogger) or print. Callbacks
    /// that decide (EarlyStopping, ReduceLROnPlateau) run on every rank on the same averaged logs, so ranks agree.
    /// </summary>
    public virtual bool ChiefOnly => false;

    /// <summary>Sets <see cref="Params"/> (Keras's <c>set_params</c>).</summary>
    /// <param name="parameters">The parameters of the current call.</param>
    public virtual void SetParams(IReadOnlyDictionary<string, object?> parameters) => Params = parameters;

    /// <summary>Called once at the start of <c>Fit</c>.</summary>
    /// <param name="logs">Currently empty.</param>
    public virtual void OnTrainBegin(IReadOnlyDictionary<string, double> logs) { }

    /// <summary>Called once at the end of <c>Fit</c>.</summary>
    /// <param name="logs">The last epoch's logs.</param>
    public virtual void OnTrainEnd(IReadOnlyDictionary<string, double> logs) { }

    /// <summary>Called at the start of each epoch.</summary>
    /// <param name="epoch">0-based epoch index.</param>
    /// <param name="logs">Currently empty.</param>
    public virtual void OnEpochBegin(int epoch, IReadOnlyDictionary<string, double> logs) { }

    /// <summary>Called at the end of each epoch with the epoch's metrics (validation ones prefixed <c>val_</c>).</summary>
    /// <param name="epoch">0-based epoch index.</param>
    /// <param name="logs">For example <c>loss</c>, <c>accuracy</c>, <c>val_loss</c>, <c>val_accuracy</c>.</param>
    public virtual void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs) { }

    /// <summary>Called before each training batch.</summary>
    /// <param name="batch">0-based batch index within the epoch.</param>
    /// <param name="logs">Currently empty.</param>
    public virtual void OnTrainBatchBegin(int batch, IReadOnlyDictionary<string, double> logs) { }

    /// <summary>Called after each training batch with the running averages of the epoch so far.</summary>
    /// <param name="batch">0-based batch index within the epoch.</param>
    /// <param name="logs">Running metrics; each value is read from the device only when accessed.</param>
    public virtual void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, double> logs) { }

    /// <summary>Called at the start of an evaluation (also the validation pass of <c>Fit</c>).</summary>
    /// <param name="logs">Currently empty.</param>
    public virtual void OnTestBegin(IReadOnlyDictionary<string, double> logs) { }

    /// <summary>Called at the end of an evaluation with its results (without the <c>val_</c> prefix).</summary>
    /// <param name="logs">The evaluation's metrics.</param>
    public virtual void OnTestEnd(IReadOnlyDictionary<string, double> logs) { }

    /// <summary>Called before each evaluation batch.</summary>
    /// <param name="batch">0-based batch index.</param>
    /// <param name="logs">Currently empty.</param>
    public virtual void OnTestBatchBegin(int batch, IReadOnlyDictionary<string, double> logs) { }

    /// <summary>Called after each evaluation batch.</summary>
    /// <param name="batch">0-based batch index.</param>
    /// <param name="logs">Running metrics, read lazily.</param>
    public virtual void OnTestBatchEnd(int batch, IReadOnlyDictionary<string, double> logs) { }

    /// <summary>Called at the start of <c>Predict</c>.</summary>
    /// <param name="logs">Currently empty.</param>
    public virtual void OnPredictBegin(IReadOnlyDictionary<string, double> logs) { }

    /// <summary>Called at the end of <c>Predict</c>.</summary>
    /// <param name="logs">Currently empty.</param>
    public virtual void OnPredictEnd(IReadOnlyDictionary<string, double> logs) { }

    /// <summary>Called before each prediction batch.</summary>
    /// <param name="batch">0-based batch index.</param>
    /// <param name="logs">Currently empty.</param>
    public virtual void OnPredictBatchBegin(int batch, IReadOnlyDictionary<string, double> logs) { }

    /// <summary>Called after each prediction batch.</summary>
    /// <param name="batch">0-based batch index.</param>
    /// <param name="logs">Currently empty.</param>
    public virtual void OnPredictBatchEnd(int batch, IReadOnlyDictionary<string, double> logs) { }
}
