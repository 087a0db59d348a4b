// Dataset overhead (issue 12's target): one epoch of Fit on an MLP from
//   Dataset.FromTensorSlices(x, y).Shuffle(N).Batch(32).Prefetch(2)
// against Fit on the same tensors (shuffle: true, batchSize: 32). Target: at most 1.05x.
// The variants are run alternately, REPEATS times each after a warm-up epoch; medians and bests are compared (on a
// shared machine the best of many runs is the least disturbed by other work).
// Usage: dotnet run -c Release --project benchmarks/DatasetOverhead [-- REPEATS [SAMPLES]]
using System.Diagnostics;
using Sequential;
using Sequential.Data;
using Sequential.Layers;
using Sequential.Losses;
using TorchSharp;
using static TorchSharp.torch;

int repeats = args.Length > 0 ? int.Parse(args[0]) : 7;
int samples = args.Length > 1 ? int.Parse(args[1]) : 8000;
Backend.EnsureNativeLoaded();
var ((xTrain, yTrain), _) = Mnist.LoadData();
var x = (xTrain.to_type(ScalarType.Float32) / 255f).reshape(-1, 784);
var y = yTrain;
while (x.shape[0] < samples) { x = torch.cat([x, x]); y = torch.cat([y, y]); }
x = x[..samples].contiguous();
y = y[..samples].contiguous();
Console.WriteLine($"{samples:N0} MNIST samples, MLP 784-128-10, batch 32, {Environment.ProcessorCount} cores visible, torch threads {torch.get_num_threads()}");

SequentialModel Model()
{
    RandomSeed.Set(1);
    var model = new SequentialModel(new Dense(128, activation: "relu", inputShape: [784]), new Dense(10));
    model.Compile(optimizer: "adam", loss: new SparseCategoricalCrossentropy(fromLogits: true), device: "cpu");
    return model;
}

// The floor for any iterator: the same batches made beforehand (Fit's iterator path checks each batch, for NaNs and
// labels, where the tensor path checks all the data once).
var premade = Enumerable.Range(0, (samples + 31) / 32)
    .Select(i => (x[(i * 32)..Math.Min(samples, i * 32 + 32)].clone(), y[(i * 32)..Math.Min(samples, i * 32 + 32)].clone())).ToList();
// The pipelines are made once, as a training script makes them before Fit(ds, epochs: ...): FromTensorSlices copies the
// tensors, which a per-epoch construction would count as pipeline cost.
var prefetched = Dataset.FromTensorSlices(x, y).Shuffle(samples, seed: 1).Batch(32).Prefetch(2);
var unprefetched = Dataset.FromTensorSlices(x, y).Shuffle(samples, seed: 1).Batch(32);
// As a training script runs it: one Fit of REPEATS epochs per variant, the two variants alternating, 9 rounds
// (`-- 15 4000 --whole`). Fit checks an iterator's batches for NaNs and labels on its first pass only when the data's
// values are fixed, so the per-epoch runs below, one Fit each, pay that check every epoch.
if (args.Contains("--whole"))
{
    var whole = new List<(double Tensors, double Dataset)>();
    for (int round = 0; round < 9; round++)
    {
        var clockTensors = Stopwatch.StartNew();
        Model().Fit(x, y, batchSize: 32, epochs: repeats, shuffle: true, verbose: 0);
        double tensors = clockTensors.Elapsed.TotalSeconds;
        var clockDataset = Stopwatch.StartNew();
        Model().Fit(unprefetched, epochs: repeats, verbose: 0);
        whole.Add((tensors, clockDataset.Elapsed.TotalSeconds));
    }
    var ratios = whole.Select(w => w.Dataset / w.Tensors).Order().ToList();
    Console.WriteLine($"one Fit of {repeats} epochs, 9 rounds: tensors {string.Join(" ", whole.Select(w => w.Tensors.ToString("F2")))} s; " +
                      $"Shuffle(N).Batch(32) {string.Join(" ", whole.Select(w => w.Dataset.ToString("F2")))} s; " +
                      $"ratios {string.Join(" ", ratios.Select(r => r.ToString("F3")))}, median {ratios[4]:F3}, best-of {whole.Min(w => w.Dataset) / whole.Min(w => w.Tensors):F3}");
    return;
}

