namespace Sequential.Training;

/// <summary>
/// Where a <c>Fit</c> should resume, set by a callback (BackupAndRestore) during <c>OnTrainBegin</c> and read
/// once by the <see cref="Trainer"/> right after it.
/// </summary>
/// <param name="Epoch">The epoch to start at (0-based).</param>
/// <param name="Step">Batches of <paramref name="Epoch"/> already trained: the trainer draws them (so the shuffle
/// order is the same) but does not train on them.</param>
/// <param name="BeforeFirstStep">Called once, just before the first batch that is trained (restores the random
/// generator to where the interrupted run was).</param>
internal sealed record ResumePoint(int Epoch, int Step, Action? BeforeFirstStep);
