// Per-stage CPU profile of the image pipeline (issue 12 part 5): each stage of FlowFromDirectory's per-image work,
// re-done here with the same SkiaSharp calls (the library's hot path carries no instrumentation), timed with the
// thread's own CPU clock so other work on a shared machine does not count; then the whole pipelines, by process CPU.
using System.Diagnostics;
using System.Runtime.InteropServices;
using Sequential;
using Sequential.Data;
using SkiaSharp;
using TorchSharp;

internal static class Profile
{
    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec { public long Seconds; public long Nanoseconds; }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out Timespec ts);

    /// <summary>This thread's CPU time in microseconds (CLOCK_THREAD_CPUTIME_ID).</summary>
    internal static double ThreadCpuUs()
    {
        ClockGetTime(3, out var ts);
        return ts.Seconds * 1e6 + ts.Nanoseconds / 1e3;
    }

    internal static unsafe void Run(string dir, int limit, int rounds, int size)
    {
        var files = Directory.EnumerateFiles(dir, "*.jpg", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(limit).ToArray();
        string[] stages = ["read file", "SKCodec.Create (header)", "decode 1/2 scale (DCT) RGBA", "decode full size RGBA (reference)", "decode 1/2 scale BGRA (Skia's native order)",
            "resize bilinear (SKPixmap.ScalePixels)", "resize nearest (the library's loop before this change)", "RGBA bytes -> RGB floats", "flip (half of images)", "rescale 1/255"];
        var totals = new double[stages.Length];
        var pixels = new float[size * size * 3];
        var resized = new byte[size * size * 4];
        int images = 0;
        for (int r = 0; r < rounds; r++)
        {
            foreach (var (path, index) in files.Select((p, i) => (p, i)))
            {
                double t0 = ThreadCpuUs();
                byte[] bytes = File.ReadAllBytes(path);
                using var data = SKData.CreateCopy(bytes);
                double t1 = ThreadCpuUs();
                using var codec = SKCodec.Create(data);
                _ = codec.Info.Size;
                double t2 = ThreadCpuUs();
                var scaled = codec.GetScaledDimensions(0.5f);
                var info = new SKImageInfo(scaled.Width, scaled.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
                var stored = new byte[info.BytesSize];
                if (codec.GetPixels(info, stored) != SKCodecResult.Success) throw new InvalidDataException(path);
                double t3 = ThreadCpuUs();
                var fullInfo = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
                var full = new byte[fullInfo.BytesSize];
                if (codec.GetPixels(fullInfo, full) != SKCodecResult.Success) throw new InvalidDataException(path);
                double t4a = ThreadCpuUs();
                var bgra = new byte[info.BytesSize];
                if (codec.GetPixels(info.WithColorType(SKColorType.Bgra8888), bgra) != SKCodecResult.Success) throw new InvalidDataException(path);
                double t4b = ThreadCpuUs();
                double t4 = ThreadCpuUs();
                fixed (byte* from = stored, to = resized)
                {
                    using var a = new SKPixmap(info, (IntPtr)from);
                    using var b = new SKPixmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Unpremul), (IntPtr)to);
                    a.ScalePixels(b, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None));
                }
                double t5 = ThreadCpuUs();
                // The library's nearest loop (orientation switch per pixel, as ImageDecoder does).
                int sw = scaled.Width, sh = scaled.Height;
                for (int oy = 0; oy < size; oy++)
                {
                    int dy = Math.Min((int)((oy + 0.5) * sh / size), sh - 1);
                    for (int ox = 0; ox < size; ox++)
                    {
                        int dx = Math.Min((int)((ox + 0.5) * sw / size), sw - 1);
                        var (x, y) = Stored(codec.EncodedOrigin, dx, dy, sw, sh);
                        int i = (y * sw + x) * 4, o = (oy * size + ox) * 3;
                        pixels[o] = stored[i]; pixels[o + 1] = stored[i + 1]; pixels[o + 2] = stored[i + 2];
                    }
                }
                double t6 = ThreadCpuUs();
                Span<float> dest = pixels;
                ReadOnlySpan<byte> rgba = resized;
                for (int i = 0; i < size * size; i++)
                {
                    dest[i * 3] = rgba[i * 4];
                    dest[i * 3 + 1] = rgba[i * 4 + 1];
                    dest[i * 3 + 2] = rgba[i * 4 + 2];
                }
                double t7 = ThreadCpuUs();
                if (index % 2 == 0)
                    for (int row = 0; row < size; row++)
                        for (int left = 0, right = size - 1; left < right; left++, right--)
                        {
                            var p = dest.Slice((row * size + left) * 3, 3);
                            var q = dest.Slice((row * size + right) * 3, 3);
                            for (int k = 0; k < 3; k++) (p[k], q[k]) = (q[k], p[k]);
                        }
                double t8 = ThreadCpuUs();
                for (int i = 0; i < dest.Length; i++) dest[i] *= 1f / 255;
                double t9 = ThreadCpuUs();
                double[] t = [t0, t1, t2, t3, t4a, t4, t5, t6, t7, t8, t9];
                for (int s = 0; s < stages.Length; s++) totals[s] += t[s + 1] - t[s];
                images++;
            }
        }
        Console.WriteLine($"Per-stage thread CPU, {images} images ({files.Length} files x {rounds} rounds), one thread, {size}x{size}:");
        Console.WriteLine("| stage | CPU µs per image |");
        Console.WriteLine("|---|---:|");
        for (int s = 0; s < stages.Length; s++)
            Console.WriteLine($"| {stages[s]} | {totals[s] / images:F0} |");
    }

    /// <summary>Process CPU µs and wall seconds for one pass of FlowFromDirectory (and of ImageDatasetFromDirectory).</summary>
    internal static (double cpuUsPerImage, double imagesPerS) Pipeline(string dir, string interpolation, int workers, int size, int epochs)
    {
        var gen = new ImageDataGenerator(rescale: 1f / 255, horizontalFlip: true);
        var it = gen.FlowFromDirectory(dir, targetSize: (size, size), batchSize: 32, classMode: ClassMode.Binary,
            interpolation: interpolation, seed: 0);
        it.Workers = workers;
        var process = Process.GetCurrentProcess();
        long n = 0;
        process.Refresh();
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
            }
        }
        double s = clock.Elapsed.TotalSeconds;
        process.Refresh();
        return ((process.TotalProcessorTime - cpu0).TotalMicroseconds / n, n / s);
    }

    // The library's per-pixel orientation lookup, as the old nearest loop called it for every pixel.
    private static (int x, int y) Stored(SKEncodedOrigin origin, int dx, int dy, int sw, int sh) => origin switch
    {
        SKEncodedOrigin.TopRight => (sw - 1 - dx, dy),
        SKEncodedOrigin.BottomRight => (sw - 1 - dx, sh - 1 - dy),
        SKEncodedOrigin.BottomLeft => (dx, sh - 1 - dy),
        _ => (dx, dy),
    };
}
