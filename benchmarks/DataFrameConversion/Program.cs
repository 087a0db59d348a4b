// DataFrame -> tensor conversion: time and extra memory for a 1,000,000-row x 20-column frame
// (10 double, 5 float, 5 int columns), as Model.Fit(DataFrame, ...) does it (DataFrameExtensions.ToTensor).
// Target: under 1 s and at most ~2x the float32 data in extra memory. It also prints whether torch.tensor(float[])
// shares the array (it copies in TorchSharp 0.107, hence the conversion writes into the tensor through Tensor.bytes).
// Usage: dotnet run -c Release --project benchmarks/DataFrameConversion [-- ROWS [REPEATS]]
// Extra memory = peak resident set during the conversion (Linux VmHWM, reset through /proc/self/clear_refs)
// minus the resident set before it. "Raw" = the float32 output, rows x columns x 4 bytes.
using System.Diagnostics;
using Microsoft.Data.Analysis;
using Sequential;
using static TorchSharp.torch;

int rows = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
int repeats = args.Length > 1 ? int.Parse(args[1]) : 5;
const int columns = 20;
Backend.EnsureNativeLoaded();

var frame = Build(rows);
long frameBytes = (long)rows * (10 * 8 + 5 * 4 + 5 * 4);
long rawBytes = (long)rows * columns * 4;
Console.WriteLine($"{rows:N0} rows x {columns} columns; frame buffers {frameBytes / 1e6:F0} MB, float32 tensor (raw) {rawBytes / 1e6:F0} MB; " +
                  $"{Environment.ProcessorCount} cores visible");
using (var warm = Build(1000).ToTensor()) { }   // JIT the readers
{
    var probe = new float[] { 1f };
    using var shared = tensor(probe, [1L]);
    probe[0] = 2f;
    Console.WriteLine($"torch.tensor(float[]) shares the array's memory: {shared.item<float>() == 2f}");
    using var view = zeros(2);
    System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(view.bytes)[1] = 5f;
    Console.WriteLine($"Tensor.bytes is a view of the storage: {view[1].item<float>() == 5f}");
}

var seconds = new List<double>();
var extra = new List<long>();
for (int r = 0; r < repeats; r++)
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    long before = Status("VmRSS");
    ResetPeak();
    var clock = Stopwatch.StartNew();
    var x = frame.ToTensor();
    clock.Stop();
    long peak = Status("VmHWM");
    seconds.Add(clock.Elapsed.TotalSeconds);
    extra.Add(peak - before);
    if (r == 0 && (x.shape[0] != rows || x.shape[1] != columns || x[rows - 1, 0].item<float>() != Value(rows - 1, 0) || x[rows - 1, 19].item<float>() != (int)Value(rows - 1, 19)))
        throw new InvalidOperationException("conversion produced wrong values");
    x.Dispose();
    Console.WriteLine($"run {r + 1}: {clock.Elapsed.TotalSeconds:F3} s, extra resident memory {(peak - before) / 1e6:F0} MB " +
                      $"({(double)(peak - before) / rawBytes:F2}x raw)");
}
seconds.Sort();
extra.Sort();
Console.WriteLine($"median {seconds[repeats / 2]:F3} s (best {seconds[0]:F3} s); median extra memory {extra[repeats / 2] / 1e6:F0} MB = " +
                  $"{(double)extra[repeats / 2] / rawBytes:F2}x the float32 data");

static float Value(int row, int column) => (row % 1000) * 0.5f + column;

static DataFrame Build(int rows)
{
    var list = new List<DataFrameColumn>();
    for (int c = 0; c < columns; c++)
    {
        int col = c;
        list.Add(c switch
        {
            < 10 => new DoubleDataFrameColumn($"d{c}", Enumerable.Range(0, rows).Select(r => (double)Value(r, col))),
            < 15 => new SingleDataFrameColumn($"f{c}", Enumerable.Range(0, rows).Select(r => Value(r, col))),
            _ => new Int32DataFrameColumn($"i{c}", Enumerable.Range(0, rows).Select(r => (int)Value(r, col))),
        });
    }
    return new DataFrame(list);
}

static long Status(string key)
{
    foreach (var line in File.ReadLines("/proc/self/status"))
        if (line.StartsWith(key + ":"))
            return long.Parse(line[(key.Length + 1)..].Trim().Split(' ')[0]) * 1024;
    throw new InvalidOperationException($"/proc/self/status has no {key}");
}

static void ResetPeak() => File.WriteAllText("/proc/self/clear_refs", "5");
