using SkiaSharp;

namespace Sequential.Data.Tests;

public sealed class ImageDecoderTests
{
    private static float[] Decode(byte[] bytes, int h, int w, int c, string interpolation = "nearest")
    {
        var dest = new float[h * w * c];
        string? error = ImageDecoder.Decode(bytes, h, w, c, interpolation, dest);
        Assert.That(error, Is.Null);
        return dest;
    }

    private static void AssertAllPixels(float[] data, int c, float[] expected, float tolerance)
    {
        for (int i = 0; i < data.Length; i++)
            Assert.That(data[i], Is.EqualTo(expected[i % c]).Within(tolerance), $"value {i}");
    }

    [TestCase("nearest")]
    [TestCase("bilinear")]
    [TestCase("bicubic")]
    public void SolidPngDecodesToItsColourAtAnySize(string interpolation)
    {
        var png = TestImages.Encode(64, 48, (_, _) => new SKColor(255, 0, 0), SKEncodedImageFormat.Png);
        AssertAllPixels(Decode(png, 32, 32, 3, interpolation), 3, [255, 0, 0], 0);
    }

    [Test]
    public void JpegWebpBmpAndGifDecode()
    {
        var color = new SKColor(30, 120, 200);
        AssertAllPixels(Decode(TestImages.Encode(40, 30, (_, _) => color, SKEncodedImageFormat.Jpeg), 10, 10, 3), 3, [30, 120, 200], 4);
        AssertAllPixels(Decode(TestImages.Encode(40, 30, (_, _) => color, SKEncodedImageFormat.Webp), 10, 10, 3), 3, [30, 120, 200], 4);
        AssertAllPixels(Decode(TestImages.Bmp(5, 3, (_, _) => (30, 120, 200)), 4, 4, 3), 3, [30, 120, 200], 0);
        AssertAllPixels(Decode(TestImages.RedGif, 4, 4, 3), 3, [255, 0, 0], 0);
    }

    [Test]
    public void NearestSamplesPixelCentresAsPil()
    {
        // Columns 0, 80, 160, 240; halving picks columns floor((x + 0.5) * 2) = 1 and 3.
        var png = TestImages.Encode(4, 1, (x, _) => new SKColor((byte)(80 * x), 0, 0), SKEncodedImageFormat.Png);
        var d = Decode(png, 1, 2, 3);
        Assert.That(new[] { d[0], d[3] }, Is.EqualTo(new float[] { 80, 240 }));
    }

    [Test]
    public void BmpRowsAreNotUpsideDown()
    {
        var bmp = TestImages.Bmp(2, 2, (_, y) => y == 0 ? ((byte)255, (byte)0, (byte)0) : ((byte)0, (byte)0, (byte)255));
        var d = Decode(bmp, 2, 2, 3);
        Assert.That(d[..3], Is.EqualTo(new float[] { 255, 0, 0 }));
        Assert.That(d[6..9], Is.EqualTo(new float[] { 0, 0, 255 }));
    }

    [Test]
    public void GrayscaleUsesPilLumaAndRgbaKeepsAlpha()
    {
        var png = TestImages.Encode(8, 8, (_, _) => new SKColor(200, 100, 50, 128), SKEncodedImageFormat.Png);
        // (200*19595 + 100*38470 + 50*7471 + 32768) >> 16 = 124
        AssertAllPixels(Decode(png, 4, 4, 1), 1, [124], 0);
        AssertAllPixels(Decode(png, 4, 4, 4), 4, [200, 100, 50, 128], 0);
        AssertAllPixels(Decode(png, 4, 4, 3), 3, [200, 100, 50], 0);   // alpha dropped, not composited (PIL's convert("RGB"))
    }

    [Test]
    public void GrayscalePngGivesEqualRgbChannels()
    {
        using var bmp = new SKBitmap(new SKImageInfo(6, 6, SKColorType.Gray8, SKAlphaType.Opaque));
        bmp.Erase(new SKColor(90, 90, 90));
        using var image = SKImage.FromBitmap(bmp);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        AssertAllPixels(Decode(data.ToArray(), 3, 3, 3), 3, [90, 90, 90], 0);
    }

    [Test]
    public void ExifOrientationIsHonoured()
    {
        // Stored 40 wide x 20 high: left half red, right half blue. Orientation 6 = rotate 90° clockwise to
        // display: shown 20 wide x 40 high with red on top, blue below.
        var jpeg = TestImages.Encode(40, 20, (x, _) => x < 20 ? new SKColor(255, 0, 0) : new SKColor(0, 0, 255), SKEncodedImageFormat.Jpeg);
        var d = Decode(TestImages.WithExifOrientation(jpeg, 6), 40, 20, 3);
        float[] top = d.AsSpan((5 * 20 + 10) * 3, 3).ToArray();
        float[] bottom = d.AsSpan((35 * 20 + 10) * 3, 3).ToArray();
        Assert.That(top, Is.EqualTo(new float[] { 255, 0, 0 }).Within(8));
        Assert.That(bottom, Is.EqualTo(new float[] { 0, 0, 255 }).Within(8));
    }

