using System.Globalization;
using ImageClassificationFromScratch;
using Sequential.Optimizers;
using static Sequential.Benchmarks.Statistics;
using static TorchSharp.torch;

namespace Sequential.Benchmarks;

/// <summary>
/// What a functional graph adds per step (--graph-cost): epochs of the functional model alternate, in one process,
/// with epochs of the same network run without a graph (a SequentialModel for the MLP and the convnet; for the small
/// Xception, whose residual Adds a stack cannot express, a subclassed model calling the same layers by hand). Both start
/// from the same weights and get the same seed before each epoch (same shuffling, augmentation and dropout), so they do
/// the same arithmetic; the round's time ratio graph / no graph is what the graph costs, and the median over rounds
/// is reported with its spread, since this VM's speed drifts between minutes.
/// </summary>
internal static class GraphCost
{
    public static void Run(string kind, BenchOptions options, Tensor xTrain, Tensor yTrain)
    {
        // --control (the A/A run): the other side is a second functional model built the same way, so that the ratio
        // shows what the harness itself reads when nothing differs.
        Model graph, baseline;
        Tensor x, y;
        int batchSize;
        string title;
        double target;
        if (kind == "xception")
        {
            CheckXceptionAt180();
            long[] shape = [options.ImageSize, options.ImageSize, 3];
            int count = (options.Steps ?? 8) * XceptionBatch;
            (x, y) = XceptionImages(xTrain, yTrain, options.ImageSize, count);
            Model Compiled(Model model)
            {
                model.Compile(optimizer: new Adam(learningRate: 1e-3), loss: "binary_crossentropy", metrics: ["accuracy"], device: options.Device);
                return model;
            }
            RandomSeed.Set(0);
            graph = Compiled(SmallXception.MakeModel(shape, numClasses: 2));
            RandomSeed.Set(0);
            baseline = Compiled(options.Control ? SmallXception.MakeModel(shape, numClasses: 2) : XceptionByHand.Create(shape));
            (batchSize, title, target) = (XceptionBatch, $"small Xception at {shape[0]}x{shape[1]}x3, {count} Fashion-MNIST images (label: class < 5)", 1.02);
        }
        else
        {
            var spec = ModelSpec.For(kind);
            graph = spec.Functional(options.Device);
            baseline = options.Control ? spec.Functional(options.Device) : spec.Sequential(options.Device);
            (x, y) = (spec.ToKerasInput(xTrain), yTrain);
            if (options.Steps is int cut)
                (x, y) = (x[..(cut * spec.BatchSize)], y[..(cut * spec.BatchSize)]);
            (batchSize, title, target) = (spec.BatchSize, spec.Title, kind == "mlp" ? 1.03 : 1.02);
        }
        var (baselineName, b) = options.Control ? ("a second functional model built the same way (A/A control)", "2nd functional")
            : baseline is SequentialModel ? ("SequentialModel", "no graph") : ("subclassed, layers called by hand", "no graph");
        CheckSameNetwork(graph, baseline, x[..batchSize]);

        var wall = new List<(double Graph, double Baseline)>();
        var cpu = new List<(double Graph, double Baseline)>();
        var work = new Dictionary<Model, (long Bytes, long Tensors)>();
        var faults = new List<(long Graph, long Baseline)>();
        Console.WriteLine();
        Console.WriteLine($"### Graph cost: {title}, batch {batchSize}, {x.shape[0] / batchSize} steps per epoch");
        Console.WriteLine();
        Console.WriteLine($"Functional model vs {baselineName}; round 0 is a warm-up; odd rounds run the functional epoch first, " +
                          "even rounds second. Wall-clock seconds, and the process's CPU seconds (which other processes' load does not inflate).");
        Console.WriteLine();
        Console.WriteLine($"| round | functional s | {b} s | ratio | functional CPU s | {b} CPU s | CPU ratio | system s, page faults (functional) | same ({b}) | loss (functional) | loss ({b}) |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int round = 0; round <= options.Epochs; round++)
        {
            var order = round % 2 == 1 ? new[] { graph, baseline } : [baseline, graph];
            var timers = new Dictionary<Model, EpochTimer>();
            var losses = new Dictionary<Model, double>();
            foreach (var model in order)
            {
                RandomSeed.Set(1000 + round);   // the same shuffling, augmentation and dropout for both
                timers[model] = new EpochTimer();
                long bytes = GC.GetTotalAllocatedBytes(precise: true), tensors = TensorsCreated();
                var history = model.Fit(x, y, batchSize: batchSize, epochs: round + 1, initialEpoch: round, verbose: 0, callbacks: [timers[model]]);
                work[model] = (GC.GetTotalAllocatedBytes(precise: true) - bytes, TensorsCreated() - tensors);
                losses[model] = history["loss"][^1];
            }
            var (g, n) = (timers[graph], timers[baseline]);
            if (round > 0)
            {
                wall.Add((g.Seconds[0], n.Seconds[0]));
                cpu.Add((g.CpuSeconds[0], n.CpuSeconds[0]));
                faults.Add((g.PageFaults[0], n.PageFaults[0]));
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {(round == 0 ? "0 (warm-up)" : round)} | {g.Seconds[0]:F3} | {n.Seconds[0]:F3} | {g.Seconds[0] / n.Seconds[0]:F3} | " +
                $"{g.CpuSeconds[0]:F3} | {n.CpuSeconds[0]:F3} | {g.CpuSeconds[0] / n.CpuSeconds[0]:F3} | " +
                $"{g.SystemSeconds[0]:F3}, {g.PageFaults[0]} | {n.SystemSeconds[0]:F3}, {n.PageFaults[0]} | {losses[graph]:F6} | {losses[baseline]:F6} |"));
        }
        Console.WriteLine();
        Summarise("wall clock", wall, target, b);
        Summarise("CPU time", cpu, target, b);
        long steps = x.shape[0] / batchSize;
        const int many = 1000;
        Console.WriteLine(
            $"- Epochs with over {many} minor page faults (glibc's malloc gave memory back to the kernel and the step maps it in again): " +
            $"functional {faults.Count(f => f.Graph > many)}, {b} {faults.Count(f => f.Baseline > many)} of {faults.Count}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"- Work per step in the last round's Fit (its per-epoch setup spread over the steps): managed bytes allocated, functional " +
            $"{work[graph].Bytes / steps:N0}, {b} {work[baseline].Bytes / steps:N0}; tensors created, functional " +
            $"{(double)work[graph].Tensors / steps:F1}, {b} {(double)work[baseline].Tensors / steps:F1}"));
    }

    /// <summary>Tensors this thread has created so far (TorchSharp's own count), inside dispose scopes and out.</summary>
    private static long TensorsCreated()
    {
        var statistics = TorchSharp.DisposeScopeManager.Statistics.TensorStatistics;
        return statistics.CreatedInScopeCount + statistics.CreatedOutsideScopeCount;
    }

    private static void Summarise(string clock, List<(double Graph, double Baseline)> rounds, double target, string b)
    {
        var ratios = rounds.Select(r => r.Graph / r.Baseline).Order().ToArray();
        double median = Median(ratios);
        var (low, high) = MedianInterval(ratios);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"- {clock}: functional / {b} per round: median {median:F3} (95% interval {low:F3}-{high:F3}; middle half " +
            $"{ratios[ratios.Length / 4]:F3}-{ratios[3 * ratios.Length / 4]:F3}; range {ratios[0]:F3}-{ratios[^1]:F3}; {ratios.Length} rounds), " +
            $"target <= {target:F2}: {(median <= target ? "met" : "NOT met")}; sum over rounds {rounds.Sum(r => r.Graph) / rounds.Sum(r => r.Baseline):F3}; " +
            $"medians of the epochs: functional {Median(rounds.Select(r => r.Graph)):F3} s, {b} {Median(rounds.Select(r => r.Baseline)):F3} s"));
    }

    private const int XceptionBatch = 32;

    /// <summary>
    /// Throws unless the two models have the same parameter count and compute the same function (same weights): the
    /// ratio then measures the graph and nothing else.
    /// </summary>
    public static void CheckSameNetwork(Model graph, Model baseline, Tensor sample)
    {
        long graphCount = CountParams(graph), baselineCount = CountParams(baseline);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Parameters: functional {graphCount:N0}, {baseline.GetType().Name} {baselineCount:N0}"));
        if (graphCount != baselineCount)
            throw new InvalidOperationException($"The functional model has {graphCount} parameters and the {baseline.GetType().Name} {baselineCount}; " +
                                                "they must be the same network for the timing to compare anything.");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        double difference = (graph.Predict(sample, verbose: 0) - baseline.Predict(sample, verbose: 0)).abs().max().item<float>();
        Console.WriteLine($"Largest difference between their predictions on one batch: {difference:G3}");
        if (difference > 1e-5)
            throw new InvalidOperationException($"The functional model and the {baseline.GetType().Name} predict differently ({difference:G3}); " +
                                                "they must start from the same weights.");
    }

    /// <summary>All weights, trainable or not, as Keras's summary counts them.</summary>
    public static long CountParams(Model model) => model.Layers.Sum(l => l.CountParams());

    /// <summary>The small Xception at the guide's 180x180 has Keras's parameter count, built both ways.</summary>
    private static void CheckXceptionAt180()
    {
        long functional = CountParams(SmallXception.MakeModel([180, 180, 3], numClasses: 2));
        long subclassed = CountParams(XceptionByHand.Create([180, 180, 3]));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Small Xception at 180x180x3: functional {functional:N0} parameters, by hand {subclassed:N0}, Keras {SmallXception.KerasParamsAt180:N0}"));
        if (functional != SmallXception.KerasParamsAt180 || subclassed != SmallXception.KerasParamsAt180)
            throw new InvalidOperationException($"The small Xception at 180x180 should have Keras's {SmallXception.KerasParamsAt180} parameters.");
    }

    /// <summary>
    /// The first <paramref name="count"/> Fashion-MNIST images as RGB images of <paramref name="size"/> pixels, values
    /// 0-255 as image files give them (the model rescales), with a binary label (class &lt; 5) for the sigmoid output.
    /// </summary>
    private static (Tensor x, Tensor y) XceptionImages(Tensor xTrain, Tensor yTrain, int size, int count)
    {
        var images = nn.functional.interpolate(xTrain[..count].unsqueeze(1) * 255f, [size, size], mode: InterpolationMode.Bilinear, align_corners: false);
        return (images.permute(0, 2, 3, 1).repeat(1, 1, 1, 3).contiguous(), (yTrain[..count] < 5).to_type(ScalarType.Float32).unsqueeze(1));
    }
}
