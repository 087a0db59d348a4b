using static TorchSharp.torch;
using static Sequential.Layers.Tests.LayerRun;

namespace Sequential.Layers.Tests;

public class CenterCropTests
{
    [Test]
    public void OutputShapes_EqualKeras()
    {
        // Keras's center_crop_test.py basics.
        Assert.That(Run(new CenterCrop(6, 6), rand(2, 12, 12, 3)).shape, Is.EqualTo(new long[] { 2, 6, 6, 3 }));
        Assert.That(Run(new CenterCrop(7, 7, "channels_first"), rand(2, 3, 13, 13)).shape, Is.EqualTo(new long[] { 2, 3, 7, 7 }));
        Assert.That(new CenterCrop(8, 9).ComputeOutputShape([10, 12, 3]), Is.EqualTo(new long[] { 8, 9, 3 }));
    }

    [TestCase(5, 7, "channels_first")]
    [TestCase(5, 7, "channels_last")]
    [TestCase(4, 9, "channels_first")]
    [TestCase(9, 4, "channels_last")]
    public void Crops_TheWindowKerasCrops(int height, int width, string format)
    {
        // Keras's reference: start (h - h_new) // 2 and (w - w_new) // 2 of 9x11 images.
        bool first = format == "channels_first";
        var x = first ? rand(2, 3, 9, 11) : rand(2, 9, 11, 3);
        int top = (9 - height) / 2, left = (11 - width) / 2;
        var expected = first ? x[.., .., top..(top + height), left..(left + width)] : x[.., top..(top + height), left..(left + width), ..];
        Assert.That(Values(Run(new CenterCrop(height, width, format), x)), Is.EqualTo(Values(expected)));
    }

    [Test]
    public void OddMargin_LeavesTheExtraRowAtTheBottom()
    {
        var x = arange(16f).view(1, 4, 4, 1);
        Assert.That(Values(Run(new CenterCrop(3, 3), x)), Is.EqualTo(new float[] { 0, 1, 2, 4, 5, 6, 8, 9, 10 }));
        Assert.That(Values(Run(new CenterCrop(2, 2), x)), Is.EqualTo(new float[] { 5, 6, 9, 10 }));
        var five = arange(25f).view(1, 5, 5, 1);
        Assert.That(Values(Run(new CenterCrop(2, 4), five)), Is.EqualTo(new float[] { 5, 6, 7, 8, 10, 11, 12, 13 }));
    }

    [TestCase(15, 10, "channels_first", 2, 3, 9, 11)]
    [TestCase(10, 17, "channels_last", 2, 9, 11, 3)]
    [TestCase(5, 17, "channels_last", 2, 11, 3, 9)]
    [TestCase(5, 100, "channels_last", 2, 11, 3, 9)]
    public void InputSmallerThanTheWindow_EqualsResizingWithCropToAspectRatio(int height, int width, string format, int n, int a, int b, int c)
    {
        // Keras's test_input_smaller_than_crop_box and test_image_stretch.
        var x = rand(n, a, b, c);
        var crop = Run(new CenterCrop(height, width, format), x);
        var resized = Run(new Resizing(height, width, dataFormat: format, cropToAspectRatio: true), x);
        Assert.That(crop.shape, Is.EqualTo(resized.shape));
        Assert.That(Values(crop), Is.EqualTo(Values(resized)).Within(1e-6));
    }

    [Test]
    public void IntegerImages_BecomeFloat32() =>
        Assert.That(Run(new CenterCrop(1, 1), tensor(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 }).view(1, 3, 3, 1)).dtype, Is.EqualTo(ScalarType.Float32));

    [Test]
    public void BadArguments_Throw()
    {
        Assert.That(() => new CenterCrop(4, 0), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("CenterCrop width"));
        Assert.That(() => new CenterCrop(4, 4, "nhwc"), Throws.ArgumentException.With.Message.Contains("CenterCrop dataFormat"));
    }

    [Test]
    public void ConfigRoundTripsThroughSaveAndLoad()
    {
        var loaded = SavedModels.AssertRoundTrips(new SequentialModel(new CenterCrop(3, 2, inputShape: [5, 6, 2])), rand(2, 5, 6, 2));
        Assert.That(loaded.OutputShape, Is.EqualTo(new long[] { 3, 2, 2 }));
    }
}
