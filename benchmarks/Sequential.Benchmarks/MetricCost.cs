using System.Globalization;
using Sequential.Layers;
using Sequential.Metrics;
using static Sequential.Benchmarks.Statistics;
using static TorchSharp.torch;

namespace Sequential.Benchmarks;

/// <summary>
/// What AUC, Precision and Recall add to an MLP epoch (--metric-cost; issue 14's target: at most 3%). Two copies of the
/// benchmark MLP (same initial weights, same seed before each epoch: the same shuffling and arithmetic), trained on
/// one-hot Fashion-MNIST targets with CategoricalCrossentropy(fromLogits: true), which the confusion metrics need; one
/// compiled with ["accuracy"], the other with ["accuracy", AUC(fromLogits: true), Precision(), Recall()]. Their epochs
/// alternate in one process (odd rounds the metrics model first), and the per-round time ratio is reported as a median
/// with its interval, since this VM's speed drifts between minutes.
/// </summary>
internal static class MetricCost
{
    public static void Run(BenchOptions options, Tensor xTrain, Tensor yTrain)
    {
        var spec = ModelSpec.For("mlp");
        var (x, labels) = (xTrain, yTrain);
        if (options.Steps is int cut) (x, labels) = (x[..(cut * spec.BatchSize)], labels[..(cut * spec.BatchSize)]);
        var y = nn.functional.one_hot(labels, 10).to_type(ScalarType.Float32);
        SequentialModel Build(object[] metrics)
        {
            RandomSeed.Set(0);
            var model = new SequentialModel(new Flatten(inputShape: [28, 28]), new Dense(128, activation: "relu"), new Dense(10));
            model.Compile(optimizer: "adam", loss: new Losses.CategoricalCrossentropy(fromLogits: true), metrics: metrics, device: options.Device);
            return model;
        }
        PerUpdate(y, spec.BatchSize);
        var plain = Build(["accuracy"]);
        var measured = Build(["accuracy", new AUC(fromLogits: true), new Precision(), new Recall()]);

        Console.WriteLine();
        Console.WriteLine($"### Metric cost: {spec.Title}, batch {spec.BatchSize}, {x.shape[0] / spec.BatchSize} steps per epoch, one-hot targets");
        Console.WriteLine();
        Console.WriteLine("Round 0 is a warm-up. Wall-clock and process CPU seconds per epoch.");
        Console.WriteLine();
        Console.WriteLine("| round | accuracy only s | + AUC, Precision, Recall s | ratio | CPU ratio | AUC, precision, recall (training) |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---|");
        var wall = new List<double>();
        var cpu = new List<double>();
        for (int round = 0; round <= options.Epochs; round++)
        {
            var order = round % 2 == 1 ? new[] { measured, plain } : [plain, measured];
            var timers = new Dictionary<Model, EpochTimer>();
            Dictionary<string, double>? logs = null;
            foreach (var model in order)
            {
                RandomSeed.Set(1000 + round);
                timers[model] = new EpochTimer();
                var history = model.Fit(x, y, batchSize: spec.BatchSize, epochs: round + 1, initialEpoch: round, verbose: 0, callbacks: [timers[model]]);
                if (model == measured) logs = history.Keys.ToDictionary(k => k, k => history[k][^1]);
            }
            var (p, m) = (timers[plain], timers[measured]);
            if (round > 0)
            {
                wall.Add(m.Seconds[0] / p.Seconds[0]);
                cpu.Add(m.CpuSeconds[0] / p.CpuSeconds[0]);
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {(round == 0 ? "0 (warm-up)" : round)} | {p.Seconds[0]:F3} | {m.Seconds[0]:F3} | {m.Seconds[0] / p.Seconds[0]:F3} | " +
                $"{m.CpuSeconds[0] / p.CpuSeconds[0]:F3} | {logs!["auc"]:F4}, {logs["precision"]:F4}, {logs["recall"]:F4} |"));
        }
        Console.WriteLine();
        foreach (var (clock, ratios) in new[] { ("wall clock", wall), ("CPU time", cpu) })
        {
            var sorted = ratios.Order().ToArray();
            var (low, high) = MedianInterval(sorted);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"- {clock}: with the three metrics / without, per round: median {Median(sorted):F3} (95% interval {low:F3}-{high:F3}; " +
                $"range {sorted[0]:F3}-{sorted[^1]:F3}; {sorted.Length} rounds), target <= 1.03: {(Median(sorted) <= 1.03 ? "met" : "NOT met")}"));
        }
    }

    /// <summary>
    /// Microseconds per UpdateState of each metric alone on one batch of the MLP's shape (no training around it), then
    /// per step of the compiled metrics (Model.ComputeMetrics) with and without the three: their difference is what the
    /// three cost a training step together, where they share one copy of the batch.
    /// </summary>
    private static void PerUpdate(Tensor oneHot, int batch)
    {
        var yTrue = oneHot[..batch];
        var logits = randn(batch, 10);
        Metric[] metrics = [new CategoricalAccuracy(), new AUC(fromLogits: true), new Precision(), new Recall()];
        Console.WriteLine();
        double alone = 0;
        foreach (var metric in metrics)
        {
            var (update, cpuUpdate, created) = Time(() => metric.UpdateState(yTrue, logits));
            if (metric is not CategoricalAccuracy) alone += cpuUpdate;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"- {metric.GetType().Name}: {update:F1} us wall, {cpuUpdate:F1} us CPU, {created:F1} tensors created per UpdateState (batch {batch} x 10)"));
        }
        var compiled = new Dictionary<string, (double Wall, double Cpu, double Created)>();
        foreach (var (label, specs) in new[] { ("accuracy", new object[] { "accuracy" }),
                                               ("accuracy + AUC, Precision, Recall", ["accuracy", new AUC(fromLogits: true), new Precision(), new Recall()]),
                                               ("AUC, Precision, Recall", [new AUC(fromLogits: true), new Precision(), new Recall()]),
                                             })
        {
            var model = new SequentialModel(new Dense(10, inputShape: [10]));
            model.Compile(optimizer: "sgd", loss: new Losses.CategoricalCrossentropy(fromLogits: true), metrics: specs, device: "cpu");
            compiled[label] = Time(() => model.ComputeMetrics(null, yTrue, logits));
            var (wall, cpu, made) = compiled[label];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"- compiled [{label}]: {wall:F1} us wall, {cpu:F1} us CPU, {made:F1} tensors created per step"));
        }
        double together = compiled["accuracy + AUC, Precision, Recall"].Cpu - compiled["accuracy"].Cpu;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"- AUC + Precision + Recall per step: {compiled["AUC, Precision, Recall"].Cpu:F1} us CPU compiled alone, {together:F1} us CPU " +
            $"compiled beside accuracy, {alone:F1} us CPU as the sum of their updates alone"));
    }

    private static (double Wall, double Cpu, double Created) Time(Action update)
    {
        for (int i = 0; i < 500; i++) using (NewDisposeScope()) update();
        var process = System.Diagnostics.Process.GetCurrentProcess();
        var statistics = TorchSharp.DisposeScopeManager.Statistics.TensorStatistics;
        long tensors = statistics.CreatedInScopeCount + statistics.CreatedOutsideScopeCount;
        var cpu = process.TotalProcessorTime;
        var sw = System.Diagnostics.Stopwatch.StartNew();
        const int n = 5000;
        for (int i = 0; i < n; i++) using (NewDisposeScope()) update();
        double wall = sw.Elapsed.TotalMicroseconds / n;
        process.Refresh();
        double cpuTime = (process.TotalProcessorTime - cpu).TotalMicroseconds / n;
        return (wall, cpuTime, (double)(statistics.CreatedInScopeCount + statistics.CreatedOutsideScopeCount - tensors) / n);
    }
}