    [Test]
    public void HugeJpegIsDecodedScaledAndKeepsItsContent()
    {
        var jpeg = TestImages.Encode(1600, 1200, (x, _) => x < 800 ? new SKColor(0, 255, 0) : new SKColor(255, 255, 0), SKEncodedImageFormat.Jpeg, 90);
        var d = Decode(jpeg, 30, 40, 3);
        Assert.That(d[((15 * 40) + 5) * 3 + 0], Is.EqualTo(0).Within(8));     // left: green
        Assert.That(d[((15 * 40) + 35) * 3 + 0], Is.EqualTo(255).Within(8));  // right: yellow
    }

    [Test]
    public void BadBytesAreReportedNotThrown()
    {
        var dest = new float[3 * 4 * 4];
        var jpeg = TestImages.Encode(64, 64, (x, y) => new SKColor((byte)(x * 4), (byte)(y * 4), 0), SKEncodedImageFormat.Jpeg, 90);
        Assert.That(ImageDecoder.Decode(jpeg[..(jpeg.Length / 2)], 4, 4, 3, "nearest", dest), Does.Contain("truncated"));
        Assert.That(ImageDecoder.Decode("hello, not an image"u8.ToArray(), 4, 4, 3, "nearest", dest), Does.Contain("not a recognised image"));
    }

    // On the old code these headers made Decode size its buffer as int sw * sh * 4: 65536x16385 wrapped to 256 KB and
    // Skia wrote 4 GB into it (SIGSEGV, reproduced by hand, not here); 32768x32768 wrapped to 0 (ArgumentNullException).
    [TestCase("png", 65536, 16385)]
    [TestCase("bmp", 65535, 16385)]   // Skia's BMP reader takes widths below 65536
    [TestCase("png", 32768, 32768)]
    [TestCase("png", 20000, 20000)]   // the 400 KB decompression bomb: 1.6 GB decoded
    public void HeaderOverThePixelLimitIsRefusedBeforeDecoding(string format, int w, int h)
    {
        var bytes = format == "png" ? TestImages.PngClaiming(w, h) : TestImages.BmpClaiming(w, h);
        Assert.That(bytes.Length, Is.LessThan(1024));
        var dest = new float[4 * 4 * 3];
        Assert.That(ImageDecoder.Decode(bytes, 4, 4, 3, "nearest", dest), Is.EqualTo(
            $"its header claims {w}x{h} = {(long)w * h:N0} pixels, more than maxImagePixels (89,478,485) allows (a decompression bomb?); " +
            "pass a larger maxImagePixels to FlowFromDirectory if the file is trusted"));
    }

    [Test]
    public void PixelLimitJudgesAJpegByItsHeaderNotItsScaledDecode()
    {
        // 400x300 into 30x40 is decoded at 1/8 scale (50x38), but the limit is on the 120,000 pixels it claims.
        var jpeg = TestImages.Encode(400, 300, (_, _) => new SKColor(0, 255, 0), SKEncodedImageFormat.Jpeg);
        var dest = new float[30 * 40 * 3];
        Assert.That(ImageDecoder.Decode(jpeg, 30, 40, 3, "nearest", dest, maxImagePixels: 119_999),
            Does.StartWith("its header claims 400x300 = 120,000 pixels, more than maxImagePixels (119,999) allows"));
        Assert.That(ImageDecoder.Decode(jpeg, 30, 40, 3, "nearest", dest, maxImagePixels: 120_000), Is.Null);
        Assert.That(dest[1], Is.EqualTo(255).Within(8));
    }

    [Test]
    public void PixelLimitIsInclusiveAndCheckedBeforeTheData()
    {
        var png = TestImages.PngClaiming(20, 10);
        var dest = new float[2 * 2];
        // 4 real rows of 10: at the limit the decoder reaches the data and finds it truncated.
        Assert.That(ImageDecoder.Decode(png, 2, 2, 1, "nearest", dest, maxImagePixels: 199), Does.Contain("20x10 = 200 pixels"));
        Assert.That(ImageDecoder.Decode(png, 2, 2, 1, "nearest", dest, maxImagePixels: 200), Is.EqualTo("truncated (the image data ends early)"));
    }
}
