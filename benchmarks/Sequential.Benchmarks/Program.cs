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

// --- 1 and 2, interleaved: one Fit epoch, then one raw-loop epoch, repeated, so that load on the machine
// affects both alike. The first round of each is a warm-up; the table shows the median of the rest.
RandomSeed.Set(0);
var model = new SequentialModel(new Flatten(inputShape: [28, 28]), new Dense(128, activation: "relu"), new Dense(10));
model.Compile(optimizer: "adam", loss: new SparseCategoricalCrossentropy(fromLogits: true), metrics: ["accuracy"], device: "cpu");
var raw = new RawLoop(xTrain, yTrain);
var fitSeconds = new List<double>();
var rawSeconds = new List<double>();
for (int round = 0; round <= options.Epochs; round++)
{
    var timer = new EpochTimer();
    model.Fit(xTrain, yTrain, batchSize: 32, epochs: round + 1, initialEpoch: round, verbose: options.Verbose, callbacks: [timer]);
    fitSeconds.Add(timer.Seconds[0]);
    rawSeconds.Add(raw.Epoch());
}
double fitAccuracy = model.Evaluate(xTest, yTest, batchSize: 1000, verbose: 0)["accuracy"];
results.Add(new Row("Sequential Fit", Median(fitSeconds.Skip(1)), xTrain.shape[0], fitAccuracy));
results.Add(new Row("raw TorchSharp loop", Median(rawSeconds.Skip(1)), xTrain.shape[0], raw.TestAccuracy(xTest, yTest)));
{
    // Evaluate and Predict throughput on the trained model.
    var sw = Stopwatch.StartNew();
    model.Evaluate(xTrain, yTrain, batchSize: 32, verbose: 0);
    double evaluateSeconds = sw.Elapsed.TotalSeconds;
    sw.Restart();
    using (NewDisposeScope()) model.Predict(xTrain, batchSize: 32, verbose: 0);
    double predictSeconds = sw.Elapsed.TotalSeconds;
    results.Add(new Row("Sequential Evaluate (batch 32)", evaluateSeconds, xTrain.shape[0], null));
    results.Add(new Row("Sequential Predict (batch 32)", predictSeconds, xTrain.shape[0], null));
}

// --- 3. PyTorch peer ---------------------------------------------------------------------------------
if (!options.NoPeer)
{
    // As shipped (PyTorch picks its own thread count), and with TorchSharp's thread count, so neither side is handicapped.
    foreach (int threads in new[] { 0, get_num_threads() })
    {
        var peer = RunPeer(options, source, threads);
        if (peer is not null) results.Add(peer);
    }
}

var fit = results.First(r => r.Name == "Sequential Fit");
var rawRow = results.First(r => r.Name == "raw TorchSharp loop");
Console.WriteLine();
Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}, TorchSharp threads {get_num_threads()}");
Console.WriteLine($"Peak working set of this process: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MiB");
Console.WriteLine();
Console.WriteLine("| run | s/epoch (median) | samples/s | test accuracy | vs raw loop |");
Console.WriteLine("|---|---:|---:|---:|---:|");
foreach (var r in results)
    Console.WriteLine($"| {r.Name} | {r.Seconds:F3} | {r.Samples / r.Seconds:F0} | {(r.Accuracy is { } a ? a.ToString("F4", CultureInfo.InvariantCulture) : "")} | {(r.Accuracy is null ? "" : (r.Seconds / rawRow.Seconds).ToString("F3", CultureInfo.InvariantCulture))} |");
Console.WriteLine();
Console.WriteLine($"Fit / raw loop = {fit.Seconds / rawRow.Seconds:F3} (target <= 1.05)");
foreach (var torchRow in results.Where(r => r.Name.StartsWith("PyTorch", StringComparison.Ordinal)))
    Console.WriteLine($"{torchRow.Name}: PyTorch / Fit = {torchRow.Seconds / fit.Seconds:F2}x (target >= 2.5x); PyTorch / raw = {torchRow.Seconds / rawRow.Seconds:F2}x");

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

