// Image pipeline throughput: Sequential's DirectoryIterator vs torchvision's ImageFolder + DataLoader on the
// same JPEG files, same run. Decode, resize to 150x150, random horizontal flip, scale to [0, 1], batch 32.
//
//   dotnet run -c Release --project benchmarks/ImagePipeline -- [--dir DIR] [--images 2000] [--workers 1,2]
//       [--peer-workers 0,2] [--epochs 1] [--no-peer] [--python /usr/bin/python3] [--profile N] [--checksum]
//       [--decoder both|turbo|skia]
//
// Rows: FlowFromDirectory (nearest and bilinear) and ImageDatasetFromDirectory (bilinear, Keras 3's pipeline: decode at full
// size, tf.image.resize; its Map workers are Environment.ProcessorCount, so each worker count runs in a child process with
// DOTNET_PROCESSOR_COUNT), each with the JPEG decoder given by --decoder (turbo: the system's libjpeg-turbo when present;
// skia: SkiaSharp's, SEQUENTIAL_JPEG_DECODER=skia); then, same run, Keras's ImageDataGenerator (keras_idg_peer.py speed,
// --augment flip and keras), torchvision ImageFolder + DataLoader, and Pillow's per-stage limit (pillow_limit.py). CPU
// seconds are the process's (children included for the peers, through /usr/bin/time), so a shared machine's load shows
// in wall time but far less in CPU per image.
//
// --profile N: per-stage thread CPU on the first N files (and Pillow's, pillow_limit.py), then FlowFromDirectory's
// process CPU per image, --epochs rounds alternating the configurations. --checksum: SHA-256 of one unshuffled,
// unaugmented pass's pixels (nearest and bilinear), to show that a faster build gives the same numbers.
//
// Without --dir, 2,000 500x375 JPEGs (two class folders) are generated once into a temp folder.
using System.Diagnostics;
using System.Text.Json;
using Sequential;
using Sequential.Data;
using SkiaSharp;
using TorchSharp;

string? dir = null;
int images = 2000, epochs = 1, batch = 32, size = 150;
string workers = "1,2", peerWorkers = "0,2";
// Debian's python3 has torch and python3-torchvision; a pyenv python3 earlier on PATH usually has neither.
string python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
bool peer = true;
int profile = 0;
bool checksum = false;
string decoder = "both";
int idfdChild = 0;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--dir": dir = args[++i]; break;
        case "--images": images = int.Parse(args[++i]); break;
        case "--workers": workers = args[++i]; break;
        case "--peer-workers": peerWorkers = args[++i]; break;
        case "--epochs": epochs = int.Parse(args[++i]); break;
        case "--no-peer": peer = false; break;
        case "--python": python = args[++i]; break;
        case "--profile": profile = int.Parse(args[++i]); break;
        case "--checksum": checksum = true; break;
        case "--decoder": decoder = args[++i]; break;
        case "--idfd-child": idfdChild = int.Parse(args[++i]); break;
        default: Console.Error.WriteLine($"Unknown argument {args[i]}; see the comment at the top of Program.cs."); return 2;
    }
}

Backend.EnsureNativeLoaded();
dir ??= Generate(images);

if (checksum)
{
    // SHA-256 of every pixel of one unshuffled, unaugmented pass: to show a faster build gives the same numbers.
    foreach (var interpolation in new[] { "nearest", "bilinear" })
    {
        var it = new ImageDataGenerator(rescale: 1f / 255).FlowFromDirectory(dir, targetSize: (size, size), batchSize: batch,
            classMode: ClassMode.Binary, interpolation: interpolation, shuffle: false);
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var (x, y) in it)
        {
            sha.AppendData(x.bytes);
            x.Dispose();
            y.Dispose();
        }
        Console.WriteLine($"{interpolation}: {Convert.ToHexString(sha.GetHashAndReset())}");
    }
    foreach (var (interpolation, crop, pad, color) in new[] { ("bilinear", false, false, "rgb"), ("nearest", false, false, "rgb"),
                 ("bilinear", true, false, "rgb"), ("bilinear", false, true, "grayscale"), ("nearest", true, false, "rgba") })
    {
        var ds = Utils.ImageDatasetFromDirectory(dir, imageSize: (size, size), batchSize: batch, shuffle: false, interpolation: interpolation,
            cropToAspectRatio: crop, padToAspectRatio: pad, colorMode: color, verbose: false);
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var (x, y) in ds)
        {
            sha.AppendData(x.bytes);
            x.Dispose();
            y.Dispose();
        }
        Console.WriteLine($"ImageDatasetFromDirectory {interpolation}{(crop ? " crop" : "")}{(pad ? " pad" : "")} {color}: {Convert.ToHexString(sha.GetHashAndReset())}");
    }
    return 0;
}

