using SkiaSharp;

namespace Sequential.Data.Tests;

[NonParallelizable] // switches TurboJpeg.Enabled, which every decode in the process reads
public sealed class TurboJpegTests
{
    /// <summary>A photo-like JPEG: gradient, discs and noise, so every DCT coefficient and the chroma planes matter.</summary>
    private static byte[] Photo(int w, int h, SKJpegEncoderDownsample downsample, bool gray = false, int seed = 1)
    {
        var random = new Random(seed);
        using var bmp = new SKBitmap(new SKImageInfo(w, h, gray ? SKColorType.Gray8 : SKColorType.Rgba8888, SKAlphaType.Opaque));
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int n = random.Next(-20, 21), disc = (x - w / 3) * (x - w / 3) + (y - h / 2) * (y - h / 2) < h * h / 9 ? 90 : 0;
                bmp.SetPixel(x, y, new SKColor((byte)Math.Clamp(x * 255 / w + n, 0, 255), (byte)Math.Clamp(y * 255 / h + disc - n, 0, 255),
                    (byte)Math.Clamp(128 + disc + n, 0, 255)));
            }
        using var pixmap = bmp.PeekPixels();
        using var data = pixmap!.Encode(new SKJpegEncoderOptions(85, downsample, SKJpegEncoderAlphaOption.Ignore));
        return data!.ToArray();
    }

    private static (float[] turbo, float[] skia) Both(byte[] jpeg, int h, int w, int c, string interpolation)
    {
        var turbo = new float[h * w * c];
        var skia = new float[h * w * c];
        Assert.That(ImageDecoder.Decode(jpeg, h, w, c, interpolation, turbo), Is.Null);
        TurboJpeg.Enabled = false;
        try
        {
            Assert.That(ImageDecoder.Decode(jpeg, h, w, c, interpolation, skia), Is.Null);
        }
        finally
        {
            TurboJpeg.Enabled = true;
        }
        return (turbo, skia);
    }

    private static void RequireLibrary()
    {
        if (TurboJpeg.LibraryPath is null)
            Assert.Ignore("No trusted system libturbojpeg (Debian: apt-get install libturbojpeg0); JPEGs decode with SkiaSharp only.");
    }

    [Test]
    public void TheSystemLibraryIsUsedWhereDebianInstallsIt()
    {
        // .ci/run installs libturbojpeg0; where its file is, it must be found, trusted and loaded.
        var installed = new[] { "/usr/lib/x86_64-linux-gnu/libturbojpeg.so.0", "/usr/lib/aarch64-linux-gnu/libturbojpeg.so.0" }
            .FirstOrDefault(File.Exists);
        if (installed is null)
            Assert.Ignore("libturbojpeg0 is not installed here.");
        Assert.That(TurboJpeg.LibraryPath, Is.EqualTo(new FileInfo(installed).ResolveLinkTarget(true)?.FullName ?? installed));
    }

    [TestCase(SKJpegEncoderDownsample.Downsample420, false, 500, 375, 150, 150, "nearest")]   // 1/2 scale, the benchmark's case
    [TestCase(SKJpegEncoderDownsample.Downsample420, false, 500, 375, 150, 150, "bilinear")]
    [TestCase(SKJpegEncoderDownsample.Downsample420, false, 333, 251, 40, 30, "nearest")]     // 1/8 scale, odd sizes
    [TestCase(SKJpegEncoderDownsample.Downsample420, false, 333, 251, 80, 60, "bicubic")]     // 1/4
    [TestCase(SKJpegEncoderDownsample.Downsample422, false, 301, 199, 200, 180, "bilinear")]  // full size
    [TestCase(SKJpegEncoderDownsample.Downsample444, false, 120, 90, 50, 40, "nearest")]
    [TestCase(SKJpegEncoderDownsample.Downsample420, true, 257, 129, 60, 60, "nearest")]      // grayscale JPEG
    public void DecodedPixelsEqualSkiaSharps(SKJpegEncoderDownsample downsample, bool gray, int w, int h, int outH, int outW, string interpolation)
    {
        RequireLibrary();
        var jpeg = Photo(w, h, downsample, gray);
        foreach (int c in new[] { 3, 1, 4 })
        {
            var (turbo, skia) = Both(jpeg, outH, outW, c, interpolation);
            Assert.That(turbo, Is.EqualTo(skia), $"{c} channels");
        }
    }

    [TestCase(500, 375, true)]
    [TestCase(250, 188, true)]   // 1/2, rounded up as libjpeg-turbo and Skia round
    [TestCase(125, 94, true)]
    [TestCase(63, 47, true)]
    [TestCase(200, 150, false)]  // no DCT scale gives it: SkiaSharp's turn
    public unsafe void DecodesAtEachDctScaleAndOnlyThere(int w, int h, bool decoded)
    {
        RequireLibrary();
        var jpeg = Photo(500, 375, SKJpegEncoderDownsample.Downsample420);
        var rgba = new byte[w * h * 4];
        fixed (byte* src = jpeg)
        fixed (byte* dest = rgba)
            Assert.That(TurboJpeg.TryDecode(src, jpeg.Length, dest, w, h), Is.EqualTo(decoded));
        if (decoded)
            Assert.That(rgba.Where((_, i) => i % 4 == 3).Distinct(), Is.EqualTo(new byte[] { 255 }), "opaque alpha");
    }

    [Test]
    public void FullSizeDecodeEqualsSkiaSharpsWithOrientation()
    {
        RequireLibrary();
        var jpeg = TestImages.WithExifOrientation(Photo(97, 61, SKJpegEncoderDownsample.Downsample420), 6);
        Assert.That(ImageDecoder.DecodeFull(SKData.CreateCopy(jpeg), 1 << 20, out var turbo, out int th, out int tw), Is.Null);
        TurboJpeg.Enabled = false;
        byte[]? skia;
        int sh, sw;
        try
        {
            Assert.That(ImageDecoder.DecodeFull(SKData.CreateCopy(jpeg), 1 << 20, out skia, out sh, out sw), Is.Null);
        }
        finally
        {
            TurboJpeg.Enabled = true;
        }
        Assert.That((th, tw), Is.EqualTo((97, 61)), "orientation 6 turns 97x61 upright");
        Assert.That((th, tw), Is.EqualTo((sh, sw)));
        Assert.That(turbo, Is.EqualTo(skia));
    }

    [Test]
    public void ATruncatedJpegStillGetsSkiaSharpsMessage()
    {
        var jpeg = Photo(200, 150, SKJpegEncoderDownsample.Downsample420);
        var cut = jpeg[..(jpeg.Length / 2)];
        var dest = new float[50 * 50 * 3];
        Assert.That(ImageDecoder.Decode(cut, 50, 50, 3, "nearest", dest), Is.EqualTo("truncated (the image data ends early)"));
    }

    [Test]
    public void OnlyRootOwnedPathsThatNobodyElseCanWriteAreTrusted()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("TurboJPEG is looked for on Linux only.");
            return;
        }
        // A root-owned system file is trusted; the same kind of file under a world-writable folder (/tmp) is not, even
        // when root wrote it (as the tests here run), and neither is a missing path.
        Assert.That(TurboJpeg.RootOwned("/bin/sh"), Is.True);
        string dir = TestImages.TempDir();
        string file = Path.Combine(dir, "libturbojpeg.so.0");
        File.WriteAllBytes(file, [0x7f, (byte)'E', (byte)'L', (byte)'F']);
        File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(file, UnixFileMode.UserRead);
        try
        {
            Assert.That(TurboJpeg.RootOwned(file), Is.False);
            Assert.That(TurboJpeg.RootOwned(Path.Combine(dir, "missing.so")), Is.False);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
