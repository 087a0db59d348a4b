// Speed harness: the same model and data, three ways, in one run on one machine:
//   1. Sequential's Fit (progress bar and accuracy metric on),
//   2. a hand-written TorchSharp loop doing the same work (same init, optimizer, loss, accuracy on the device),
//   3. the PyTorch peer (../shared/peer/torch_peer.py) as a child process.
// Models: the Keras tutorial MLP (batch 32) and the keras.io MNIST convnet (batch 128), on Fashion-MNIST.
// Usage: dotnet run -c Release --project benchmarks/Sequential.Benchmarks -- [--model mlp|cnn|both] [--epochs N]
//        [--data DIR] [--peer PATH] [--python PATH] [--no-peer] [--verbose 0|1|2] [--soak EPOCHS]
// --threads N sets TorchSharp's intra-op threads (default: libtorch's choice, one per core).
// --soak N adds a memory run: N epochs of the MLP with resident memory and live tensor counts per epoch.
// --device cpu|cuda|cuda:N runs Fit and the raw loop there (the PyTorch peer stays on the CPU).
// --functional builds the same network as a functional graph (new Model(inputs, outputs)) instead of a SequentialModel.
// --graph-cost times the functional graph against the same network without one, alternating epochs in one process:
//   the SequentialModel for mlp and cnn (alias convnet); for --model xception (the small Xception of
//   examples/ImageClassificationFromScratch, --image-size N, default 32, --steps N per epoch, default 8) a subclassed
//   Model calling the same layers by hand. --steps N also cuts the MLP's and convnet's epochs to N batches. --control
//   replaces the model without a graph by a second functional model (an A/A run: the harness's own bias and noise).
//   Its table shows page faults per epoch: see docs/benchmarks.md on GLIBC_TUNABLES for why some epochs are 30% slower.
// --policy NAME (e.g. mixed_bfloat16) times epochs of the model under that dtype policy against float32, alternating in
//   one process from the same initial weights, and reports both test accuracies (docs/benchmarks.md, "Mixed precision").
// --anatomy prints where one MLP step's time goes (raw loop phases, the largest single ops) and nothing else.
// --metric-cost times the MLP with metrics ["accuracy"] against ["accuracy", AUC, Precision, Recall] (one-hot targets),
//   alternating epochs in one process (--steps N cuts the epochs to N batches), and nothing else.
// --data-parallel trains the model compiled with distribution: new DataParallel() (--epochs N after a warm-up epoch,
//   --steps N batches each) and prints samples/s and the allreduce's cost per step; run it under
//   mpirun --allow-run-as-root --oversubscribe -np 2 ... --threads 1 against one process with --threads 2.
// Prints Markdown tables for docs/benchmarks.md.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Sequential;
using Sequential.Benchmarks;
using Sequential.Data;
using static Sequential.Benchmarks.Statistics;
using static TorchSharp.torch;

var options = BenchOptions.Parse(args);
Backend.EnsureNativeLoaded();
if (options.Threads > 0) set_num_threads(options.Threads);
var ((xTrainRaw, yTrain), (xTestRaw, yTest)) = FashionMnist.LoadData(out string source, options.Data);
var xTrain = xTrainRaw.to_type(ScalarType.Float32) / 255f;
var xTest = xTestRaw.to_type(ScalarType.Float32) / 255f;
Console.Error.WriteLine($"Fashion-MNIST from {source}; {xTrain.shape[0]} train, {xTest.shape[0]} test; threads {get_num_threads()}");

Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}, " +
                  $"TorchSharp threads {get_num_threads()}, device {options.Device}");