if (idfdChild > 0)
{
    // One ImageDatasetFromDirectory row, in a child process whose Environment.ProcessorCount is the worker count.
    Console.WriteLine(IdfdRow(dir, idfdChild, epochs, batch, size));
    return 0;
}

if (profile > 0)
{
    // Per-stage thread CPU on the first `profile` files, then whole pipelines by process CPU per image, alternating
    // configurations round by round (the machine is shared: same-run ratios, CPU time rather than wall time).
    Profile.Run(dir, profile, rounds: 2, size);
    var script = Path.Combine(AppContext.BaseDirectory, "pillow_limit.py");
    var psi = new ProcessStartInfo(python, $"\"{script}\" \"{dir}\" --size {size} --limit {profile}") { RedirectStandardOutput = true };
    using (var p = Process.Start(psi)!) { Console.WriteLine("Pillow: " + p.StandardOutput.ReadToEnd().Trim()); p.WaitForExit(); }
    var results = new Dictionary<string, List<(double cpu, double ips)>>();
    for (int round = 0; round < epochs; round++)
        foreach (var interpolation in new[] { "nearest", "bilinear" })
            foreach (int w in workers.Split(',').Select(int.Parse))
            {
                var key = $"FlowFromDirectory ({interpolation}), {w} worker(s)";
                if (!results.TryGetValue(key, out var list)) results[key] = list = [];
                list.Add(Profile.Pipeline(dir, interpolation, w, size, 1));
            }
    Console.WriteLine($"| pipeline | median CPU µs per image | median images/s | rounds |");
    Console.WriteLine("|---|---:|---:|---:|");
    foreach (var (key, list) in results)
        Console.WriteLine($"| {key} | {Median(list.Select(r => r.cpu)):F0} | {Median(list.Select(r => r.ips)):F0} | {list.Count} |");
    Console.WriteLine($"load average at the end: {File.ReadAllText("/proc/loadavg").Trim()}");
    return 0;
}
var rows = new List<string>();
string[] decoders = decoder == "both" ? ["turbo", "skia"] : [decoder];

// Warm-up (JIT, first loads): 8 batches, untimed.
using (var warm = new ImageDataGenerator(rescale: 1f / 255).FlowFromDirectory(dir, targetSize: (size, size), batchSize: batch,
           classMode: ClassMode.Binary).GetEnumerator())
    for (int i = 0; i < 8 && warm.MoveNext(); i++) { warm.Current.x.Dispose(); warm.Current.y.Dispose(); }

// flip: rescale + horizontal flip; keras: Chollet's cats-vs-dogs augmentation, as keras_idg_peer.py --augment keras.
var configurations = decoders.SelectMany(d => new[] { (d, "nearest", "flip"), (d, "bilinear", "flip") })
    .Append((decoders[0], "nearest", "keras")).ToList();
foreach (var (dec, interpolation, augment) in configurations)
{
    foreach (int w in workers.Split(',').Select(int.Parse))
    {
        Environment.SetEnvironmentVariable("SEQUENTIAL_JPEG_DECODER", dec);
        SetDecoder(dec);
        var gen = augment == "keras"
            ? new ImageDataGenerator(rescale: 1f / 255, rotationRange: 40, widthShiftRange: 0.2, heightShiftRange: 0.2, shearRange: 0.2,
                zoomRange: 0.2, horizontalFlip: true)
            : new ImageDataGenerator(rescale: 1f / 255, horizontalFlip: true);
        var it = gen.FlowFromDirectory(dir, targetSize: (size, size), batchSize: batch, classMode: ClassMode.Binary,
            interpolation: interpolation, seed: 0);
        it.Workers = w;
        var process = Process.GetCurrentProcess();
        var rss = new List<long>();
        long n = 0;
        var cpu0 = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        for (int e = 0; e < epochs; e++)
        {
            using var pass = it.GetEnumerator();
            while (true)
            {
                using var scope = torch.NewDisposeScope();   // as Model.Fit does per batch
                if (!pass.MoveNext()) break;
                n += pass.Current.x.shape[0];
                process.Refresh();
                rss.Add(process.WorkingSet64);
            }
        }
        double s = clock.Elapsed.TotalSeconds;
        process.Refresh();
        double cpuUs = (process.TotalProcessorTime - cpu0).TotalMicroseconds / n;
        int tenth = Math.Max(1, rss.Count / 10);
        rows.Add($"| FlowFromDirectory ({interpolation}, {(augment == "keras" ? "Chollet's augmentation" : "flip")}), {dec} | {w} | {n} | {s:F2} | {n / s:F0} | {cpuUs:F0} | " +
                 $"{Mib(rss.Take(tenth).Average())} / {Mib(rss.Skip(rss.Count - tenth).Average())} / {Mib(rss.Max())} |");
        Console.WriteLine(rows[^1]);
    }
}
SetDecoder("turbo");

