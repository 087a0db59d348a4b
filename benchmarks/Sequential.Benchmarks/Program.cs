// Speed harness: the same model and data, three ways, in one run on one machine:
//   1. Sequential's Fit (progress bar and accuracy metric on),
//   2. a hand-written TorchSharp loop doing the same work (same init, optimizer, loss, accuracy on the device),
//   3. the PyTorch peer (../shared/peer/torch_peer.py) as a child process.
// Usage: dotnet run -c Release --project benchmarks/Sequential.Benchmarks -- [--data DIR] [--epochs N]
//        [--peer PATH] [--python PATH] [--no-peer]
// Prints a Markdown table for docs/benchmarks.md.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Sequential;
using Sequential.Callbacks;
using Sequential.Data;
using Sequential.Layers;
using Sequential.Losses;
using TorchSharp;
using static TorchSharp.torch;

var options = BenchOptions.Parse(args);
Backend.EnsureNativeLoaded();
var ((xTrainRaw, yTrain), (xTestRaw, yTest)) = FashionMnist.LoadData(out string source, options.Data);
var xTrain = xTrainRaw.to_type(ScalarType.Float32) / 255f;
var xTest = xTestRaw.to_type(ScalarType.Float32) / 255f;
Console.Error.WriteLine($"Fashion-MNIST from {source}; {xTrain.shape[0]} train, {xTest.shape[0]} test; threads {get_num_threads()}");

var results = new List<Row>();

// --- 1. Sequential Fit -------------------------------------------------------------------------------
{
    RandomSeed.Set(0);
    var model = new SequentialModel(new Flatten(inputShape: [28, 28]), new Dense(128, activation: "relu"), new Dense(10));
    model.Compile(optimizer: "adam", loss: new SparseCategoricalCrossentropy(fromLogits: true), metrics: ["accuracy"], device: "cpu");
    var timer = new EpochTimer();
    model.Fit(xTrain, yTrain, batchSize: 32, epochs: options.Epochs + 1, verbose: 1, callbacks: [timer]);
    double accuracy = model.Evaluate(xTest, yTest, batchSize: 1000, verbose: 0)["accuracy"];
    results.Add(new Row("Sequential Fit", timer.MedianAfterWarmUp(), xTrain.shape[0], accuracy));

    // Evaluate and Predict throughput on the same model.
    var sw = Stopwatch.StartNew();
    model.Evaluate(xTrain, yTrain, batchSize: 32, verbose: 0);
    double evaluateSeconds = sw.Elapsed.TotalSeconds;
    sw.Restart();
    using (NewDisposeScope()) model.Predict(xTrain, batchSize: 32, verbose: 0);
    double predictSeconds = sw.Elapsed.TotalSeconds;
    results.Add(new Row("Sequential Evaluate (batch 32)", evaluateSeconds, xTrain.shape[0], null));
    results.Add(new Row("Sequential Predict (batch 32)", predictSeconds, xTrain.shape[0], null));
}

// --- 2. hand-written TorchSharp loop -----------------------------------------------------------------
{
    RandomSeed.Set(0);
    var net = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10));
    // Keras's initialisation (glorot_uniform kernels, zero biases), so both runs do the same arithmetic.
    using (no_grad())
    {
        foreach (var (name, p) in net.named_parameters())
        {
            if (name.EndsWith("weight")) { double limit = Math.Sqrt(6.0 / (p.shape[0] + p.shape[1])); p.uniform_(-limit, limit); }
            else p.zero_();
        }
    }
    var optimizer = optim.Adam(net.parameters(), 1e-3, 0.9, 0.999, 1e-7);
    long n = xTrain.shape[0];
    var epochSeconds = new List<double>();
    for (int epoch = 0; epoch < options.Epochs + 1; epoch++)
    {
        var sw = Stopwatch.StartNew();
        net.train();
        using var epochScope = NewDisposeScope();
        var perm = randperm(n);
        var lossSum = zeros(1, ScalarType.Float64);
        var correct = zeros(1, ScalarType.Int64);
        for (long start = 0; start < n; start += 32)
        {
            using var batchScope = NewDisposeScope();
            var index = perm.narrow(0, start, Math.Min(32, n - start));
            var x = xTrain.index_select(0, index);
            var y = yTrain.index_select(0, index);
            optimizer.zero_grad();
            var logits = net.call(x);
            var loss = nn.functional.cross_entropy(logits, y);
            loss.backward();
            optimizer.step();
            using (no_grad())
            {
                lossSum.add_(loss.detach() * x.shape[0]);
                correct.add_(logits.argmax(1).eq(y).sum());
            }
        }
        _ = lossSum.item<double>() / n + correct.item<long>(); // the epoch's one read, as Fit does
        epochSeconds.Add(sw.Elapsed.TotalSeconds);
    }
    net.eval();
    double accuracy;
    using (no_grad()) using (NewDisposeScope())
        accuracy = net.call(xTest).argmax(1).eq(yTest).sum().item<long>() / (double)xTest.shape[0];
    results.Add(new Row("raw TorchSharp loop", Median(epochSeconds.Skip(1)), xTrain.shape[0], accuracy));
}

