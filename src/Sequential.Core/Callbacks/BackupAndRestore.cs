using System.Globalization;
using Sequential.Persistence;
using Sequential.Training;

namespace Sequential.Callbacks;

/// <summary>
/// Backs up the model, its optimizer and the training state so that an interrupted <c>Fit</c> resumes where it
/// stopped (Keras's <c>keras.callbacks.BackupAndRestore</c>). Run the same <c>Fit</c> again with the same
/// <c>backupDir</c>: it restores the latest backup and continues at the right epoch (and batch).
/// </summary>
/// <remarks>
/// <para>A backup is written after every epoch (or every <c>saveFreq</c> batches) as a model file in
/// <c>backupDir</c>, through a temporary file and a rename, so a crash mid-save never damages an earlier backup.
/// The two most recent backups are kept: if the latest cannot be read (truncated or corrupted), the previous
/// one is used.</para>
/// <para>The random generator's state is part of the backup: with <see cref="RandomSeed.Set"/> on the CPU, a
/// resumed run ends with the same weights as an uninterrupted one. The metrics of a resumed epoch cover only the
/// batches trained after resuming, and the History of the resumed <c>Fit</c> starts at the resumed epoch, as in Keras.</para>
/// </remarks>
/// <example>
/// <code>
/// model.Fit(x, y, epochs: 10, callbacks: [new BackupAndRestore(backupDir: "backup")]);
/// </code>
/// </example>
public sealed class BackupAndRestore : Callback
{
    private const string Prefix = "backup-";
    private const string Extension = ".seqmodel";
    private readonly int? _saveEveryBatches;
    private int _batchesSinceLastSave;
    private int _currentEpoch;
    private byte[]? _epochStartRng;

    /// <summary>Creates a BackupAndRestore callback.</summary>
    /// <param name="backupDir">The folder for backups; it is created when missing. Use one folder per training job.</param>
    /// <param name="saveFreq"><c>"epoch"</c> (null means the same), or an int: back up every that many batches.</param>
    /// <param name="deleteCheckpoint">Delete the backups when training ends normally.</param>
    /// <exception cref="ArgumentException">An empty folder name or an unknown saveFreq.</exception>
    public BackupAndRestore(string backupDir, object? saveFreq = null, bool deleteCheckpoint = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(backupDir);
        BackupDir = backupDir;
        SaveFreq = saveFreq ?? "epoch";
        DeleteCheckpoint = deleteCheckpoint;
        _saveEveryBatches = SaveFrequency.Batches(SaveFreq, "BackupAndRestore");
    }

    /// <summary>The backup folder.</summary>
    public string BackupDir { get; }

    /// <summary><c>"epoch"</c> or a number of batches.</summary>
    public object SaveFreq { get; }

    /// <summary>Whether backups are deleted when training ends.</summary>
    public bool DeleteCheckpoint { get; }

    /// <summary>The backup restored by the last <c>OnTrainBegin</c>, or null when training started afresh.</summary>
    public string? RestoredFrom { get; private set; }

    /// <summary>The backup files present, newest first.</summary>
    /// <returns>Full paths.</returns>
    public IReadOnlyList<string> BackupFiles() =>
        Directory.Exists(BackupDir)
            ? [.. Directory.GetFiles(BackupDir, Prefix + "*" + Extension).Order(StringComparer.Ordinal).Reverse()]
            : [];