foreach (var dec in decoders)
    foreach (int w in workers.Split(',').Select(int.Parse))
    {
        var psi = new ProcessStartInfo(Environment.ProcessPath!, ["--dir", dir, "--epochs", $"{epochs}", "--idfd-child", $"{w}"])
            { RedirectStandardOutput = true };
        psi.Environment["DOTNET_PROCESSOR_COUNT"] = $"{w}";
        psi.Environment["SEQUENTIAL_JPEG_DECODER"] = dec;
        using var child = Process.Start(psi)!;
        string row = child.StandardOutput.ReadToEnd().Trim().Split('\n')[^1];
        child.WaitForExit();
        rows.Add(row.Replace("ImageDatasetFromDirectory (bilinear)", $"ImageDatasetFromDirectory (bilinear), {dec}"));
        Console.WriteLine(rows[^1]);
    }

if (peer)
{
    // One peer process per row, so /usr/bin/time's CPU seconds (imports included) belong to that row alone.
    foreach (var pw in peerWorkers.Split(',').Select(int.Parse))
        PeerRow($"\"{FindPeer("imagefolder_peer.py")}\" \"{dir}\" --size {size} --batch {batch} --workers {pw} --epochs {epochs}",
            r => $"torchvision ImageFolder + DataLoader (bilinear, flip) | {r.GetProperty("workers")}");
    foreach (var augment in new[] { "flip", "keras" })
        PeerRow($"\"{FindPeer("keras_idg_peer.py")}\" speed \"{dir}\" --size {size} --batch {batch} --epochs {epochs} --augment {augment}",
            _ => $"Keras ImageDataGenerator (nearest, {(augment == "keras" ? "Chollet's augmentation" : "flip")}) | 1");
    // Pillow's limit: thread CPU per image of read + draft (DCT-scaled) decode + resize, one thread, no batching.
    var limit = RunPython($"\"{Path.Combine(AppContext.BaseDirectory, "pillow_limit.py")}\" \"{dir}\" --size {size} --limit 500", out _);
    if (limit.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.StartsWith('{')) is { } line)
    {
        using var json = JsonDocument.Parse(line);
        var us = json.RootElement.GetProperty("us_per_image");
        double Stage(string name) => us.GetProperty(name).GetDouble();
        double core = Stage("read file") + Stage("open + draft + decode 1/2 (DCT)");
        foreach (var (name, resize) in new[] { ("nearest", "resize nearest"), ("bilinear", "resize bilinear") })
            rows.Add($"| Pillow limit: read + img.draft decode + resize ({name}) | 1 | 500 | | {1e6 / (core + Stage(resize)):F0} | {core + Stage(resize):F0} | n/a |");
        rows.Add($"| Pillow: read + full decode (reference for ImageDatasetFromDirectory) | 1 | 500 | | {1e6 / (Stage("read file") + Stage("decode full size (reference)")):F0} | " +
                 $"{Stage("read file") + Stage("decode full size (reference)"):F0} | n/a |");
        foreach (var r in rows.TakeLast(3)) Console.WriteLine(r);
    }
}

