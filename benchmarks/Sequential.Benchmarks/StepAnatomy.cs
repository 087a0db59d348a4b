using System.Diagnostics;
using TorchSharp;
using static Sequential.Benchmarks.Statistics;
using static TorchSharp.torch;

namespace Sequential.Benchmarks;

/// <summary>
/// Where the time of one MLP training step goes (<c>--anatomy</c>): the step of the hand-written TorchSharp loop split
/// into batch gather, forward + loss, backward and optimizer, and the single operations that dominate them (the two
/// large matrix products and the optimizer's square root). Rounds of each measurement are interleaved and the median
/// is printed, so the machine's drift affects all of them alike.
/// </summary>
internal static class StepAnatomy
{
    private const int Batch = 32, Features = 784, Hidden = 128, Rounds = 12, StepsPerRound = 300;

    public static void Run(Tensor xTrain, Tensor yTrain)
    {
        using var scope = NewDisposeScope();
        var x = xTrain.reshape(xTrain.shape[0], -1);
        long n = x.shape[0];
        var perm = randperm(n);
        RandomSeed.Set(0);
        var net = nn.Sequential(nn.Linear(Features, Hidden), nn.ReLU(), nn.Linear(Hidden, 10));
        var optimizer = optim.Adam(net.parameters(), 1e-3, 0.9, 0.999, 1e-7);
        var phases = new[] { "batch gather", "forward + loss", "backward", "optimizer (torch.optim.Adam)", "whole step" };
        var samples = phases.ToDictionary(p => p, _ => new List<double>());
        var ops = new Dictionary<string, (Action Run, List<double> Samples)>();
        var input = x.narrow(0, 0, Batch);
        var weight = randn(Hidden, Features);
        var gradOut = randn(Batch, Hidden);
        var big = rand(Features * Hidden + Hidden + Hidden * 10 + 10);
        var scratch = empty_like(big);
        ops["matmul [32, 784] x [784, 128] (Dense forward)"] = (() => { using var _ = input.matmul(weight.t()); }, []);
        ops["matmul [128, 32] x [32, 784] (kernel gradient)"] = (() => { using var _ = gradOut.t().matmul(input); }, []);
        ops[$"copy_ + sqrt_ over {big.numel():N0} floats (Adam's root)"] = (() => scratch.copy_(big).sqrt_(), []);

        long start = 0;
        for (int round = 0; round < Rounds; round++)
        {
            var ticks = new long[phases.Length];
            for (int s = 0; s < StepsPerRound; s++)
            {
                long t0 = Stopwatch.GetTimestamp();
                using var step = NewDisposeScope();
                if (start + Batch > n) start = 0;
                var index = perm.narrow(0, start, Batch);
                start += Batch;
                var xb = x.index_select(0, index);
                var yb = yTrain.index_select(0, index);
                long t1 = Stopwatch.GetTimestamp();
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(net.call(xb), yb);
                long t2 = Stopwatch.GetTimestamp();
                loss.backward();
                long t3 = Stopwatch.GetTimestamp();
                optimizer.step();
                long t4 = Stopwatch.GetTimestamp();
                ticks[0] += t1 - t0; ticks[1] += t2 - t1; ticks[2] += t3 - t2; ticks[3] += t4 - t3; ticks[4] += t4 - t0;
            }
            for (int p = 0; p < phases.Length; p++) samples[phases[p]].Add(Microseconds(ticks[p], StepsPerRound));
            foreach (var (run, list) in ops.Values)
            {
                run();
                long t0 = Stopwatch.GetTimestamp();
                for (int i = 0; i < StepsPerRound; i++) run();
                list.Add(Microseconds(Stopwatch.GetTimestamp() - t0, StepsPerRound));
            }
        }

        Console.WriteLine();
        Console.WriteLine($"### Anatomy of one MLP step (batch {Batch}, raw TorchSharp loop, {get_num_threads()} threads; median of {Rounds} rounds of {StepsPerRound})");
        Console.WriteLine();
        Console.WriteLine("| part | microseconds |");
        Console.WriteLine("|---|---:|");
        foreach (var p in phases) Console.WriteLine($"| {p} | {Median(samples[p]):F0} |");
        foreach (var (name, (_, list)) in ops) Console.WriteLine($"| single op: {name} | {Median(list):F0} |");
    }

    private static double Microseconds(long ticks, int count) => ticks * 1e6 / Stopwatch.Frequency / count;
}