// --- 3. PyTorch peer ---------------------------------------------------------------------------------
if (!options.NoPeer)
{
    var peer = RunPeer(options, source);
    if (peer is not null) results.Add(peer);
}

var fit = results.First(r => r.Name == "Sequential Fit");
var raw = results.First(r => r.Name == "raw TorchSharp loop");
Console.WriteLine();
Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}, TorchSharp threads {get_num_threads()}");
Console.WriteLine($"Peak working set of this process: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MiB");
Console.WriteLine();
Console.WriteLine("| run | s/epoch (median) | samples/s | test accuracy | vs raw loop |");
Console.WriteLine("|---|---:|---:|---:|---:|");
foreach (var r in results)
    Console.WriteLine($"| {r.Name} | {r.Seconds:F3} | {r.Samples / r.Seconds:F0} | {(r.Accuracy is { } a ? a.ToString("F4", CultureInfo.InvariantCulture) : "")} | {(r.Accuracy is null ? "" : (r.Seconds / raw.Seconds).ToString("F3", CultureInfo.InvariantCulture))} |");
Console.WriteLine();
Console.WriteLine($"Fit / raw loop = {fit.Seconds / raw.Seconds:F3} (target <= 1.05)");
var torchRow = results.FirstOrDefault(r => r.Name.StartsWith("PyTorch", StringComparison.Ordinal));
if (torchRow is not null) Console.WriteLine($"PyTorch / Fit = {torchRow.Seconds / fit.Seconds:F2}x (target >= 2.5x); PyTorch / raw = {torchRow.Seconds / raw.Seconds:F2}x");

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

static Row? RunPeer(BenchOptions options, string dataDir)
{
    string peer = options.Peer ?? Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/peer/torch_peer.py"));
    if (!File.Exists(peer)) { Console.Error.WriteLine($"PyTorch peer not found at {peer}; skipped (use --peer PATH)."); return null; }
    var start = new ProcessStartInfo(options.Python, [peer, "--model", "mlp", "--epochs", options.Epochs.ToString(), "--data", dataDir])
    { RedirectStandardOutput = true, RedirectStandardError = true };
    using var process = Process.Start(start)!;
    string output = process.StandardOutput.ReadToEnd();
    string errors = process.StandardError.ReadToEnd();
    process.WaitForExit();
    var line = output.Split('\n').FirstOrDefault(l => l.TrimStart().StartsWith('{'));
    if (process.ExitCode != 0 || line is null) { Console.Error.WriteLine($"PyTorch peer failed ({process.ExitCode}): {errors}"); return null; }
    using var json = JsonDocument.Parse(line);
    var root = json.RootElement;
    double seconds = root.GetProperty("train_s").GetDouble() / options.Epochs;
    string version = root.GetProperty("torch").GetString() ?? "?";
    return new Row($"PyTorch {version} peer ({root.GetProperty("threads").GetInt32()} threads, mean of {options.Epochs} epochs)",
        seconds, (long)(root.GetProperty("samples_per_s").GetDouble() * seconds), root.GetProperty("test_acc").GetDouble());
}

internal sealed record Row(string Name, double Seconds, long Samples, double? Accuracy);

/// <summary>Times each epoch of Fit from OnEpochBegin to OnEpochEnd.</summary>
internal sealed class EpochTimer : Callback
{
    private readonly Stopwatch _clock = new();
    public List<double> Seconds { get; } = [];
    public override void OnEpochBegin(int epoch, IReadOnlyDictionary<string, double> logs) => _clock.Restart();
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs) => Seconds.Add(_clock.Elapsed.TotalSeconds);
    public double MedianAfterWarmUp()
    {
        var sorted = Seconds.Skip(1).Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

internal sealed record BenchOptions(string? Data, int Epochs, string? Peer, string Python, bool NoPeer)
{
    public static BenchOptions Parse(string[] args)
    {
        string? data = null, peer = null;
        string python = "/usr/bin/python3";
        int epochs = 3;
        bool noPeer = false;
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
                default: throw new ArgumentException($"Unknown option '{args[i]}'.");
            }
        }
        return new BenchOptions(data, epochs, peer, python, noPeer);
    }
}