void PeerRow(string arguments, Func<JsonElement, string> label)
{
    string stdout = RunPython(arguments, out double cpu);
    foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{')))
    {
        using var json = JsonDocument.Parse(line);
        var r = json.RootElement;
        double n = r.GetProperty("images").GetDouble();
        rows.Add($"| {label(r)} | {n} | {r.GetProperty("seconds").GetDouble():F2} | {r.GetProperty("images_per_s").GetDouble():F0} | " +
                 $"{(cpu > 0 ? $"{cpu * 1e6 / n:F0}" : "n/a")} | n/a |");
        Console.WriteLine(rows[^1]);
    }
}

string RunPython(string arguments, out double cpuSeconds)
{
    bool timed = File.Exists("/usr/bin/time");
    var psi = timed
        ? new ProcessStartInfo("/usr/bin/time", $"-f \"cpu %U %S\" {python} {arguments}")
        : new ProcessStartInfo(python, arguments);
    psi.RedirectStandardOutput = psi.RedirectStandardError = true;
    using var p = Process.Start(psi)!;
    var stderrTask = p.StandardError.ReadToEndAsync();
    string stdout = p.StandardOutput.ReadToEnd();
    p.WaitForExit();
    string stderr = stderrTask.Result;
    cpuSeconds = 0;
    var cpuLine = stderr.Split('\n').LastOrDefault(l => l.StartsWith("cpu "));
    if (cpuLine is not null)
    {
        var parts = cpuLine.Split(' ');
        cpuSeconds = double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) + double.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture);
    }
    if (p.ExitCode != 0)
        Console.WriteLine($"peer failed ({arguments}): {stderr.Trim().Split('\n').Reverse().Skip(1).FirstOrDefault()}");
    return stdout;
}

// Where to augment: per image on host floats (what the iterator does, on its worker threads) or on the batch
// tensor with libtorch ops. Random horizontal flip of half the images + rescale, on [32, 150, 150, 3].
var augmentRows = new List<string>();
{
    const int reps = 50, per = 150 * 150 * 3;
    var host = new float[32 * per];
    for (int i = 0; i < host.Length; i++) host[i] = i % 251;
    var clock = Stopwatch.StartNew();
    for (int r = 0; r < reps; r++)
        Parallel.For(0, 32, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var img = host.AsSpan(i * per, per);
            if (i % 2 == 0)
                for (int y = 0; y < 150; y++)
                    for (int a = 0, b = 149; a < b; a++, b--)
                        for (int k = 0; k < 3; k++)
                            (img[(y * 150 + a) * 3 + k], img[(y * 150 + b) * 3 + k]) = (img[(y * 150 + b) * 3 + k], img[(y * 150 + a) * 3 + k]);
            for (int j = 0; j < img.Length; j++) img[j] *= 1f / 255;
        });
    double hostMs = clock.Elapsed.TotalMilliseconds / reps;
    using var outer = torch.NewDisposeScope();
    var batchTensor = torch.rand(32, 150, 150, 3);
    var mask = (torch.arange(32) % 2 == 0).reshape(32, 1, 1, 1);
    clock.Restart();
    for (int r = 0; r < reps; r++)
    {
        using var scope = torch.NewDisposeScope();
        var flipped = torch.where(mask, batchTensor.flip(2), batchTensor) * (1f / 255);
        _ = flipped.sum().item<float>();
    }
    double tensorMs = clock.Elapsed.TotalMilliseconds / reps;
    augmentRows.Add($"| host floats, per image on worker threads | {hostMs:F2} |");
    augmentRows.Add($"| libtorch ops on the batch tensor (flip, where, mul) | {tensorMs:F2} |");
}

Console.WriteLine();
Console.WriteLine($"Machine: {CpuModel()}, {Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, " +
                  $".NET {Environment.Version}, load average at the end: {File.ReadAllText("/proc/loadavg").Trim()}");
Console.WriteLine($"Data: {dir} ({Directory.EnumerateFiles(dir, "*.jpg", SearchOption.AllDirectories).Count()} JPEGs), {epochs} pass(es), batch {batch}, {size}x{size}, horizontal flip, rescale 1/255");
Console.WriteLine();
Console.WriteLine("| pipeline | workers | images | seconds | images/s | CPU µs per image | RSS MiB (first 10% / last 10% / max of batches) |");
Console.WriteLine("|---|---|---:|---:|---:|---:|---|");
foreach (var row in rows) Console.WriteLine(row);
Console.WriteLine();
Console.WriteLine("| flip half + rescale, [32, 150, 150, 3] | ms per batch |");
Console.WriteLine("|---|---|");
foreach (var row in augmentRows) Console.WriteLine(row);
return 0;

static double Median(IEnumerable<double> values)
{
    var v = values.Order().ToArray();
    return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
}

static string Mib(double bytes) => $"{bytes / (1 << 20):F0}";

static string CpuModel()
{
    try
    {
        return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
    }
    catch (IOException)
    {
        return "unknown CPU";
    }
}

