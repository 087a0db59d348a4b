// LSTM classifier of IMDB size (issue 13 part 3): Embedding(20000, 128) -> LSTM(64) -> Dense(1, sigmoid), sequences of
// 200 random ids, batch 32, Adam, binary cross-entropy. One epoch of Fit against a hand-written TorchSharp loop over
// nn.Embedding + nn.LSTM + nn.Linear doing the same work, at the same thread count; the PyTorch peer is
// benchmarks/RecurrentImdb/peer_lstm_imdb.py. Variants alternate, REPEATS rounds after a warm-up; medians and bests.
// "step" runs the layer's step loop (recurrentActivation hard_sigmoid has no fused kernel) to show what the kernel buys.
// Usage: dotnet run -c Release --project benchmarks/RecurrentImdb [-- REPEATS [SAMPLES [THREADS]]] [--layer lstm|gru|conv1d]
//        [--no-step] [--soak EPOCHS]
// --layer gru: GRU(64) (Keras's resetAfter, libtorch's nn.GRU in the raw loop); conv1d: the text model of keras.io's
//   "Text classification from scratch" (Dropout(0.5), Conv1D(128, 7, strides 3, relu) twice, GlobalMaxPooling1D) against
//   nn.Conv1d layers. --soak N: one Fit of N epochs of the chosen model, resident memory and live tensors per epoch.
using System.Diagnostics;
using Sequential;
using Sequential.Layers;
using TorchSharp;
using static TorchSharp.torch;

int repeats = args.Length > 0 ? int.Parse(args[0]) : 3;
int samples = args.Length > 1 ? int.Parse(args[1]) : 1600;
int threads = args.Length > 2 && int.TryParse(args[2], out int t) ? t : 2;
string layer = args.SkipWhile(a => a != "--layer").Skip(1).FirstOrDefault() ?? "lstm";
if (layer is not ("lstm" or "gru" or "conv1d")) throw new ArgumentException($"--layer lstm, gru or conv1d; got {layer}.");
Backend.EnsureNativeLoaded();
torch.set_num_threads(threads);
torch.manual_seed(1);
var x = randint(1, 20000, [samples, 200], dtype: ScalarType.Int64);
var y = randint(0, 2, [samples, 1]).to(ScalarType.Float32);
Console.WriteLine($"{samples} sequences of 200 ids, Embedding 20000x128, {layer}, batch 32, torch threads {torch.get_num_threads()}");

SequentialModel Model(string recurrentActivation) => layer switch
{
    "gru" => new SequentialModel(new Embedding(20000, 128, inputShape: [200]), new GRU(64, recurrentActivation: recurrentActivation),
        new Dense(1, activation: "sigmoid")),
    "conv1d" => new SequentialModel(new Embedding(20000, 128, inputShape: [200]), new Dropout(0.5),
        new Conv1D(128, 7, padding: "valid", activation: "relu", strides: 3), new Conv1D(128, 7, padding: "valid", activation: "relu", strides: 3),
        new GlobalMaxPooling1D(), new Dense(1, activation: "sigmoid")),
    _ => new SequentialModel(new Embedding(20000, 128, inputShape: [200]), new LSTM(64, recurrentActivation: recurrentActivation),
        new Dense(1, activation: "sigmoid")),
};

if (args.SkipWhile(a => a != "--soak").Skip(1).FirstOrDefault() is { } soakText)
{
    int epochs = int.Parse(soakText);
    RandomSeed.Set(1);
    var model = Model("sigmoid");
    model.Compile(optimizer: "adam", loss: "binary_crossentropy", device: "cpu");
    Console.WriteLine("| epoch | s | resident MiB | live tensors |");
    Console.WriteLine("|---:|---:|---:|---:|");
    var soak = new Sequential.Callbacks.LambdaCallback(onEpochEnd: (epoch, _) =>
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        Console.WriteLine($"| {epoch + 1} | {soakClock!.Elapsed.TotalSeconds:F2} | {process.WorkingSet64 / (1024 * 1024)} | " +
                          $"{TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount} |");
        soakClock.Restart();
    });
    soakClock = Stopwatch.StartNew();
    model.Fit(x, y, batchSize: 32, epochs: epochs, shuffle: false, verbose: 0, callbacks: [soak]);
    return;
}

