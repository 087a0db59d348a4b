// TextVectorization Adapt + transform of 100,000 documents vs scikit-learn's CountVectorizer (Debian's python3-sklearn)
// on the same documents, same run.
//
//   dotnet run -c Release --project benchmarks/TextVectorization -- [--docs 100000] [--rounds 3] [--max-tokens 20000]
//       [--length 200] [--batch 32] [--verses FILE] [--no-peer] [--python /usr/bin/python3]
//
// Corpus: the King James Bible (public domain), from Debian's bible-kjv-text through its reader, bible-kjv
// (`apt-get install bible-kjv bible-kjv-text`; `bible -f gen1:1-rev22:21` prints its 31,102 verses, one a line, after a
// reference such as "Ge1:1 "). Document i is verses 3i, 3i+1 and 3i+2 (modulo the verse count) joined by spaces: about
// 80 words (400 characters) each, 40 MB in all. They are written to a temp file that the Python peer reads, so both sides see
// the same text; neither side's timing includes reading it.
//
// Measured (wall and process CPU time, medians of the rounds; each round runs every variant once, ours and the peer alternating):
//   int:       new TextVectorization(maxTokens, outputSequenceLength: 200); Adapt(docs); Apply(docs) -> int64 [100000, 200]
//   multi_hot: new TextVectorization(maxTokens, outputMode: "multi_hot"); Adapt(docs); Apply per batch of 32 docs
//              (keras.io's batch size, as a Dataset Map would; dense float32 [32, vocabulary] each, disposed). With
//              --batch 1024 each output is 52 MB, above glibc's mmap threshold: every batch then pays for fresh
//              zeroed pages (about 5x the CPU of batch 32 here); the writing itself is the same.
//   peer:      CountVectorizer(...).fit(docs).transform(docs) and .fit_transform(docs) (sparse CSR counts), with its
//              default tokenizer and with Keras's tokens; see countvectorizer_peer.py.
using System.Diagnostics;
using System.Text.Json;
using Sequential;
using Sequential.Layers;
using static TorchSharp.torch;

int docsCount = 100_000, rounds = 3, maxTokens = 20_000, length = 200, batch = 32;
string? versesFile = null;
bool peer = true;
string python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--docs": docsCount = int.Parse(args[++i]); break;
        case "--rounds": rounds = int.Parse(args[++i]); break;
        case "--max-tokens": maxTokens = int.Parse(args[++i]); break;
        case "--length": length = int.Parse(args[++i]); break;
        case "--batch": batch = int.Parse(args[++i]); break;
        case "--verses": versesFile = args[++i]; break;
        case "--no-peer": peer = false; break;
        case "--python": python = args[++i]; break;
        default: Console.Error.WriteLine($"Unknown argument {args[i]}; see the comment at the top of Program.cs."); return 2;
    }
}

Backend.EnsureNativeLoaded();
string[] verses = ReadVerses(versesFile);
var docs = new string[docsCount];
for (int i = 0; i < docsCount; i++)
    docs[i] = string.Join(' ', Enumerable.Range(0, 3).Select(k => verses[(int)((3L * i + k) % verses.Length)]));
string docsPath = Path.Combine(Path.GetTempPath(), $"textvec-docs-{Environment.ProcessId}.txt");
File.WriteAllText(docsPath, string.Join('\n', docs) + "\n");
Console.WriteLine($"{docs.Length:N0} documents from {verses.Length:N0} KJV verses, {docs.Sum(d => (long)d.Length):N0} characters; " +
    $"{Environment.ProcessorCount} cores; maxTokens {maxTokens}, outputSequenceLength {length}, multi_hot batch {batch}");

// Wall and CPU seconds per variant: the machine may be shared, and both sides run on one thread, so CPU time is the
// steadier comparison; wall time is what a user waits.
var times = new Dictionary<string, List<(double Wall, double Cpu)>>();
void Record(string name, double wall, double cpu) => (times.TryGetValue(name, out var l) ? l : times[name] = []).Add((wall, cpu));
var process = Process.GetCurrentProcess();
(Stopwatch, TimeSpan) Start() { process.Refresh(); return (Stopwatch.StartNew(), process.TotalProcessorTime); }
void Stop(string name, (Stopwatch Watch, TimeSpan Cpu) start)
{
    process.Refresh();
    Record(name, start.Watch.Elapsed.TotalSeconds, (process.TotalProcessorTime - start.Cpu).TotalSeconds);
}
int vocabulary = 0;
long checksum = 0;