static string FindPeer(string name)
{
    for (var d = new DirectoryInfo(Environment.CurrentDirectory); d is not null; d = d.Parent)
    {
        foreach (var candidate in new[] { Path.Combine(d.FullName, "shared", "peer", name),
                     Path.Combine(d.FullName, "..", "shared", "peer", name) })
            if (File.Exists(candidate)) return Path.GetFullPath(candidate);
    }
    throw new FileNotFoundException($"{name} not found under shared/peer/ above the current folder; pass --no-peer.");
}

// The decoder for this process's next pipelines (TurboJpeg.Enabled is internal; the environment variable is read once).
static void SetDecoder(string dec)
{
    // An older build (before/after runs) has no TurboJpeg: SkiaSharp is all it has.
    typeof(Utils).Assembly.GetType("Sequential.Data.TurboJpeg")
        ?.GetProperty("Enabled", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic)!
        .SetValue(null, dec != "skia");
}

// ImageDatasetFromDirectory as Keras 3's examples use it: bilinear to size x size, batches of 32, shuffled, prefetched.
static string IdfdRow(string dir, int workers, int epochs, int batch, int size)
{
    var ds = Utils.ImageDatasetFromDirectory(dir, imageSize: (size, size), batchSize: batch, seed: 0, verbose: false);
    var process = Process.GetCurrentProcess();
    var rss = new List<long>();
    long n = 0;
    var cpu0 = process.TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    for (int e = 0; e < epochs; e++)
    {
        using var pass = ds.GetEnumerator();
        while (true)
        {
            using var scope = torch.NewDisposeScope();
            if (!pass.MoveNext()) break;
            n += pass.Current.x.shape[0];
            pass.Current.x.Dispose();
            pass.Current.y.Dispose();
            process.Refresh();
            rss.Add(process.WorkingSet64);
        }
    }
    double s = clock.Elapsed.TotalSeconds;
    process.Refresh();
    double cpuUs = (process.TotalProcessorTime - cpu0).TotalMicroseconds / n;
    int tenth = Math.Max(1, rss.Count / 10);
    return $"| ImageDatasetFromDirectory (bilinear) | {workers} | {n} | {s:F2} | {n / s:F0} | {cpuUs:F0} | " +
           $"{Mib(rss.Take(tenth).Average())} / {Mib(rss.Skip(rss.Count - tenth).Average())} / {Mib(rss.Max())} |";
}

// 500x375 photos-like JPEGs: a gradient, a few shapes and noise, so they compress like real pictures.
static string Generate(int count)
{
    string root = Path.Combine(Path.GetTempPath(), $"sequential-imagepipe-{count}");
    string[] classes = ["cats", "dogs"];
    if (classes.All(c => Directory.Exists(Path.Combine(root, c))
                         && Directory.EnumerateFiles(Path.Combine(root, c), "*.jpg").Count() == count / 2))
        return root;
    Console.WriteLine($"Generating {count} 500x375 JPEGs in {root} ...");
    Parallel.For(0, count, i =>
    {
        var random = new Random(i);
        string cls = classes[i % 2];
        Directory.CreateDirectory(Path.Combine(root, cls));
        using var bitmap = new SKBitmap(500, 375);
        using (var canvas = new SKCanvas(bitmap))
        {
            using var paint = new SKPaint { IsAntialias = true };
            paint.Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(500, 375),
                [new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)),
                 new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256))], SKShaderTileMode.Clamp);
            canvas.DrawRect(0, 0, 500, 375, paint);
            paint.Shader = null;
            for (int k = 0; k < 12; k++)
            {
                paint.Color = new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256), 180);
                canvas.DrawCircle(random.Next(500), random.Next(375), random.Next(10, 90), paint);
            }
        }
        var pixels = bitmap.Pixels;
        for (int p = 0; p < pixels.Length; p += 3)
        {
            var c = pixels[p];
            int d = random.Next(-12, 13);
            pixels[p] = new SKColor((byte)Math.Clamp(c.Red + d, 0, 255), (byte)Math.Clamp(c.Green + d, 0, 255), (byte)Math.Clamp(c.Blue + d, 0, 255));
        }
        bitmap.Pixels = pixels;
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 90);
        File.WriteAllBytes(Path.Combine(root, cls, $"{cls[..^1]}.{i / 2}.jpg"), data.ToArray());
    });
    return root;
}
