namespace Sequential.Callbacks;

/// <summary>
/// Stops training in the batch where the loss becomes NaN or infinite (Keras's <c>keras.callbacks.TerminateOnNaN</c>).
/// </summary>
/// <remarks>
/// This is the one built-in callback that synchronises with the device on every batch: it reads <c>logs["loss"]</c>
/// (the running mean of the epoch, which turns NaN with the first NaN batch) after each training batch, which
/// costs one device-to-host copy per batch. Use it when that is worth knowing at once.
/// </remarks>
/// <example>
/// <code>
/// model.Fit(x, y, epochs: 10, callbacks: [new TerminateOnNaN()]);
/// </code>
/// </example>
public sealed class TerminateOnNaN : Callback
{
    /// <summary>Creates the callback.</summary>
    public TerminateOnNaN() { }

    /// <summary>Stops training when the loss is NaN or infinite.</summary>
    /// <param name="batch">0-based batch index.</param>
    /// <param name="logs">The running logs (reading <c>loss</c> synchronises).</param>
    public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, double> logs)
    {
        if (logs.TryGetValue("loss", out double loss) && !double.IsFinite(loss))
        {
            Console.WriteLine($"Batch {batch}: Invalid loss, terminating training");
            Model!.StopTraining = true;
        }
    }
}
