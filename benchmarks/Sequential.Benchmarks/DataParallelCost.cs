using System.Globalization;
using Sequential.Callbacks;
using static Sequential.Benchmarks.Statistics;
using static TorchSharp.torch;

namespace Sequential.Benchmarks;

/// <summary>
/// --data-parallel: Fit of the model compiled with <c>distribution: new DataParallel()</c>, so the same command measures
/// one process (started without mpirun) and N processes (under <c>mpirun -np N</c>); batchSize is the global batch either
/// way. Prints, on every rank, the global samples per second of each epoch after the first (a warm-up) and the time per
/// step spent in the gradients' allreduce and in the copies into and out of its buffer.
/// </summary>
internal static class DataParallelCost
{
    public static void Run(string kind, BenchOptions options, Tensor xTrain, Tensor yTrain)
    {
        var distribution = new DataParallel();
        var spec = ModelSpec.For(kind);
        var model = spec.Sequential(options.Device, distribution);
        var x = spec.ToKerasInput(xTrain);
        var y = yTrain;
        if (options.Steps is int steps)
        {
            x = x[..(steps * spec.BatchSize)];
            y = y[..(steps * spec.BatchSize)];
        }
        var timer = new EpochTimer();
        var communication = new List<(long Steps, double Allreduce, double Copy)>();
        var perEpoch = new LambdaCallback(onEpochEnd: (_, _) => communication.Add(
            (distribution.AveragedSteps, distribution.AllreduceTime.TotalSeconds, distribution.GradientCopyTime.TotalSeconds)));
        model.Fit(x, y, batchSize: spec.BatchSize, epochs: options.Epochs + 1, verbose: 0, callbacks: [timer, perEpoch]);
        var seconds = timer.Seconds.Skip(1).ToArray();
        var rates = seconds.Select(s => x.shape[0] / s).Order().ToArray();
        var (first, last) = (communication[0], communication[^1]);
        long measured = last.Steps - first.Steps;
        long stepsPerEpoch = (x.shape[0] + spec.BatchSize - 1) / spec.BatchSize;
        string PerStep(double total) => measured == 0 ? "-" : (1000 * total / measured).ToString("F3", CultureInfo.InvariantCulture);
        Console.WriteLine(
            $"{distribution} {spec.Kind} batch {spec.BatchSize}, {x.shape[0]} samples/epoch, TorchSharp threads {get_num_threads()}: " +
            $"epochs {string.Join(" ", seconds.Select(s => s.ToString("F2", CultureInfo.InvariantCulture)))} s " +
            $"(CPU {string.Join(" ", timer.CpuSeconds.Skip(1).Select(s => s.ToString("F2", CultureInfo.InvariantCulture)))} s); " +
            $"samples/s median {Median(rates):F0}; per step over {measured} steps: allreduce {PerStep(last.Allreduce - first.Allreduce)} ms, " +
            $"buffer copies {PerStep(last.Copy - first.Copy)} ms; epoch time / step {1000 * seconds.Sum() / (seconds.Length * stepsPerEpoch):F1} ms");
    }
}
