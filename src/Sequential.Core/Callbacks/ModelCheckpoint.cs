namespace Sequential.Callbacks;

/// <summary>
/// Saves the model or its weights during training (Keras's <c>keras.callbacks.ModelCheckpoint</c>): at the end of
/// every epoch, or every <c>saveFreq</c> batches, optionally only when the monitored value improves.
/// </summary>
/// <remarks>
/// <para><c>filepath</c> may contain Python <c>str.format</c> placeholders filled as Keras fills them: <c>{epoch}</c>
/// is 1-based, <c>{batch}</c> (batch-level saving) 1-based too, and every log value is available by name:
/// <c>"weights.{epoch:02d}-{val_loss:.2f}.seqmodel"</c> gives <c>weights.03-0.41.seqmodel</c>.</para>
/// <para>Files are written with <see cref="Model.Save"/> (or <see cref="Model.SaveWeights"/>) and so are renamed
/// into place only once complete.</para>
/// </remarks>
/// <example>
/// <code>
/// model.Fit(x, y, epochs: 10, validationSplit: 0.1,
///     callbacks: [new ModelCheckpoint("best.seqmodel", monitor: "val_accuracy", saveBestOnly: true)]);
/// </code>
/// </example>
public sealed class ModelCheckpoint : MonitorCallback
{
    /// <summary>True: with several processes only rank 0 writes the file.</summary>
    public override bool ChiefOnly => true;

    private readonly int? _saveEveryBatches;
    private int _batchesSinceLastSave;
    private int _currentEpoch;

    /// <summary>Creates a ModelCheckpoint callback.</summary>
    /// <param name="filepath">Where to save; may hold placeholders such as <c>{epoch:02d}</c> and <c>{val_loss:.2f}</c>.</param>
    /// <param name="monitor">The log value compared by <paramref name="saveBestOnly"/> (default <c>val_loss</c>).</param>
    /// <param name="verbose">1 prints a line each time the callback saves (or decides not to).</param>
    /// <param name="saveBestOnly">Save only when <paramref name="monitor"/> improves on the best value so far; when
    /// the logs lack it, warn and save anyway (as Keras does).</param>
    /// <param name="saveWeightsOnly">Save the weights alone (safetensors) instead of the whole model.</param>
    /// <param name="mode"><c>"min"</c>, <c>"max"</c> or <c>"auto"</c> (decided as <see cref="MonitorCallback"/> describes).</param>
    /// <param name="saveFreq"><c>"epoch"</c>, or an int: save every that many batches.</param>
    /// <param name="initialValueThreshold">The best value to beat before the first save (with
    /// <paramref name="saveBestOnly"/>); it is the monitor's <see cref="MonitorCallback.Baseline"/>.</param>
    /// <exception cref="ArgumentException">An unknown mode or saveFreq.</exception>
    public ModelCheckpoint(string filepath, string monitor = "val_loss", int verbose = 0, bool saveBestOnly = false,
        bool saveWeightsOnly = false, string mode = "auto", object? saveFreq = null, double? initialValueThreshold = null)
        : base(monitor, mode, initialValueThreshold)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(filepath);
        Filepath = filepath;
        Verbose = verbose;
        SaveBestOnly = saveBestOnly;
        SaveWeightsOnly = saveWeightsOnly;
        SaveFreq = saveFreq ?? "epoch";
        _saveEveryBatches = SaveFrequency.Batches(SaveFreq, "ModelCheckpoint");
    }

    /// <summary>The path template.</summary>
    public string Filepath { get; }

    /// <summary>1 prints a line per save decision.</summary>
    public int Verbose { get; }

    /// <summary>Whether only improvements are saved.</summary>
    public bool SaveBestOnly { get; }

    /// <summary>Whether only weights are saved.</summary>
    public bool SaveWeightsOnly { get; }

    /// <summary><c>"epoch"</c> or a number of batches.</summary>
    public object SaveFreq { get; }

    /// <summary>The initial best value, when given (the same as <see cref="MonitorCallback.Baseline"/>).</summary>
    public double? InitialValueThreshold => Baseline;

    /// <summary>The path of the last file written, or null.</summary>
    public string? LastSavedPath { get; private set; }

    /// <inheritdoc/>
    public override void OnEpochBegin(int epoch, IReadOnlyDictionary<string, double> logs) => _currentEpoch = epoch;

    /// <inheritdoc/>
    public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, double> logs)
    {
        if (_saveEveryBatches is not { } every) return;
        if (++_batchesSinceLastSave < every) return;
        _batchesSinceLastSave = 0;
        SaveModel(_currentEpoch, batch, logs);
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        // Keras resolves "auto" here even when the monitor is unused; without saveBestOnly nothing needs it.
        if (SaveBestOnly) ResolveMode();
        if (_saveEveryBatches is null) SaveModel(epoch, null, logs);
    }

    /// <summary>The file name for an epoch (0-based, shown 1-based), batch and logs, formatted as Keras formats it.</summary>
    /// <param name="epoch">0-based epoch.</param>
    /// <param name="batch">0-based batch for batch-level saving, else null.</param>
    /// <param name="logs">The current logs.</param>
    /// <returns>The path.</returns>
    /// <exception cref="ArgumentException">The template names a value the logs do not have.</exception>
    public string FormatFilepath(int epoch, int? batch, IReadOnlyDictionary<string, double> logs)
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var key in logs.Keys) values[key] = logs[key];
        values["epoch"] = epoch + 1;
        if (batch is { } b) values["batch"] = b + 1;
        try
        {
            return PythonFormat.Format(Filepath, values);
        }
        catch (KeyNotFoundException e)
        {
            throw new ArgumentException(
                $"Failed to format the ModelCheckpoint filepath \"{Filepath}\": it names '{e.Message}', which is not among " +
                $"epoch{(batch is null ? "" : ", batch")}, {string.Join(", ", logs.Keys)}.", e);
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"Failed to format the ModelCheckpoint filepath \"{Filepath}\": {e.Message}", e);
        }
    }

    private void SaveModel(int epoch, int? batch, IReadOnlyDictionary<string, double> logs)
    {
        var model = Model ?? throw new InvalidOperationException("ModelCheckpoint is not attached to a model.");
        string path = FormatFilepath(epoch, batch, logs);
        if (SaveBestOnly)
        {
            // Keras saves when the monitor is missing (after the warning) rather than never saving.
            if (GetMonitorValue(logs) is { } current)
            {
                string best = Best is { } b ? Num(b) : "None";
                if (!IsImprovement(current, Best))
                {
                    if (Verbose > 0)
                        Console.WriteLine($"\nEpoch {epoch + 1}: {Monitor} did not improve from {best}");
                    return;
                }
                if (Verbose > 0)
                    Console.WriteLine($"\nEpoch {epoch + 1}: {Monitor} improved from {best} to {Num(current)}, saving model to {path}");
                Best = current;
            }
        }
        else if (Verbose > 0)
        {
            Console.WriteLine($"\nEpoch {epoch + 1}: saving model to {path}");
        }
        if (SaveWeightsOnly) model.SaveWeights(path);
        else model.Save(path);
        LastSavedPath = path;
    }

    /// <inheritdoc/>
    protected override string MonitorPurpose => "Saving only the best model";

    private static string Num(double value) => PythonFormat.FormatValue(value, ".5f");
}