static Row? RunPeer(BenchOptions options, string dataDir, int threads)
{
    string peer = options.Peer ?? Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/peer/torch_peer.py"));
    if (!File.Exists(peer)) { Console.Error.WriteLine($"PyTorch peer not found at {peer}; skipped (use --peer PATH)."); return null; }
    var start = new ProcessStartInfo(options.Python, [peer, "--model", "mlp", "--epochs", options.Epochs.ToString(), "--data", dataDir, "--threads", threads.ToString()])
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
    return new Row($"PyTorch {version} peer ({root.GetProperty("threads").GetInt32()} threads{(threads == 0 ? ", its default" : "")}, mean of {options.Epochs} epochs)",
        seconds, (long)(root.GetProperty("samples_per_s").GetDouble() * seconds), root.GetProperty("test_acc").GetDouble());
}

/// <summary>
/// The hand-written TorchSharp loop: the same model, Keras's initialisation (glorot_uniform kernels, zero biases),
/// Adam with Keras's epsilon, the same shuffling, and the loss and accuracy accumulated on the device, read once per epoch.
/// </summary>
internal sealed class RawLoop
{
    private readonly Tensor _x, _y;
    private readonly TorchSharp.Modules.Sequential _net;
    private readonly optim.Optimizer _optimizer;

    public RawLoop(Tensor x, Tensor y)
    {
        (_x, _y) = (x, y);
        RandomSeed.Set(0);
        _net = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10));
        using (no_grad())
        {
            foreach (var (name, p) in _net.named_parameters())
            {
                if (name.EndsWith("weight")) { double limit = Math.Sqrt(6.0 / (p.shape[0] + p.shape[1])); p.uniform_(-limit, limit); }
                else p.zero_();
            }
        }
        _optimizer = optim.Adam(_net.parameters(), 1e-3, 0.9, 0.999, 1e-7);
    }

    public double Epoch()
    {
        var sw = Stopwatch.StartNew();
        long n = _x.shape[0];
        _net.train();
        using var epochScope = NewDisposeScope();
        var perm = randperm(n);
        var lossSum = zeros([], ScalarType.Float64);
        var correct = zeros([], ScalarType.Int64);
        for (long start = 0; start < n; start += 32)
        {
            using var batchScope = NewDisposeScope();
            var index = perm.narrow(0, start, Math.Min(32, n - start));
            var x = _x.index_select(0, index);
            var y = _y.index_select(0, index);
            _optimizer.zero_grad();
            var logits = _net.call(x);
            var loss = nn.functional.cross_entropy(logits, y);
            loss.backward();
            _optimizer.step();
            using (no_grad())
            {
                lossSum.add_(loss.detach(), alpha: x.shape[0]);
                correct.add_(logits.argmax(1).eq(y).sum());
            }
        }
        _ = lossSum.item<double>() / n + correct.item<long>(); // the epoch's one read, as Fit does
        return sw.Elapsed.TotalSeconds;
    }

    public double TestAccuracy(Tensor xTest, Tensor yTest)
    {
        _net.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        return _net.call(xTest).argmax(1).eq(yTest).sum().item<long>() / (double)xTest.shape[0];
    }
}

internal sealed record Row(string Name, double Seconds, long Samples, double? Accuracy);

/// <summary>Times each epoch of Fit from OnEpochBegin to OnEpochEnd.</summary>
internal sealed class EpochTimer : Callback
{
    private readonly Stopwatch _clock = new();
    public List<double> Seconds { get; } = [];
    public override void OnEpochBegin(int epoch, IReadOnlyDictionary<string, double> logs) => _clock.Restart();
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs) => Seconds.Add(_clock.Elapsed.TotalSeconds);
}

internal sealed record BenchOptions(string? Data, int Epochs, string? Peer, string Python, bool NoPeer, int Verbose)
{
    public static BenchOptions Parse(string[] args)
    {
        string? data = null, peer = null;
        string python = "/usr/bin/python3";
        int epochs = 3;
        bool noPeer = false;
        int verbose = 1;
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
                case "--verbose": verbose = int.Parse(Value()); break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'.");
            }
        }
        return new BenchOptions(data, epochs, peer, python, noPeer, verbose);
    }
}
