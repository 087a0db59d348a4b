using System.Globalization;
using static Sequential.Benchmarks.Statistics;
using static TorchSharp.torch;

namespace Sequential.Benchmarks;

/// <summary>
/// What a dtype policy does to training (--policy NAME): the same network built under float32 and under the policy,
/// from the same initial weights, trained epoch by epoch in alternation in one process (the same seed before each
/// epoch, so the same shuffling and dropout), then evaluated on the test set. The per-round time ratio policy / float32
/// is what the policy buys or costs on this CPU.
/// </summary>
internal static class PrecisionCost
{
    public static void Run(string kind, string policy, BenchOptions options, Tensor xTrain, Tensor yTrain, Tensor xTest, Tensor yTest)
    {
        var spec = ModelSpec.For(kind);
        RandomSeed.Set(0);
        var exact = spec.Sequential(options.Device);
        MixedPrecision.SetGlobalPolicy(policy);
        Model mixed;
        try { mixed = spec.Sequential(options.Device); }
        finally { MixedPrecision.SetGlobalPolicy("float32"); }
        var (x, xt) = (spec.ToKerasInput(xTrain), spec.ToKerasInput(xTest));
        var y = yTrain;
        if (options.Steps is int cut) (x, y) = (x[..(cut * spec.BatchSize)], y[..(cut * spec.BatchSize)]);
        // Same starting weights: build both on one batch and copy float32's into the policy's model.
        exact.Predict(x[..1], verbose: 0);
        mixed.Predict(x[..1], verbose: 0);
        using (no_grad())
            foreach (var (to, from) in mixed.Weights.Zip(exact.Weights)) to.copy_(from);

        Console.WriteLine();
        Console.WriteLine($"### Dtype policy \"{policy}\" vs float32: {spec.Title}, batch {spec.BatchSize}, {x.shape[0] / spec.BatchSize} steps per epoch");
        Console.WriteLine();
        Console.WriteLine($"CPU: {CpuName()}. Round 0 is a warm-up; odd rounds run {policy} first.");
        Console.WriteLine();
        Console.WriteLine($"| round | float32 s | {policy} s | ratio | loss float32 | loss {policy} |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        var rounds = new List<(double Exact, double Mixed)>();
        for (int round = 0; round <= options.Epochs; round++)
        {
            var order = round % 2 == 1 ? new[] { mixed, exact } : [exact, mixed];
            var seconds = new Dictionary<Model, double>();
            var losses = new Dictionary<Model, double>();
            foreach (var model in order)
            {
                RandomSeed.Set(1000 + round);
                var timer = new EpochTimer();
                var history = model.Fit(x, y, batchSize: spec.BatchSize, epochs: round + 1, initialEpoch: round, verbose: 0, callbacks: [timer]);
                seconds[model] = timer.Seconds[0];
                losses[model] = history["loss"][^1];
            }
            if (round > 0) rounds.Add((seconds[exact], seconds[mixed]));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {(round == 0 ? "0 (warm-up)" : round)} | {seconds[exact]:F3} | {seconds[mixed]:F3} | {seconds[mixed] / seconds[exact]:F3} | {losses[exact]:F4} | {losses[mixed]:F4} |"));
        }
        double accExact = exact.Evaluate(xt, yTest, batchSize: 1000, verbose: 0)["accuracy"];
        double accMixed = mixed.Evaluate(xt, yTest, batchSize: 1000, verbose: 0)["accuracy"];
        var ratios = rounds.Select(r => r.Mixed / r.Exact).Order().ToArray();
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"- {policy} / float32 epoch time per round: median {Median(ratios):F3} (range {ratios[0]:F3}-{ratios[^1]:F3}, {ratios.Length} rounds); " +
            $"test accuracy float32 {accExact:F4}, {policy} {accMixed:F4}; weights of the {policy} model: " +
            $"{string.Join(", ", mixed.Weights.Select(w => w.dtype).Distinct())}"));
    }

    private static string CpuName()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            var flags = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal)) ?? "";
            string bf16 = flags.Contains("avx512_bf16") ? "AVX-512 BF16" : flags.Contains("amx_bf16") ? "AMX BF16" : "no BF16 instructions";
            return $"{line?[(line.IndexOf(':') + 1)..].Trim() ?? "unknown"} ({bf16}{(flags.Contains("amx_tile") ? ", AMX" : "")})";
        }
        catch (IOException) { return "unknown (no /proc/cpuinfo)"; }
    }
}
