namespace Sequential.Callbacks;

/// <summary>
/// A callback built from functions, for simple custom callbacks (Keras's <c>keras.callbacks.LambdaCallback</c>).
/// Every argument is optional; the hooks not given do nothing.
/// </summary>
/// <remarks>
/// <c>onBatchBegin</c>/<c>onBatchEnd</c> are Keras's older names for training batches; when both a
/// <c>onTrainBatch*</c> and the matching <c>onBatch*</c> are given, the <c>onTrainBatch*</c> one is called (as in
/// Keras, where overriding <c>on_train_batch_begin</c> bypasses <c>on_batch_begin</c>).
/// </remarks>
/// <example>
/// <code>
/// var printEpoch = new LambdaCallback(onEpochEnd: (epoch, logs) =&gt; Console.WriteLine($"{epoch}: {logs["loss"]:F4}"));
/// model.Fit(x, y, epochs: 5, callbacks: [printEpoch]);
/// </code>
/// </example>
public sealed class LambdaCallback : Callback
{
    private readonly Action<int, IReadOnlyDictionary<string, double>>? _onEpochBegin;
    private readonly Action<int, IReadOnlyDictionary<string, double>>? _onEpochEnd;
    private readonly Action<int, IReadOnlyDictionary<string, double>>? _onTrainBatchBegin;
    private readonly Action<int, IReadOnlyDictionary<string, double>>? _onTrainBatchEnd;
    private readonly Action<IReadOnlyDictionary<string, double>>? _onTrainBegin;
    private readonly Action<IReadOnlyDictionary<string, double>>? _onTrainEnd;

    /// <summary>Creates the callback from the functions given.</summary>
    /// <param name="onEpochBegin">(epoch, logs) at the start of each epoch.</param>
    /// <param name="onEpochEnd">(epoch, logs) at the end of each epoch.</param>
    /// <param name="onTrainBatchBegin">(batch, logs) before each training batch.</param>
    /// <param name="onTrainBatchEnd">(batch, logs) after each training batch.</param>
    /// <param name="onTrainBegin">(logs) at the start of training.</param>
    /// <param name="onTrainEnd">(logs) at the end of training.</param>
    /// <param name="onBatchBegin">Keras's older name for <paramref name="onTrainBatchBegin"/>.</param>
    /// <param name="onBatchEnd">Keras's older name for <paramref name="onTrainBatchEnd"/>.</param>
    public LambdaCallback(
        Action<int, IReadOnlyDictionary<string, double>>? onEpochBegin = null,
        Action<int, IReadOnlyDictionary<string, double>>? onEpochEnd = null,
        Action<int, IReadOnlyDictionary<string, double>>? onTrainBatchBegin = null,
        Action<int, IReadOnlyDictionary<string, double>>? onTrainBatchEnd = null,
        Action<IReadOnlyDictionary<string, double>>? onTrainBegin = null,
        Action<IReadOnlyDictionary<string, double>>? onTrainEnd = null,
        Action<int, IReadOnlyDictionary<string, double>>? onBatchBegin = null,
        Action<int, IReadOnlyDictionary<string, double>>? onBatchEnd = null)
    {
        _onEpochBegin = onEpochBegin;
        _onEpochEnd = onEpochEnd;
        _onTrainBatchBegin = onTrainBatchBegin ?? onBatchBegin;
        _onTrainBatchEnd = onTrainBatchEnd ?? onBatchEnd;
        _onTrainBegin = onTrainBegin;
        _onTrainEnd = onTrainEnd;
    }

    /// <inheritdoc/>
    public override void OnEpochBegin(int epoch, IReadOnlyDictionary<string, double> logs) => _onEpochBegin?.Invoke(epoch, logs);

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs) => _onEpochEnd?.Invoke(epoch, logs);

    /// <inheritdoc/>
    public override void OnTrainBatchBegin(int batch, IReadOnlyDictionary<string, double> logs) => _onTrainBatchBegin?.Invoke(batch, logs);

    /// <inheritdoc/>
    public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, double> logs) => _onTrainBatchEnd?.Invoke(batch, logs);

    /// <inheritdoc/>
    public override void OnTrainBegin(IReadOnlyDictionary<string, double> logs) => _onTrainBegin?.Invoke(logs);

    /// <inheritdoc/>
    public override void OnTrainEnd(IReadOnlyDictionary<string, double> logs) => _onTrainEnd?.Invoke(logs);
}