double FitEpoch(string recurrentActivation)
{
    RandomSeed.Set(1);
    var model = Model(recurrentActivation);
    model.Compile(optimizer: "adam", loss: "binary_crossentropy", device: "cpu");
    var clock = Stopwatch.StartNew();
    model.Fit(x, y, batchSize: 32, epochs: 1, shuffle: false, verbose: 0);
    return clock.Elapsed.TotalSeconds;
}

double RawEpoch()
{
    torch.manual_seed(1);
    var embedding = nn.Embedding(20000, 128);
    var lstm = nn.LSTM(128, 64, batchFirst: true);
    var gru = nn.GRU(128, 64, batchFirst: true);
    var conv1 = nn.Conv1d(128, 128, 7, stride: 3);
    var conv2 = nn.Conv1d(128, 128, 7, stride: 3);
    var dropout = nn.Dropout(0.5);
    var dense = nn.Linear(layer == "conv1d" ? 128 : 64, 1);
    var parameters = embedding.parameters().Concat(dense.parameters())
        .Concat(layer == "gru" ? gru.parameters() : layer == "conv1d" ? conv1.parameters().Concat(conv2.parameters()) : lstm.parameters()).ToList();
    var optimizer = optim.Adam(parameters, lr: 1e-3);
    var clock = Stopwatch.StartNew();
    for (int start = 0; start < samples; start += 32)
    {
        using var scope = NewDisposeScope();
        int end = Math.Min(samples, start + 32);
        optimizer.zero_grad();
        var embedded = embedding.call(x[start..end]);
        Tensor features;
        if (layer == "conv1d")
        {
            var h = nn.functional.relu(conv1.call(dropout.call(embedded).transpose(1, 2)));
            features = nn.functional.relu(conv2.call(h)).amax([2]);
        }
        else features = (layer == "gru" ? gru.call(embedded).Item1 : lstm.call(embedded).Item1).select(1, -1);
        var p = sigmoid(dense.call(features));
        var loss = nn.functional.binary_cross_entropy(p, y[start..end]);
        loss.backward();
        optimizer.step();
    }
    return clock.Elapsed.TotalSeconds;
}

if (args.Contains("--trace"))
{
    Console.WriteLine($"fit {FitEpoch("sigmoid"):F2} s");
    Console.WriteLine($"raw {RawEpoch():F2} s");
    Console.WriteLine($"step {FitEpoch("hard_sigmoid"):F2} s");
    return;
}
FitEpoch("sigmoid");
RawEpoch();
var fused = new List<double>();
var raw = new List<double>();
var step = new List<double>();
for (int round = 0; round < repeats; round++)
{
    fused.Add(FitEpoch("sigmoid"));
    raw.Add(RawEpoch());
    if (!args.Contains("--no-step") && layer != "conv1d") step.Add(FitEpoch("hard_sigmoid"));
}
double Median(List<double> v) => v.Order().ElementAt(v.Count / 2);
Console.WriteLine($"Fit ({layer}, fused) : median {Median(fused):F2} s, best {fused.Min():F2} s  [{string.Join(" ", fused.Select(v => v.ToString("F2")))}]");
Console.WriteLine($"raw TorchSharp    : median {Median(raw):F2} s, best {raw.Min():F2} s  [{string.Join(" ", raw.Select(v => v.ToString("F2")))}]");
if (step.Count > 0)
    Console.WriteLine($"Fit (step loop)   : median {Median(step):F2} s, best {step.Min():F2} s  [{string.Join(" ", step.Select(v => v.ToString("F2")))}]");
Console.WriteLine($"Fit / raw: median {Median(fused) / Median(raw):F3}, best-of {fused.Min() / raw.Min():F3}");

internal static partial class Program
{
    private static Stopwatch? soakClock;
}