// Warm-up: JIT and libtorch on a small slice (not recorded).
RunInt(docs[..2000], phases: false);
RunMultiHot(docs[..2000], phases: false);

for (int round = 0; round < rounds; round++)
{
    var start = Start();
    checksum = RunInt(docs);
    Stop($"TextVectorization int: Adapt + Apply -> [N, {length}]", start);
    start = Start();
    vocabulary = RunMultiHot(docs);
    Stop($"TextVectorization multi_hot: Adapt + Apply per {batch}", start);
    if (peer)
    {
        var psi = new ProcessStartInfo(python, $"\"{Path.Combine(AppContext.BaseDirectory, "countvectorizer_peer.py")}\" \"{docsPath}\" --rounds 1 --max-tokens {maxTokens}")
        { RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        while (p.StandardOutput.ReadLine() is { } line)
        {
            using var json = JsonDocument.Parse(line);
            var name = json.RootElement.GetProperty("name").GetString()!;
            if (json.RootElement.TryGetProperty("seconds", out var s)) Record(name, s.GetDouble(), json.RootElement.GetProperty("cpu").GetDouble());
            else if (round == 0) Console.WriteLine($"peer: {line}");
        }
        p.WaitForExit();
        if (p.ExitCode != 0) { Console.Error.WriteLine($"The peer failed (exit {p.ExitCode}); is python3-sklearn installed?"); return 1; }
    }
}
File.Delete(docsPath);

Console.WriteLine($"TextVectorization: {vocabulary:N0} entries in the multi_hot vocabulary (with [UNK]); int ids checksum {checksum}");
Console.WriteLine();
Console.WriteLine($"{"variant",-60} {"wall s (median)",16} {"CPU s (median)",15}   (rounds: {rounds})");
foreach (var (name, list) in times)
{
    double Median(IEnumerable<double> v) { var o = v.Order().ToList(); return o[o.Count / 2]; }
    Console.WriteLine($"{name,-60} {Median(list.Select(t => t.Wall)),16:F3} {Median(list.Select(t => t.Cpu)),15:F3}");
}
return 0;

long RunInt(string[] texts, bool phases = true)
{
    var layer = new TextVectorization(maxTokens: maxTokens, outputSequenceLength: length);
    var start = Start();
    layer.Adapt(texts);
    if (phases) Stop("  of which Adapt", start);
    start = Start();
    using var ids = layer.Apply(texts);
    if (phases) Stop($"  of which Apply int -> [N, {length}]", start);
    using var sum = ids.sum();
    return sum.item<long>();
}

int RunMultiHot(string[] texts, bool phases = true)
{
    var layer = new TextVectorization(maxTokens: maxTokens, outputMode: "multi_hot");
    layer.Adapt(texts);
    var start = Start();
    for (int first = 0; first < texts.Length; first += batch)
    {
        using var hot = layer.Apply(texts[first..Math.Min(texts.Length, first + batch)]);
    }
    if (phases) Stop($"  of which Apply multi_hot per {batch}", start);
    return layer.VocabularySize();
}

static string[] ReadVerses(string? file)
{
    string text;
    if (file is not null) text = File.ReadAllText(file);
    else
    {
        var psi = new ProcessStartInfo("bible", "-f gen1:1-rev22:21") { RedirectStandardOutput = true };
        try
        {
            using var p = Process.Start(psi)!;
            text = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("The corpus comes from Debian's bible-kjv: apt-get install bible-kjv bible-kjv-text (or pass --verses FILE).");
        }
    }
    // "Ge1:1 In the beginning ..." -> the verse without its reference.
    return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line[(line.IndexOf(' ') + 1)..])];
}
