// LSTM classifier of IMDB size (issue 13 part 3): Embedding(20000, 128) -> LSTM(64) -> Dense(1, sigmoid), sequences of
// 200 random ids, batch 32, Adam, binary cross-entropy. One epoch of Fit against a hand-written TorchSharp loop over
// nn.Embedding + nn.LSTM + nn.Linear doing the same work, at the same thread count; the PyTorch peer is
// benchmarks/RecurrentImdb/peer_lstm_imdb.py. Variants alternate, REPEATS rounds after a warm-up; medians and bests.
// "step" runs the layer's step loop (recurrentActivation hard_sigmoid has no fused kernel) to show what the kernel buys.
// Usage: dotnet run -c Release --project benchmarks/RecurrentImdb [-- REPEATS [SAMPLES [THREADS]]]
using System.Diagnostics;
using Sequential;
using Sequential.Layers;
using TorchSharp;
using static TorchSharp.torch;

int repeats = args.Length > 0 ? int.Parse(args[0]) : 3;
int samples = args.Length > 1 ? int.Parse(args[1]) : 1600;
int threads = args.Length > 2 ? int.Parse(args[2]) : 2;
Backend.EnsureNativeLoaded();
torch.set_num_threads(threads);
torch.manual_seed(1);
var x = randint(1, 20000, [samples, 200], dtype: ScalarType.Int64);
var y = randint(0, 2, [samples, 1]).to(ScalarType.Float32);
Console.WriteLine($"{samples} sequences of 200 ids, Embedding 20000x128, LSTM 64, batch 32, torch threads {torch.get_num_threads()}");

double FitEpoch(string recurrentActivation)
{
    RandomSeed.Set(1);
    var model = new SequentialModel(new Embedding(20000, 128, inputShape: [200]), new LSTM(64, recurrentActivation: recurrentActivation),
        new Dense(1, activation: "sigmoid"));
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
    var dense = nn.Linear(64, 1);
    var parameters = embedding.parameters().Concat(lstm.parameters()).Concat(dense.parameters()).ToList();
    var optimizer = optim.Adam(parameters, lr: 1e-3);
    var clock = Stopwatch.StartNew();
    for (int start = 0; start < samples; start += 32)
    {
        using var scope = NewDisposeScope();
        int end = Math.Min(samples, start + 32);
        optimizer.zero_grad();
        var (sequence, _, _) = lstm.call(embedding.call(x[start..end]));
        var p = sigmoid(dense.call(sequence.select(1, -1)));
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
    if (!args.Contains("--no-step")) step.Add(FitEpoch("hard_sigmoid"));
}
double Median(List<double> v) => v.Order().ElementAt(v.Count / 2);
Console.WriteLine($"Fit (fused LSTM)  : median {Median(fused):F2} s, best {fused.Min():F2} s  [{string.Join(" ", fused.Select(v => v.ToString("F2")))}]");
Console.WriteLine($"raw TorchSharp    : median {Median(raw):F2} s, best {raw.Min():F2} s  [{string.Join(" ", raw.Select(v => v.ToString("F2")))}]");
if (step.Count > 0)
    Console.WriteLine($"Fit (step loop)   : median {Median(step):F2} s, best {step.Min():F2} s  [{string.Join(" ", step.Select(v => v.ToString("F2")))}]");
Console.WriteLine($"Fit / raw: median {Median(fused) / Median(raw):F3}, best-of {fused.Min() / raw.Min():F3}");
