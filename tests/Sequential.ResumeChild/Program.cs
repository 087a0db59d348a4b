// Trains a small model with BackupAndRestore and saves its final weights. Used by BackupAndRestoreTests:
//   Sequential.ResumeChild <backupDir> <weightsOut> <saveFreq: epoch|N> [mode] [batch]
// mode "none": run to the end; "block": at global batch <batch>, after that batch's backup, write
// <backupDir>.marker and block (the test then kills the process with SIGKILL); "kill-during-save": at global
// batch <batch>, kill this process with SIGKILL while the next backup file is being written.
using System.Diagnostics;
using Sequential;
using Sequential.Callbacks;
using Sequential.Layers;
using TorchSharp;

string backupDir = args[0];
string weightsOut = args[1];
object saveFreq = args[2] == "epoch" ? "epoch" : int.Parse(args[2]);
string mode = args.Length > 3 ? args[3] : "none";
int atBatch = args.Length > 4 ? int.Parse(args[4]) : -1;

torch.set_num_threads(1);
RandomSeed.Set(7);
var x = torch.randn(96, 8);
var y = torch.randint(0, 3, [96]);
RandomSeed.Set(42);
var model = new SequentialModel(
    new Dense(16, activation: "relu", inputShape: [8]),
    new Dropout(0.3),
    new Dense(3));
model.Compile(optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"]);
var backup = new BackupAndRestore(backupDir, saveFreq);
var killer = new Killer(mode, atBatch, backupDir);
// The killer runs after BackupAndRestore for "block" (the batch's backup is written) and before it for
// "kill-during-save" (it arms the kill, then BackupAndRestore starts writing).
Callback[] callbacks = mode == "kill-during-save" ? [killer, backup] : [backup, killer];
model.Fit(x, y, batchSize: 16, epochs: 4, verbose: 0, callbacks: callbacks);
model.SaveWeights(weightsOut);
Console.WriteLine($"done restored-from={backup.RestoredFrom ?? "none"}");

sealed class Killer(string mode, int atBatch, string backupDir) : Callback
{
    private int _seen;

    public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, double> logs)
    {
        if (++_seen != atBatch) return;
        if (mode == "block")
        {
            File.WriteAllText(backupDir + ".marker", "ready");
            Thread.Sleep(Timeout.Infinite);
        }
        else if (mode == "kill-during-save")
        {
            var thread = new Thread(() =>
            {
                // Kill as soon as a temporary backup file exists (the save is under way), or after 5 s regardless.
                var watch = Stopwatch.StartNew();
                while (watch.ElapsedMilliseconds < 5000 &&
                       !(Directory.Exists(backupDir) && Directory.GetFiles(backupDir, ".*.tmp").Length > 0))
                    Thread.SpinWait(100);
                Process.GetCurrentProcess().Kill();
            }) { IsBackground = true };
            thread.Start();
        }
    }
}