// For a profiler: `-- 30 4000 --only dataset` (or `tensors`) runs that variant alone, REPEATS epochs, and stops.
if (Array.IndexOf(args, "--only") is int only and >= 0 && only + 1 < args.Length)
{
    var single = Model();
    for (int epoch = 0; epoch < repeats; epoch++)
        if (args[only + 1] == "dataset") single.Fit(unprefetched, epochs: 1, verbose: 0);
        else single.Fit(x, y, batchSize: 32, epochs: 1, shuffle: true, verbose: 0);
    return;
}
var variants = new (string Name, Func<SequentialModel, History> Fit)[]
{
    ("tensors (shuffle: true)", m => m.Fit(x, y, batchSize: 32, epochs: 1, shuffle: true, verbose: 0)),
    ("FromTensorSlices.Shuffle(N).Batch(32).Prefetch(2)", m => m.Fit(prefetched, epochs: 1, verbose: 0)),
    ("FromTensorSlices.Shuffle(N).Batch(32)", m => m.Fit(unprefetched, epochs: 1, verbose: 0)),
    ("a List of premade batches (iterator floor)", m => m.Fit(premade, epochs: 1, verbose: 0)),
};
var models = variants.Select(_ => Model()).ToArray();
for (int v = 0; v < variants.Length; v++) variants[v].Fit(models[v]); // warm-up epoch
var times = variants.Select(_ => new List<double>()).ToArray();
var cpu = variants.Select(_ => new List<double>()).ToArray();
var collections = variants.Select(_ => new List<int>()).ToArray();
var process = Process.GetCurrentProcess();
for (int r = 0; r < repeats; r++)
    for (int v = 0; v < variants.Length; v++)
    {
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        int gcBefore = GC.CollectionCount(0);
        var clock = Stopwatch.StartNew();
        var history = variants[v].Fit(models[v]);
        collections[v].Add(GC.CollectionCount(0) - gcBefore);
        times[v].Add(clock.Elapsed.TotalSeconds);
        process.Refresh();
        cpu[v].Add((process.TotalProcessorTime - cpuBefore).TotalSeconds);
        if (!double.IsFinite(history["loss"][0])) throw new InvalidOperationException("loss is not finite");
    }
double Median(List<double> t) { var s = t.Order().ToList(); return s[s.Count / 2]; }
// CPU time (all threads of the process) is what the pipeline costs on a machine shared with other work, where wall
// times mostly measure the neighbours.
double baseline = Median(times[0]), best = times[0].Min(), cpuBaseline = Median(cpu[0]);
for (int v = 0; v < variants.Length; v++)
    Console.WriteLine($"{variants[v].Name,-52} median {Median(times[v]):F3} s/epoch ({Median(times[v]) / baseline:F3}x), " +
                      $"best {times[v].Min():F3} s ({times[v].Min() / best:F3}x), median CPU {Median(cpu[v]):F3} s ({Median(cpu[v]) / cpuBaseline:F3}x); " +
                      $"gen0 GCs/epoch {collections[v].Average():F1}; runs {string.Join(" ", times[v].Select(t => t.ToString("F3")))}");

// Where the gap is: one pass of each data source alone (no model), alternating, best of REPEATS. The tensor path's
// batches are a randperm and two index_selects per batch; the Dataset's, the pipeline's.
double PassSeconds(Action pass)
{
    var clock = Stopwatch.StartNew();
    pass();
    return clock.Elapsed.TotalSeconds;
}
void TensorPass()
{
    using var scope = torch.NewDisposeScope();
    var order = torch.randperm(samples);
    for (long start = 0; start < samples; start += 32)
    {
        using var inner = torch.NewDisposeScope();
        var index = order.narrow(0, start, Math.Min(32, samples - start));
        _ = x.index_select(0, index);
        _ = y.index_select(0, index);
    }
}
void DatasetPass(Dataset ds)
{
    foreach (var batch in ((IBatchSource)ds).GetBatches())
    {
        using var inner = torch.NewDisposeScope();
        foreach (var t in batch.Inputs) inner.Attach(t);
        foreach (var t in batch.Targets ?? []) inner.Attach(t);
    }
}
var passTimes = new[] { new List<double>(), new List<double>(), new List<double>() };
for (int r = 0; r < repeats * 4; r++)
{
    passTimes[0].Add(PassSeconds(TensorPass));
    passTimes[1].Add(PassSeconds(() => DatasetPass(unprefetched)));
    passTimes[2].Add(PassSeconds(() => DatasetPass(prefetched)));
}
Console.WriteLine($"one pass alone, best of {repeats * 4}: tensors {passTimes[0].Min() * 1e3:F2} ms, " +
                  $"Shuffle.Batch {passTimes[1].Min() * 1e3:F2} ms, Shuffle.Batch.Prefetch {passTimes[2].Min() * 1e3:F2} ms " +
                  $"({(passTimes[1].Min() - passTimes[0].Min()) * 1e6 / ((samples + 31) / 32):F1} µs more per batch without Prefetch)");