if (options.Anatomy)
{
    StepAnatomy.Run(xTrain, yTrain);
    return;
}
if (options.Policy is { } policy)
{
    foreach (var kind in options.Models) PrecisionCost.Run(kind, policy, options, xTrain, yTrain, xTest, yTest);
    return;
}
if (options.MetricCost)
{
    MetricCost.Run(options, xTrain, yTrain);
    return;
}
if (options.DataParallel)
{
    foreach (var kind in options.Models) DataParallelCost.Run(kind, options, xTrain, yTrain);
    return;
}
if (options.GraphCost)
{
    foreach (var kind in options.Models) GraphCost.Run(kind, options, xTrain, yTrain);
    return;
}
foreach (var kind in options.Models)
{
    var results = new List<Row>();
    var spec = ModelSpec.For(kind);

    // 1, 2 and 3, interleaved: one Fit epoch, one raw-loop epoch, then one PyTorch epoch (the peer at its default
    // threads, in a fresh process), repeated, so that load on the machine affects all three alike. The first round is
    // a warm-up; the table shows the median of the rest, and the per-round PyTorch/Fit ratios are summarised below it.
    Model model = options.Functional ? spec.Functional(options.Device) : spec.Sequential(options.Device);
    if (options.Functional) GraphCost.CheckSameNetwork(model, spec.Sequential(options.Device), spec.ToKerasInput(xTrain[..spec.BatchSize]));
    var raw = new RawLoop(spec, xTrain, yTrain, options.Device);
    var (xFit, xFitTest) = (spec.ToKerasInput(xTrain), spec.ToKerasInput(xTest));
    var fitSeconds = new List<double>();
    var rawSeconds = new List<double>();
    var peerSeconds = new List<double>();
    long liveAfterWarmUp = 0;
    for (int round = 0; round <= options.Epochs; round++)
    {
        var timer = new EpochTimer();
        model.Fit(xFit, yTrain, batchSize: spec.BatchSize, epochs: round + 1, initialEpoch: round, verbose: options.Verbose, callbacks: [timer]);
        fitSeconds.Add(timer.Seconds[0]);
        rawSeconds.Add(raw.Epoch());
        if (round == 0) liveAfterWarmUp = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        if (!options.NoPeer && Peer.Run(options, kind, source, threads: 0, epochs: 1) is { } peerRound) peerSeconds.Add(peerRound.Seconds);
    }
    long liveAtEnd = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
    double fitAccuracy = model.Evaluate(xFitTest, yTest, batchSize: 1000, verbose: 0)["accuracy"];
    results.Add(new Row("Sequential Fit", Median(fitSeconds.Skip(1)), xTrain.shape[0], fitAccuracy));
    results.Add(new Row("raw TorchSharp loop", Median(rawSeconds.Skip(1)), xTrain.shape[0], raw.TestAccuracy(xTest, yTest)));

    // Evaluate and Predict over the training set: one warm-up call each, then the median of 3, interleaved.
    var evaluateSeconds = new List<double>();
    var predictSeconds = new List<double>();
    for (int round = 0; round <= 3; round++)
    {
        var sw = Stopwatch.StartNew();
        model.Evaluate(xFit, yTrain, batchSize: spec.BatchSize, verbose: 0);
        evaluateSeconds.Add(sw.Elapsed.TotalSeconds);
        sw.Restart();
        using (NewDisposeScope()) model.Predict(xFit, batchSize: spec.BatchSize, verbose: 0);
        predictSeconds.Add(sw.Elapsed.TotalSeconds);
    }
    results.Add(new Row($"Sequential Evaluate (batch {spec.BatchSize}, median of 3)", Median(evaluateSeconds.Skip(1)), xTrain.shape[0], null));
    results.Add(new Row($"Sequential Predict (batch {spec.BatchSize}, median of 3)", Median(predictSeconds.Skip(1)), xTrain.shape[0], null));

    if (!options.NoPeer)
    {
        // As shipped (PyTorch picks its own thread count), and with TorchSharp's thread count.
        foreach (int threads in new[] { 0, get_num_threads() })
        {
            var peer = Peer.Run(options, kind, source, threads, options.Epochs + 1);
            if (peer is not null) results.Add(peer);
        }
    }

    var fit = results[0];
    var rawRow = results[1];
    Console.WriteLine();
    Console.WriteLine($"### {spec.Title} (batch {spec.BatchSize}; {options.Epochs + 1} epochs each, test accuracy after all of them; " +
                      $"Sequential and raw times are the median of the last {options.Epochs})");
    Console.WriteLine();
    Console.WriteLine("| run | s/epoch | samples/s | test accuracy | time vs raw loop |");
    Console.WriteLine("|---|---:|---:|---:|---:|");
    foreach (var r in results)
        Console.WriteLine($"| {r.Name} | {r.Seconds:F3} | {r.Samples / r.Seconds:F0} | " +
                          $"{(r.Accuracy is { } a ? a.ToString("F4", CultureInfo.InvariantCulture) : "")} | " +
                          $"{(r.Accuracy is null ? "" : (r.Seconds / rawRow.Seconds).ToString("F3", CultureInfo.InvariantCulture))} |");
    Console.WriteLine();
    Console.WriteLine($"- Fit / raw loop = {fit.Seconds / rawRow.Seconds:F3} (target <= {spec.FitTarget:F2})");
    foreach (var torchRow in results.Where(r => r.Name.StartsWith("PyTorch", StringComparison.Ordinal)))
        Console.WriteLine($"- {torchRow.Name}: PyTorch time / Fit time = {torchRow.Seconds / fit.Seconds:F2}x (target >= {spec.PeerTarget:F1}x); " +
                          $"/ raw loop = {torchRow.Seconds / rawRow.Seconds:F2}x");
    if (peerSeconds.Count == fitSeconds.Count && peerSeconds.Count > 1)
    {
        var ratios = peerSeconds.Zip(fitSeconds).Skip(1).Select(p => p.First / p.Second).Order().ToArray();
        Console.WriteLine($"- Interleaved rounds (PyTorch at its default threads, one epoch in a fresh process after each Fit and raw epoch): " +
                          $"PyTorch time / Fit time per round = median {Median(ratios):F2}x, range {ratios[0]:F2}x-{ratios[^1]:F2}x " +
                          $"over {ratios.Length} rounds (target >= {spec.PeerTarget:F1}x)");
    }
    Console.WriteLine($"- Evaluate is {results[0].Seconds / results[2].Seconds:F1}x and Predict {results[0].Seconds / results[3].Seconds:F1}x " +
                      "the samples per second of training (target >= 3x)");
    Console.WriteLine($"- Live native tensors after the warm-up epoch: {liveAfterWarmUp}; after the last epoch: {liveAtEnd} (flat = no leak)");
}
if (options.SoakEpochs > 0)
    MemorySoak.Run(ModelSpec.For("mlp"), xTrain, yTrain, options.SoakEpochs);
