using System.Diagnostics;
using Sequential.Callbacks;
using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Benchmarks;

/// <summary>
/// Trains a model for many epochs and records, at each epoch end, resident memory, the managed heap and the
/// number of live native tensors. Flat from epoch 2 on means nothing escapes a batch's DisposeScope. The loop
/// never calls GC.Collect(); only this probe's reading of the heap size asks for a non-forcing count.
/// </summary>
internal sealed class MemorySoak : Callback
{
    public List<(int Epoch, long RssMiB, long ManagedMiB, long LiveTensors)> Samples { get; } = [];

    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        using var process = Process.GetCurrentProcess();
        Samples.Add((epoch, process.WorkingSet64 >> 20, GC.GetTotalMemory(forceFullCollection: false) >> 20,
            DisposeScopeManager.Statistics.ThreadTotalLiveCount));
    }

    public static void Run(ModelSpec spec, Tensor x, Tensor y, int epochs)
    {
        var model = spec.Sequential();
        var soak = new MemorySoak();
        model.Fit(spec.ToKerasInput(x), y, batchSize: spec.BatchSize, epochs: epochs, verbose: 0, callbacks: [soak]);
        Console.WriteLine();
        Console.WriteLine($"### Memory over {epochs} epochs of Fit ({spec.Kind}, batch {spec.BatchSize})");
        Console.WriteLine();
        Console.WriteLine("| epoch | resident MiB | managed heap MiB | live native tensors |");
        Console.WriteLine("|---:|---:|---:|---:|");
        foreach (var s in soak.Samples.Where(s => s.Epoch < 3 || s.Epoch % 5 == 4 || s.Epoch == epochs - 1).Distinct())
            Console.WriteLine($"| {s.Epoch + 1} | {s.RssMiB} | {s.ManagedMiB} | {s.LiveTensors} |");
        var second = soak.Samples[1];
        var last = soak.Samples[^1];
        Console.WriteLine();
        Console.WriteLine($"- From epoch 2 to epoch {epochs}: resident {second.RssMiB} -> {last.RssMiB} MiB, " +
                          $"live tensors {second.LiveTensors} -> {last.LiveTensors}");
    }
}
