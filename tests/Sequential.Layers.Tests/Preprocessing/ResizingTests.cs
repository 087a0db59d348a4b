using static TorchSharp.torch;
using static Sequential.Layers.Tests.LayerRun;

namespace Sequential.Layers.Tests;

public class ResizingTests
{
    private static Tensor Image(float[] values, int height, int width, string format) =>
        format == "channels_first" ? tensor(values).view(1, 1, height, width) : tensor(values).view(1, height, width, 1);

    private static readonly float[] Arange16 = [.. Enumerable.Range(0, 16).Select(i => (float)i)];

    [Test]
    public void EveryInterpolationAndAspectOption_GivesTheTargetShape()
    {
        // Keras's resizing_test.py basics: (2, 12, 12, 3) -> (2, 6, 6, 3), and channels_first likewise.
        foreach (var interpolation in new[] { "nearest", "bilinear", "bicubic" })
            foreach (var (crop, pad) in new[] { (false, false), (true, false), (false, true) })
                foreach (var antialias in new[] { false, true })
                {
                    var last = new Resizing(6, 6, interpolation, crop, pad, antialias: antialias);
                    Assert.That(Run(last, rand(2, 12, 12, 3)).shape, Is.EqualTo(new long[] { 2, 6, 6, 3 }));
                    var first = new Resizing(6, 6, interpolation, crop, pad, antialias: antialias, dataFormat: "channels_first");
                    Assert.That(Run(first, rand(2, 3, 12, 12)).shape, Is.EqualTo(new long[] { 2, 3, 6, 6 }));
                    Assert.That(last.CountParams() + first.CountParams(), Is.Zero);
                }
    }

    [TestCase("channels_last")]
    [TestCase("channels_first")]
    public void Nearest_EqualsKerasNumbers(string format)
    {
        // Keras's down-sampling, up-sampling and crop-to-aspect-ratio cases (torch's nearest-exact, half-pixel centres).
        Assert.That(Values(Run(new Resizing(2, 2, "nearest", dataFormat: format), Image(Arange16, 4, 4, format))),
            Is.EqualTo(new float[] { 5, 7, 13, 15 }));
        Assert.That(Values(Run(new Resizing(4, 4, "nearest", dataFormat: format), Image([0, 1, 2, 3], 2, 2, format))),
            Is.EqualTo(new float[] { 0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3 }));
        Assert.That(Values(Run(new Resizing(4, 2, "nearest", cropToAspectRatio: true, dataFormat: format), Image(Arange16, 4, 4, format))),
            Is.EqualTo(new float[] { 1, 2, 5, 6, 9, 10, 13, 14 }));
    }

    [Test]
    public void Bilinear_EqualsTensorFlowResize()
    {
        // tf.image.resize(arange(16).reshape(4, 4), (2, 2)) samples at (0.5, 2.5) of rows and columns: 4r + c.
        Assert.That(Values(Run(new Resizing(2, 2), Image(Arange16, 4, 4, "channels_last"))), Is.EqualTo(new float[] { 2.5f, 4.5f, 10.5f, 12.5f }).Within(1e-5));
        // Antialiased (torch's, as Keras's torch backend): a triangle filter twice as wide; along a row 0..3 the output
        // at 1.0 weighs pixels 0, 1, 2 by 0.75, 0.75, 0.25 -> 1.25 / 1.75.
        double low = 1.25 / 1.75, high = 3 - low;
        float[] expected = [(float)(4 * low + low), (float)(4 * low + high), (float)(4 * high + low), (float)(4 * high + high)];
        Assert.That(Values(Run(new Resizing(2, 2, antialias: true), Image(Arange16, 4, 4, "channels_last"))), Is.EqualTo(expected).Within(1e-5));
    }

    [Test]
    public void CropToAspectRatio_StretchesAThinImage()
    {
        // Keras's test_data_stretch: a 1x4 image with 4 channels -> (15, 10) and (15, 100).
        Assert.That(Run(new Resizing(15, 10, cropToAspectRatio: true), rand(1, 1, 4, 4)).shape, Is.EqualTo(new long[] { 1, 15, 10, 4 }));
        Assert.That(Run(new Resizing(15, 100, cropToAspectRatio: true), rand(1, 1, 4, 4)).shape, Is.EqualTo(new long[] { 1, 15, 100, 4 }));
    }

    [Test]
    public void PadToAspectRatio_PadsTheShortSideEvenlyWithFillValue()
    {
        // 2x2 -> 2x4: one column of fill on each side, then a resize to the same size (nearest: unchanged).
        var y = Run(new Resizing(2, 4, "nearest", padToAspectRatio: true, fillValue: -1), Image([1, 2, 3, 4], 2, 2, "channels_last"));
        Assert.That(Values(y), Is.EqualTo(new float[] { -1, 1, 2, -1, -1, 3, 4, -1 }));
    }

    [Test]
    public void IntegerImages_KeepTheirType_Rounded()
    {
        var x = tensor(new byte[] { 0, 255, 255, 0 }).view(1, 2, 2, 1);
        var y = Run(new Resizing(4, 4), x);
        Assert.That(y.dtype, Is.EqualTo(ScalarType.Byte));
        // First row of the bilinear result is 255 * [0, 0.25, 0.75, 1] = 0, 63.75, 191.25, 255.
        Assert.That(y[0, 0, .., 0].data<byte>().ToArray(), Is.EqualTo(new byte[] { 0, 64, 191, 255 }));
    }

    [Test]
    public void BadArguments_Throw()
    {
        Assert.That(() => new Resizing(0, 4), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("Resizing height"));
        Assert.That(() => new Resizing(4, 4, "lanczos5"), Throws.ArgumentException.With.Message.Contains("Resizing interpolation must be one of"));
        Assert.That(() => new Resizing(4, 4, cropToAspectRatio: true, padToAspectRatio: true),
            Throws.ArgumentException.With.Message.Contains("only one of cropToAspectRatio and padToAspectRatio"));
        Assert.That(() => new Resizing(4, 4, fillMode: "reflect"), Throws.ArgumentException.With.Message.Contains("Resizing fillMode must be one of \"constant\""));
        Assert.That(() => new Resizing(4, 4).ComputeOutputShape([5, 5]), Throws.ArgumentException.With.Message.Contains("(H, W, C)"));
    }

    [Test]
    public void ConfigRoundTripsThroughSaveAndLoad()
    {
        var model = new SequentialModel(
            new Resizing(5, 7, "nearest", cropToAspectRatio: true, dataFormat: "channels_first", inputShape: [2, 9, 8]),
            new Resizing(6, 6, padToAspectRatio: true, fillValue: 0.5, antialias: true, dataFormat: "channels_first"));
        var loaded = SavedModels.AssertRoundTrips(model, rand(2, 2, 9, 8));
        var second = (Resizing)loaded.Layers[1];
        Assert.That((second.Height, second.Width, second.PadToAspectRatio, second.FillValue, second.Antialias, second.Interpolation),
            Is.EqualTo((6, 6, true, 0.5, true, "bilinear")));
        Assert.That(loaded.OutputShape, Is.EqualTo(new long[] { 2, 6, 6 }));
    }
}