Console.WriteLine();
Console.WriteLine($"Peak working set of this process: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MiB");

internal sealed record Row(string Name, double Seconds, long Samples, double? Accuracy);

internal static class Peer
{
    public static Row? Run(BenchOptions options, string kind, string dataDir, int threads, int epochs)
    {
        string peer = options.Peer ?? Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/peer/torch_peer.py"));
        if (!File.Exists(peer)) { Console.Error.WriteLine($"PyTorch peer not found at {peer}; skipped (use --peer PATH)."); return null; }
        var start = new ProcessStartInfo(options.Python,
            [peer, "--model", kind, "--epochs", epochs.ToString(), "--data", dataDir, "--threads", threads.ToString()])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var line = output.Split('\n').FirstOrDefault(l => l.TrimStart().StartsWith('{'));
        if (process.ExitCode != 0 || line is null) { Console.Error.WriteLine($"PyTorch peer failed ({process.ExitCode}): {errors}"); return null; }
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        // For the table the peer trains as many epochs as Fit does in total (warm-up included), so the test accuracies
        // compare equal training; its time is the mean over all of them (PyTorch's first epoch costs about the same as later ones).
        double seconds = root.GetProperty("train_s").GetDouble() / epochs;
        return new Row($"PyTorch {root.GetProperty("torch").GetString()} peer, {root.GetProperty("threads").GetInt32()} threads" +
                       $"{(threads == 0 ? " (its default)" : "")}, mean of {epochs} epochs",
            seconds, (long)Math.Round(root.GetProperty("samples_per_s").GetDouble() * seconds), root.GetProperty("test_acc").GetDouble());
    }
}

internal sealed record BenchOptions(string? Data, int Epochs, string? Peer, string Python, bool NoPeer, int Verbose, string[] Models, int SoakEpochs, int Threads, bool Anatomy, string Device, bool Functional = false,
    bool GraphCost = false, int? Steps = null, int ImageSize = 32, bool Control = false, bool MetricCost = false, string? Policy = null, bool DataParallel = false)
{
    public static BenchOptions Parse(string[] args)
    {
        string? data = null, peer = null;
        string python = "/usr/bin/python3", device = "cpu";
        int epochs = 3, verbose = 1, soak = 0, threads = 0, imageSize = 32;
        int? steps = null;
        bool noPeer = false, anatomy = false, functional = false, graphCost = false, control = false, metricCost = false, dataParallel = false;
        string? policy = null;
        string[] models = ["mlp", "cnn"];
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--data": data = Value(); break;
                case "--epochs": epochs = int.Parse(Value()); break;
                case "--peer": peer = Value(); break;
                case "--python": python = Value(); break;
                case "--no-peer": noPeer = true; break;
                case "--anatomy": anatomy = true; break;
                case "--functional": functional = true; break;   // the same network as new Model(inputs, outputs)
                case "--graph-cost": graphCost = true; break;  // functional vs the same network without a graph, alternating
                case "--control": control = true; break;        // with --graph-cost: functional against functional
                case "--policy": policy = new DTypePolicy(Value()).Name; break;   // a dtype policy against float32, alternating
                case "--metric-cost": metricCost = true; break;  // the MLP with and without AUC, Precision, Recall
                case "--data-parallel": dataParallel = true; break;  // Fit under DataParallel (mpirun or not): samples/s, allreduce cost
                case "--steps": steps = int.Parse(Value()); break;
                case "--image-size": imageSize = int.Parse(Value()); break;
                case "--device": device = Value(); break;
                case "--verbose": verbose = int.Parse(Value()); break;
                case "--soak": soak = int.Parse(Value()); break;
                case "--threads": threads = int.Parse(Value()); break;
                case "--model":
                    models = Value() switch
                    {
                        "both" => ["mlp", "cnn"],
                        "convnet" => ["cnn"],
                        var m and ("mlp" or "cnn" or "xception") => [m],
                        var m => throw new ArgumentException($"Unknown model '{m}'; use mlp, cnn (or convnet), xception or both."),
                    };
                    break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'.");
            }
        }
        if (models.Contains("xception") && !graphCost)
            throw new ArgumentException("--model xception is measured only with --graph-cost (it has no raw loop or PyTorch peer here).");
        if (steps is <= 0 || imageSize <= 0)
            throw new ArgumentException($"--steps and --image-size must be positive; got {steps} and {imageSize}.");
        return new BenchOptions(data, epochs, peer, python, noPeer, verbose, models, soak, threads, anatomy, device, functional, graphCost, steps, imageSize, control, metricCost, policy, dataParallel);
    }
}
