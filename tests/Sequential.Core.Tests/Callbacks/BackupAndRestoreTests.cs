using System.Diagnostics;
using Sequential.Callbacks;
using Sequential.Core.Tests.Persistence;

namespace Sequential.Core.Tests.Callbacks;

public class BackupAndRestoreTests
{
    private string _dir = "";

    [SetUp]
    public void CreateFolder() => _dir = TestModels.TempDir();

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_dir, recursive: true);

    /// <summary>Stops a run by throwing at a given global batch, as a crash would (in this process).</summary>
    private sealed class Crash(int atBatch) : Callback
    {
        private int _seen;

        public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, double> logs)
        {
            if (++_seen == atBatch) throw new IOException("simulated crash");
        }
    }

    private static SequentialModel Train(string? backupDir, object? saveFreq, int? crashAt, bool deleteCheckpoint = true)
    {
        var (x, y) = TestModels.Data(samples: 48); // 6 batches of 8 per epoch
        RandomSeed.Set(42);
        var model = TestModels.Mlp(dropout: true);
        var callbacks = new List<Callback>();
        if (backupDir is not null) callbacks.Add(new BackupAndRestore(backupDir, saveFreq, deleteCheckpoint));
        if (crashAt is { } at) callbacks.Add(new Crash(at));
        model.Fit(x, y, epochs: 4, batchSize: 8, verbose: 0, callbacks: callbacks);
        return model;
    }

    private static void AssertSameWeights(Model actual, Model expected)
    {
        var a = TestModels.Weights(actual);
        var e = TestModels.Weights(expected);
        foreach (var key in e.Keys) Assert.That(a[key], Is.EqualTo(e[key]), key);
    }

    [TestCase("epoch", 15)]  // crash in epoch 2 (0-based), after the backup of epoch 1
    [TestCase(4, 15)]        // mid-epoch backups: resume at epoch 2, batch 2
    [TestCase(3, 18)]        // the backup at the last batch of an epoch resumes at the next epoch
    public void ResumedRunEndsWithTheUninterruptedWeights(object saveFreq, int crashAt)
    {
        var expected = Train(null, null, null);
        string backup = Path.Combine(_dir, "backup");

        Assert.Throws<IOException>(() => Train(backup, saveFreq, crashAt));
        Assert.That(Directory.GetFiles(backup, "backup-*.seqmodel"), Is.Not.Empty);
        var resumed = Train(backup, saveFreq, null);

        AssertSameWeights(resumed, expected);
        Assert.That(resumed.Optimizer!.Iterations, Is.EqualTo(24));
        Assert.That(Directory.Exists(backup), Is.False, "deleteCheckpoint removes the backups after a complete run");
    }

    [Test]
    public void ResumeStartsAtTheRightEpochAndKeepsTwoBackups()
    {
        string backup = Path.Combine(_dir, "backup");
        Assert.Throws<IOException>(() => Train(backup, "epoch", 20)); // epochs 0..2 done, crash in epoch 3
        Assert.That(Directory.GetFiles(backup).Select(Path.GetFileName).Order(),
            Is.EqualTo(new[] { "backup-000002-000000000.seqmodel", "backup-000003-000000000.seqmodel" }));

        var (x, y) = TestModels.Data(samples: 48);
        RandomSeed.Set(42);
        var model = TestModels.Mlp();
        var epochs = new List<int>();
        var history = model.Fit(x, y, epochs: 4, batchSize: 8, verbose: 0,
            callbacks: [new BackupAndRestore(backup, deleteCheckpoint: false), new LambdaEpochs(epochs)]);
        Assert.That(epochs, Is.EqualTo(new[] { 3 }));
        Assert.That(history["loss"], Has.Count.EqualTo(1));
        Assert.That(Directory.GetFiles(backup).Select(Path.GetFileName).Order(),
            Is.EqualTo(new[] { "backup-000003-000000000.seqmodel", "backup-000004-000000000.seqmodel" }));
    }

    /// <summary>Crashes a run in epoch 3 (backups of epochs 2 and 3 on disk), edits the latest training state, resumes.</summary>
    private (SequentialModel model, BackupAndRestore callback, string errors) ResumeAfterEditingTheLatestState(Action<System.Text.Json.Nodes.JsonObject> edit)
    {
        string backup = Path.Combine(_dir, "backup");
        Assert.Throws<IOException>(() => Train(backup, "epoch", 20));
        string latest = Directory.GetFiles(backup).Order(StringComparer.Ordinal).Last();
        Assert.That(Path.GetFileName(latest), Is.EqualTo("backup-000003-000000000.seqmodel"));
        ModelFileEdits.RewriteJson(latest, "training_state.json", edit);

        var (x, y) = TestModels.Data(samples: 48);
        RandomSeed.Set(42);
        var model = TestModels.Mlp();
        var callback = new BackupAndRestore(backup);
        var errors = new StringWriter();
        var saved = Console.Error;
        Console.SetError(errors);
        try { model.Fit(x, y, epochs: 4, batchSize: 8, verbose: 0, callbacks: [callback]); }
        finally { Console.SetError(saved); }
        return (model, callback, errors.ToString());
    }

    [TestCase("epoch", -1, "epoch -1 is negative")]
    [TestCase("step", -2, "step -2 is negative")]
    [TestCase("step", 6, "resumes after batch 6 of epoch 3, but an epoch of this Fit has 6 batches")]
    public void ALatestBackupWithAnImpossiblePositionFallsBackToThePreviousOne(string key, int value, string message)
    {
        var expected = Train(null, null, null);

        var (model, callback, errors) = ResumeAfterEditingTheLatestState(t => t[key] = value);

        Assert.That(Path.GetFileName(callback.RestoredFrom), Is.EqualTo("backup-000002-000000000.seqmodel"));
        Assert.That(errors, Does.Contain("BackupAndRestore: skipping unreadable backup").And.Contain("backup-000003-000000000.seqmodel")
            .And.Contain(message));
        AssertSameWeights(model, expected);
    }

    private sealed class LambdaEpochs(List<int> epochs) : Callback
    {
        public override void OnEpochBegin(int epoch, IReadOnlyDictionary<string, double> logs) => epochs.Add(epoch);
    }

    [Test]
    public void CorruptedLatestBackupFallsBackToThePreviousOne()
    {
        var expected = Train(null, null, null);
        string backup = Path.Combine(_dir, "backup");
        Assert.Throws<IOException>(() => Train(backup, "epoch", 20));
        string latest = Directory.GetFiles(backup).Order(StringComparer.Ordinal).Last();
        byte[] bytes = File.ReadAllBytes(latest);
        File.WriteAllBytes(latest, bytes[..(bytes.Length * 2 / 3)]);

        var (x, y) = TestModels.Data(samples: 48);
        RandomSeed.Set(42);
        var model = TestModels.Mlp();
        var callback = new BackupAndRestore(backup);
        model.Fit(x, y, epochs: 4, batchSize: 8, verbose: 0, callbacks: [callback]);

        Assert.That(Path.GetFileName(callback.RestoredFrom), Is.EqualTo("backup-000002-000000000.seqmodel"));
        AssertSameWeights(model, expected);
    }

    // ------------------------------------------------------------------ a real process, killed with SIGKILL

    private static string ChildDll() => ChildPrograms.Dll("Sequential.ResumeChild");

    private static Process StartChild(params string[] args)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(ChildDll());
        foreach (var a in args) info.ArgumentList.Add(a);
        return Process.Start(info)!;
    }

    private static string RunChild(params string[] args)
    {
        using var child = StartChild(args);
        var stdout = child.StandardOutput.ReadToEndAsync();
        var stderr = child.StandardError.ReadToEndAsync();
        Assert.That(child.WaitForExit(120_000), Is.True, "child timed out");
        child.WaitForExit();
        Assert.That(child.ExitCode, Is.EqualTo(0), $"child failed: {stdout.Result}\n{stderr.Result}");
        return stdout.Result;
    }

    private static byte[]? _uninterrupted;

    private byte[] Uninterrupted()
    {
        if (_uninterrupted is not null) return _uninterrupted;
        string weights = Path.Combine(_dir, "uninterrupted.safetensors");
        RunChild(Path.Combine(_dir, "b0"), weights, "epoch");
        return _uninterrupted = File.ReadAllBytes(weights);
    }

    [Test]
    public void ChildKilledMidEpochResumesToTheSameWeights()
    {
        byte[] expected = Uninterrupted();
        string backup = Path.Combine(_dir, "backup");
        string weights = Path.Combine(_dir, "resumed.safetensors");

        using (var child = StartChild(backup, weights, "2", "block", "9"))
        {
            var marker = backup + ".marker";
            var watch = Stopwatch.StartNew();
            while (!File.Exists(marker) && !child.HasExited && watch.Elapsed < TimeSpan.FromSeconds(120)) Thread.Sleep(20);
            Assert.That(File.Exists(marker), Is.True, "the child never reached batch 9"); // (its stderr can only be read once it exits)
            child.Kill(); // SIGKILL: no finally blocks, no OnTrainEnd
            child.WaitForExit();
        }
        Assert.That(File.Exists(weights), Is.False);
        Assert.That(Directory.GetFiles(backup, "backup-*.seqmodel"), Has.Length.EqualTo(2));

        string output = RunChild(backup, weights, "2");

        Assert.That(output, Does.Contain("restored-from=").And.Contain("backup-000001-000000002.seqmodel"));
        Assert.That(File.ReadAllBytes(weights), Is.EqualTo(expected));
    }

    [Test]
    public void ChildKilledMidSaveResumesToTheSameWeights()
    {
        byte[] expected = Uninterrupted();
        string backup = Path.Combine(_dir, "backup");
        string weights = Path.Combine(_dir, "resumed.safetensors");

        using (var child = StartChild(backup, weights, "2", "kill-during-save", "10"))
        {
            child.StandardOutput.ReadToEnd();
            child.WaitForExit();
            Assert.That(child.ExitCode, Is.Not.EqualTo(0), "the child must have been killed");
        }
        Assert.That(File.Exists(weights), Is.False);
        // Whatever the kill interrupted, every complete backup file is readable: the rename is atomic.
        foreach (var file in Directory.GetFiles(backup, "backup-*.seqmodel"))
            Assert.DoesNotThrow(() => SequentialModel.Load(file), file);

        RunChild(backup, weights, "2");
        Assert.That(File.ReadAllBytes(weights), Is.EqualTo(expected));
    }

    /// <summary>Runs the child until it has written its backups and blocks, kills it, and returns its latest backup.</summary>
    private static string LatestBackupOfAKilledChild(string backup, string weights)
    {
        using (var child = StartChild(backup, weights, "epoch", "block", "20"))
        {
            var marker = backup + ".marker";
            var watch = Stopwatch.StartNew();
            while (!File.Exists(marker) && !child.HasExited && watch.Elapsed < TimeSpan.FromSeconds(120)) Thread.Sleep(20);
            Assert.That(File.Exists(marker), Is.True);
            child.Kill();
            child.WaitForExit();
        }
        return Directory.GetFiles(backup, "backup-*.seqmodel").Order(StringComparer.Ordinal).Last();
    }

    [TestCase("short")]
    [TestCase("left")]
    public void ChildWithABadGeneratorStateInTheLatestBackupFallsBackAndStillMatches(string damage)
    {
        // In a child process: libtorch, handed such a state, aborts the process (exit 134), which must not end this run.
        byte[] expected = Uninterrupted();
        string backup = Path.Combine(_dir, "backup");
        string weights = Path.Combine(_dir, "resumed.safetensors");
        string latest = LatestBackupOfAKilledChild(backup, weights);
        byte[] state = damage == "short" ? new byte[100] : TrainingStateTests.StateWith("left", 0);
        ModelFileEdits.RewriteJson(latest, "training_state.json", t => t["rng_state"] = Convert.ToBase64String(state));

        string output = RunChild(backup, weights, "epoch");

        Assert.That(output, Does.Contain("restored-from=").And.Contain("backup-000002-000000000.seqmodel"));
        Assert.That(File.ReadAllBytes(weights), Is.EqualTo(expected));
    }

    [Test]
    public void ChildWithACorruptedLatestBackupFallsBackAndStillMatches()
    {
        byte[] expected = Uninterrupted();
        string backup = Path.Combine(_dir, "backup");
        string weights = Path.Combine(_dir, "resumed.safetensors");
        string latest = LatestBackupOfAKilledChild(backup, weights);
        var bytes = File.ReadAllBytes(latest);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(latest, bytes);

        string output = RunChild(backup, weights, "epoch");

        Assert.That(output, Does.Contain("backup-000002-000000000.seqmodel"));
        Assert.That(File.ReadAllBytes(weights), Is.EqualTo(expected));
    }
}
