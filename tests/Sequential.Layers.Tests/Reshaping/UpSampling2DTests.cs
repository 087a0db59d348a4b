using static TorchSharp.torch;
using static Sequential.Layers.Tests.LayerRun;

namespace Sequential.Layers.Tests;

public class UpSampling2DTests
{
    [Test]
    public void KerasCorrectnessExample_RepeatsColumns()
    {
        // Keras's up_sampling2d_test.py: arange over (2, 2, 1, 3), size (1, 2).
        var x = arange(12, dtype: ScalarType.Float32).view(2, 2, 1, 3);
        var y = Run(new UpSampling2D((1, 2)), x);
        Assert.That(y.shape, Is.EqualTo(new long[] { 2, 2, 2, 3 }));
        Assert.That(Values(y), Is.EqualTo(new float[] { 0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5, 6, 7, 8, 6, 7, 8, 9, 10, 11, 9, 10, 11 }));
    }

    [TestCase("channels_last", 2, 2)]
    [TestCase("channels_last", 2, 3)]
    [TestCase("channels_first", 2, 2)]
    [TestCase("channels_first", 2, 3)]
    public void Nearest_EqualsNumpyRepeat(string format, int rows, int columns)
    {
        // Keras's test: 2 samples of 11x12 with 2 channels against np.repeat along rows, then columns.
        bool first = format == "channels_first";
        var x = first ? rand(2, 2, 11, 12) : rand(2, 11, 12, 2);
        var y = Run(new UpSampling2D((rows, columns), format), x);
        var expected = first
            ? x.repeat_interleave(rows, dim: 2).repeat_interleave(columns, dim: 3)
            : x.repeat_interleave(rows, dim: 1).repeat_interleave(columns, dim: 2);
        Assert.That(y.shape, Is.EqualTo(expected.shape));
        Assert.That(y.shape[first ? 2 : 1], Is.EqualTo(11 * rows));
        Assert.That(y.shape[first ? 3 : 2], Is.EqualTo(12 * columns));
        Assert.That(Values(y), Is.EqualTo(Values(expected)));
    }

    [TestCase("channels_last")]
    [TestCase("channels_first")]
    public void Bilinear_HasHalfPixelCentres_LikeTensorFlowResize(string format)
    {
        // tf.image.resize([[0, 1], [2, 3]], (4, 4)) (half-pixel centres, edges clamped): rows 0, 0.25, 0.75, 1 of the
        // row step 2 plus columns 0, 0.25, 0.75, 1.
        bool first = format == "channels_first";
        var image = tensor(new float[] { 0, 1, 2, 3 });
        var x = first ? image.view(1, 1, 2, 2) : image.view(1, 2, 2, 1);
        var y = Run(new UpSampling2D(2, format, interpolation: "bilinear"), x);
        float[] expected = [0, 0.25f, 0.75f, 1, 0.5f, 0.75f, 1.25f, 1.5f, 1.5f, 1.75f, 2.25f, 2.5f, 2, 2.25f, 2.75f, 3];
        Assert.That(Values(y), Is.EqualTo(expected).Within(1e-6));
        var large = Run(new UpSampling2D((2, 3), format, "BILINEAR"), first ? rand(2, 2, 11, 12) : rand(2, 11, 12, 2));
        Assert.That(large.shape, Is.EqualTo(first ? new long[] { 2, 2, 22, 36 } : new long[] { 2, 22, 36, 2 }));
        Assert.That(Run(new UpSampling2D((1, 2), interpolation: "bicubic"), rand(2, 2, 1, 3)).shape, Is.EqualTo(new long[] { 2, 2, 2, 3 }));
    }

    [Test]
    public void BadArguments_Throw()
    {
        Assert.That(() => new UpSampling2D(0), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("UpSampling2D size"));
        Assert.That(() => new UpSampling2D(interpolation: "lanczos3"),
            Throws.ArgumentException.With.Message.Contains("UpSampling2D interpolation must be one of \"bilinear\", \"nearest\", \"bicubic\""));
        Assert.That(() => new UpSampling2D().ComputeOutputShape([4, 4]), Throws.ArgumentException.With.Message.Contains("(H, W, C)"));
    }

    [Test]
    public void ConfigRoundTripsThroughSaveAndLoad()
    {
        var model = new SequentialModel(new UpSampling2D((1, 2), interpolation: "bilinear", inputShape: [3, 4, 2]), new Conv2D(1, 1));
        var loaded = SavedModels.AssertRoundTrips(model, rand(2, 3, 4, 2));
        var up = (UpSampling2D)loaded.Layers[0];
        Assert.That((up.Size, up.Interpolation, up.DataFormat), Is.EqualTo(((1, 2), "bilinear", "channels_last")));
        Assert.That(loaded.OutputShape, Is.EqualTo(new long[] { 3, 8, 1 }));
    }
}