    /// <inheritdoc/>
    public override void OnTrainBegin(IReadOnlyDictionary<string, double> logs)
    {
        var model = Model ?? throw new InvalidOperationException("BackupAndRestore is not attached to a model.");
        RestoredFrom = null;
        _batchesSinceLastSave = 0;
        // A process killed mid-save leaves its hidden temporary file behind; the backups themselves are intact.
        if (Directory.Exists(BackupDir))
            foreach (var temporary in Directory.GetFiles(BackupDir, "." + Prefix + "*.tmp"))
            {
                try { File.Delete(temporary); }
                catch (IOException) { }
            }
        foreach (var file in BackupFiles())
        {
            ModelFile.Contents contents;
            try
            {
                // Everything is checked before the model is touched: a bad backup leaves it as it was for the next one.
                contents = ModelFile.Read(file);
                CheckFitsThisRun(file, contents.Training);
            }
            catch (InvalidDataException e)
            {
                Console.Error.WriteLine($"BackupAndRestore: skipping unreadable backup ({e.Message})");
                continue;
            }
            var state = ModelFile.Restore(model, contents)!;
            RestoredFrom = file;
            int epoch = state.Epoch ?? 0;
            if (state.Step > 0 && state.EpochStartRngState is { } start)
            {
                // Redraw the epoch's shuffle order from its start, then continue the generator where the run stopped.
                TrainingState.SetRngState(start);
                byte[] current = state.RngState;
                model.Resume = new ResumePoint(epoch, state.Step, () => TrainingState.SetRngState(current));
            }
            else
            {
                TrainingState.SetRngState(state.RngState);
                model.Resume = new ResumePoint(epoch, 0, null);
            }
            return;
        }
    }

    /// <summary>
    /// Refuses a backup that cannot resume this <c>Fit</c>: one without training state, or one that resumes at a batch
    /// beyond an epoch of this run (libtorch never sees its generator state; <see cref="TrainingState.FromJson"/> has
    /// checked the values themselves).
    /// </summary>
    private void CheckFitsThisRun(string file, TrainingState? state)
    {
        if (state is null)
            throw new InvalidDataException($"'{file}' has no training state; it was not written by BackupAndRestore.");
        if (state.Step > 0 && Params.TryGetValue("steps", out var steps) && steps is int total && state.Step >= total)
            throw new InvalidDataException(
                $"'{file}' resumes after batch {state.Step} of epoch {state.Epoch}, but an epoch of this Fit has {total} batches " +
                "(were the data or the batch size changed?).");
    }

    /// <inheritdoc/>
    public override void OnEpochBegin(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        _currentEpoch = epoch;
        if (_saveEveryBatches is not null) _epochStartRng = TrainingState.CurrentRngState();
    }

    /// <inheritdoc/>
    public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, double> logs)
    {
        if (_saveEveryBatches is not { } every || ++_batchesSinceLastSave < every) return;
        _batchesSinceLastSave = 0;
        int trained = batch + 1;
        if (Params.TryGetValue("steps", out var steps) && steps is int total && trained >= total)
            Backup(_currentEpoch + 1, 0, null); // the epoch's batches are all done: resume at the next epoch
        else
            Backup(_currentEpoch, trained, _epochStartRng);
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        if (_saveEveryBatches is null) Backup(epoch + 1, 0, null);
    }

    /// <inheritdoc/>
    public override void OnTrainEnd(IReadOnlyDictionary<string, double> logs)
    {
        if (!DeleteCheckpoint || Model?.Distribution is { IsChief: false }) return;
        foreach (var file in BackupFiles()) File.Delete(file);
        if (Directory.Exists(BackupDir) && !Directory.EnumerateFileSystemEntries(BackupDir).Any())
            Directory.Delete(BackupDir);
    }

    private void Backup(int epoch, int step, byte[]? epochStartRng)
    {
        var model = Model!;
        // Several processes: every rank restores from the same backup, only rank 0 writes one.
        if (model.Distribution is { IsChief: false }) return;
        string name = string.Create(CultureInfo.InvariantCulture, $"{Prefix}{epoch:D6}-{step:D9}{Extension}");
        string path = Path.Combine(BackupDir, name);
        ModelFile.Save(model, path, TrainingState.Capture(model, epoch, step, epochStartRng));
        foreach (var old in BackupFiles().Skip(2))
        {
            try { File.Delete(old); }
            catch (IOException) { }
        }
    }
}
