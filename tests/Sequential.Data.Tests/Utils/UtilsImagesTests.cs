using System.Security.Cryptography;
using SkiaSharp;
using static Sequential.Data.Utils;
using static TorchSharp.torch;

namespace Sequential.Data.Tests;

/// <summary>LoadImg, ImgToArray, ArrayToImg, SaveImg: Keras's values (Pillow's resize, checked against Pillow's own
/// output in PilReference.cs) and Keras's image_utils_test.py.</summary>
public sealed class UtilsImagesTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "seq-utils-img-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    /// <summary>The RGBA pattern of make_pil_reference.py: varied colours and alphas (every third pixel opaque).</summary>
    private static PixelImage Pattern(int width, int height)
    {
        var bytes = new byte[width * height * 4];
        for (int y = 0, i = 0; y < height; y++)
            for (int x = 0; x < width; x++, i += 4)
            {
                bytes[i] = (byte)((x * 37 + y * 11) % 256);
                bytes[i + 1] = (byte)((x * 5 + y * 53) % 256);
                bytes[i + 2] = (byte)((x * x * 3 + y * 7) % 256);
                bytes[i + 3] = (byte)((x + y) % 3 == 0 ? 255 : (x * 40 + y * 60) % 256);
            }
        return new PixelImage(height, width, "rgba", bytes);
    }

    private string SavedPattern(int width, int height)
    {
        string path = Path.Combine(_dir, $"pattern-{width}x{height}.png");
        Pattern(width, height).Save(path);
        return path;
    }

    private static IEnumerable<TestCaseData> SmallCases() =>
        PilReference.Small.Keys.Select(k => new TestCaseData(k).SetName("LoadImgMatchesPillow(" + k + ")"));

    [Test]
    public void ThePngWrittenHoldsThePatternExactly()
    {
        var img = LoadImg(SavedPattern(7, 5), colorMode: "rgba");
        Assert.That(img.Pixels.ToArray(), Is.EqualTo(Pattern(7, 5).Pixels.ToArray()));
        Assert.That((img.Height, img.Width, img.Channels, img.ColorMode, img.Size), Is.EqualTo((5, 7, 4, "rgba", (7, 5))));
    }

    [TestCaseSource(nameof(SmallCases))]
    public void LoadImgMatchesPillow(string key)
    {
        string[] parts = key.Split('/');
        int[] size = [.. parts[2].Split('x').Select(int.Parse)];
        var img = LoadImg(SavedPattern(7, 5), colorMode: parts[0], targetSize: (size[0], size[1]), interpolation: parts[1],
            keepAspectRatio: parts.Length == 4);
        Assert.That((img.Height, img.Width), Is.EqualTo((size[0], size[1])));
        Assert.That(Convert.ToHexStringLower(img.Pixels.Span), Is.EqualTo(PilReference.Small[key]));
    }

    [TestCase("rgb")]
    [TestCase("rgba")]
    public void LoadImgMatchesPillowOnALargerShrink(string colorMode)
    {
        string path = SavedPattern(64, 48);
        foreach (string filter in PilResample.Filters)
        {
            var img = LoadImg(path, colorMode: colorMode, targetSize: (20, 30), interpolation: filter);
            Assert.That(Convert.ToHexStringLower(SHA256.HashData(img.Pixels.Span)), Is.EqualTo(PilReference.LargeSha256[$"{colorMode}/{filter}"]), filter);
        }
    }

    [Test]
    public void TheSameSizeIsNotResampledEvenWithKeepAspectRatio()
    {
        var img = LoadImg(SavedPattern(7, 5), colorMode: "rgba", targetSize: (5, 7), interpolation: "lanczos", keepAspectRatio: true);
        Assert.That(img.Pixels.ToArray(), Is.EqualTo(Pattern(7, 5).Pixels.ToArray()));
    }

    [Test]
    public void ImgToArrayGivesFloat32HwcAndChannelsFirst()
    {
        var img = LoadImg(SavedPattern(7, 5), colorMode: "grayscale");
        using var x = ImgToArray(img);
        Assert.That(x.shape, Is.EqualTo(new long[] { 5, 7, 1 }));
        Assert.That(x.dtype, Is.EqualTo(ScalarType.Float32));
        Assert.That(x.data<float>().ToArray(), Is.EqualTo(img.Pixels.ToArray().Select(b => (float)b).ToArray()));
        using var rgb = ImgToArray(LoadImg(SavedPattern(7, 5)), dataFormat: "channels_first");
        Assert.That(rgb.shape, Is.EqualTo(new long[] { 3, 5, 7 }));
        Assert.That(rgb[0, 1, 2].item<float>(), Is.EqualTo((2 * 37 + 1 * 11) % 256));
        Assert.That(Assert.Throws<ArgumentException>(() => ImgToArray(img, "channels_middle"))!.Message, Does.Contain("Received: channels_middle"));
    }

    [TestCase(3, "rgb.jpg")]
    [TestCase(4, "rgba.jpg")]
    [TestCase(3, "rgb.webp")]
    public void SaveImgJpegLoadsBackAsRgb(int channels, string name)
    {
        // Keras: SaveImgTest.test_save_jpg (random uint8, 50x50; an RGBA JPEG is saved as RGB).
        string path = Path.Combine(_dir, name);
        using var x = randint(0, 256, [50, 50, channels], dtype: ScalarType.Byte, generator: new TorchSharp.torch.Generator(3));
        SaveImg(path, x);
        using var loaded = ImgToArray(LoadImg(path));
        Assert.That(loaded.shape, Is.EqualTo(new long[] { 50, 50, 3 }));
        Assert.That(Directory.GetFiles(_dir), Is.EqualTo(new[] { path }), "no temporary file left");
    }

    [Test]
    public void SaveImgPngRoundTripsAndScalesAsKeras()
    {
        string path = Path.Combine(_dir, "out.png");
        using var x = tensor(new float[] { 0, 0.5f, 1, 0.25f }).reshape(2, 2, 1);
        SaveImg(path, x);
        var img = LoadImg(path, colorMode: "grayscale");
        // Keras: (x - min) / max * 255 in float32, then truncated: 127.5 -> 127, 63.75 -> 63.
        Assert.That(img.Pixels.ToArray(), Is.EqualTo(new byte[] { 0, 127, 255, 63 }));
        SaveImg(path, x * 100, scale: false);
        Assert.That(LoadImg(path, colorMode: "grayscale").Pixels.ToArray(), Is.EqualTo(new byte[] { 0, 50, 100, 25 }));
    }

    [Test]
    public void ArrayToImgFollowsKerasAndRefusesWhatItCannotShow()
    {
        using var chw = tensor(new float[] { 10, 20, 30, 40, 50, 60 }).reshape(3, 1, 2);
        var img = ArrayToImg(chw, dataFormat: "channels_first", scale: false);
        Assert.That((img.Height, img.Width, img.ColorMode), Is.EqualTo((1, 2, "rgb")));
        Assert.That(img.Pixels.ToArray(), Is.EqualTo(new byte[] { 10, 30, 50, 20, 40, 60 }));
        using var over = tensor(new float[] { -5, 300, 7.9f }).reshape(1, 3, 1);
        Assert.That(ArrayToImg(over, scale: false).Pixels.ToArray(), Is.EqualTo(new byte[] { 0, 255, 7 }));
        using var flat = zeros(4, 4);
        Assert.That(Assert.Throws<ArgumentException>(() => ArrayToImg(flat))!.Message,
            Does.Contain("Expected image array to have rank 3 (single image). Got array with shape: (4, 4)"));
        using var two = zeros(4, 4, 2);
        Assert.That(Assert.Throws<ArgumentException>(() => ArrayToImg(two))!.Message, Does.Contain("Unsupported channel number: 2"));
        using var nan = tensor(new float[] { 1, float.NaN }).reshape(1, 2, 1);
        Assert.That(Assert.Throws<ArgumentException>(() => ArrayToImg(nan))!.Message, Does.Contain("x holds NaN at [0, 1, 0]"));
    }

    [Test]
    public void SaveImgRefusesFormatsSkiaCannotWrite()
    {
        using var x = zeros(2, 2, 3);
        Assert.That(Assert.Throws<ArgumentException>(() => SaveImg(Path.Combine(_dir, "a.bmp"), x))!.Message,
            Does.Contain("Cannot save").And.Contain("as \"bmp\": Sequential writes png, jpg/jpeg and webp"));
        Assert.That(Assert.Throws<ArgumentException>(() => SaveImg(Path.Combine(_dir, "noext"), x))!.Message,
            Does.Contain("give it an extension"));
        SaveImg(Path.Combine(_dir, "noext"), x, fileFormat: "png");
        Assert.That(LoadImg(Path.Combine(_dir, "noext")).Size, Is.EqualTo((2, 2)));
    }

    [Test]
    public void LoadImgErrorsNameTheFileAndKerasArguments()
    {
        string missing = Path.Combine(_dir, "missing.png");
        Assert.That(Assert.Throws<FileNotFoundException>(() => LoadImg(missing))!.Message, Does.Contain($"LoadImg: '{missing}' does not exist"));
        string text = Path.Combine(_dir, "notes.png");
        File.WriteAllText(text, "not an image");
        Assert.That(Assert.Throws<InvalidDataException>(() => LoadImg(text))!.Message,
            Does.Contain($"LoadImg: '{text}' is not a usable image: not a recognised image"));
        string bomb = Path.Combine(_dir, "bomb.png");
        File.WriteAllBytes(bomb, TestImages.PngClaiming(20_000, 20_000));
        Assert.That(Assert.Throws<InvalidDataException>(() => LoadImg(bomb))!.Message,
            Does.Contain("20000x20000 = 400,000,000 pixels").And.Contain("pass a larger maxImagePixels to LoadImg"));
        string path = SavedPattern(7, 5);
        Assert.That(Assert.Throws<ArgumentException>(() => LoadImg(path, colorMode: "cmyk"))!.Message,
            Does.Contain("color_mode must be \"grayscale\", \"rgb\", or \"rgba\""));
        Assert.That(Assert.Throws<ArgumentException>(() => LoadImg(path, targetSize: (4, 4), interpolation: "area"))!.Message,
            Does.Contain("Invalid interpolation method area specified. Supported methods are nearest, bilinear, bicubic, hamming, box, lanczos"));
        Assert.That(Assert.Throws<ArgumentException>(() => LoadImg(path, targetSize: (0, 4)))!.Message, Does.Contain("got (0, 4)"));
    }

    [Test]
    public void LoadImgAppliesTheExifOrientation()
    {
        // A 4-wide, 2-tall JPEG tagged "rotate 90 clockwise" (orientation 6) is shown 2 wide and 4 tall.
        byte[] jpeg = TestImages.Encode(4, 2, (x, _) => x < 2 ? new SKColor(255, 0, 0) : new SKColor(0, 0, 255), SKEncodedImageFormat.Jpeg);
        string path = Path.Combine(_dir, "rotated.jpg");
        File.WriteAllBytes(path, TestImages.WithExifOrientation(jpeg, 6));
        var img = LoadImg(path);
        Assert.That((img.Height, img.Width), Is.EqualTo((4, 2)));
    }
}
