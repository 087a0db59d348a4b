using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Data.Tests;

public sealed class ImageDataGeneratorTests
{
    private static readonly float[] Grid3 = [0, 1, 2, 3, 4, 5, 6, 7, 8];

    private static float[] Transform(float[] image, int h, int w, int c, TransformParameters p, string fillMode = "nearest", float cval = 0)
    {
        var copy = (float[])image.Clone();
        ImageTransform.Apply(copy, h, w, c, p, fillMode, cval);
        return copy;
    }

    [Test]
    public void RotationBy90IsCounterClockwiseAsKeras()
    {
        // Keras's apply_affine_transform(x, theta=90) on a 3x3 grid equals np.rot90(x).
        Assert.That(Transform(Grid3, 3, 3, 1, new TransformParameters(Theta: 90)),
            Is.EqualTo(new float[] { 2, 5, 8, 1, 4, 7, 0, 3, 6 }).Within(1e-4));
    }

    [Test]
    public void HorizontalAndVerticalFlipsMirror()
    {
        Assert.That(Transform(Grid3, 3, 3, 1, new TransformParameters(FlipHorizontal: true)),
            Is.EqualTo(new float[] { 2, 1, 0, 5, 4, 3, 8, 7, 6 }));
        Assert.That(Transform(Grid3, 3, 3, 1, new TransformParameters(FlipVertical: true)),
            Is.EqualTo(new float[] { 6, 7, 8, 3, 4, 5, 0, 1, 2 }));
        // Channels travel with their pixel.
        Assert.That(Transform([1, 10, 2, 20], 1, 2, 2, new TransformParameters(FlipHorizontal: true)),
            Is.EqualTo(new float[] { 2, 20, 1, 10 }));
    }

    [Test]
    public void ShiftFillsPerFillMode()
    {
        // One row 0..3 (h=1, w=4). Keras's Ty moves along the columns after its axis swap... so use the
        // matrix directly: Tx shifts the second (column) coordinate of the output by +1 input pixel.
        float[] row = [0, 1, 2, 3];
        var p = new TransformParameters(Tx: 1);
        Assert.That(Transform(row, 1, 4, 1, p, "nearest"), Is.EqualTo(new float[] { 1, 2, 3, 3 }));
        Assert.That(Transform(row, 1, 4, 1, p, "constant", cval: -1), Is.EqualTo(new float[] { 1, 2, 3, -1 }));
        Assert.That(Transform(row, 1, 4, 1, p, "wrap"), Is.EqualTo(new float[] { 1, 2, 3, 0 }));
        Assert.That(Transform(row, 1, 4, 1, p, "reflect"), Is.EqualTo(new float[] { 1, 2, 3, 3 }));
        Assert.That(Transform(row, 1, 4, 1, new TransformParameters(Tx: 2), "reflect"), Is.EqualTo(new float[] { 2, 3, 3, 2 }));
    }

    [Test]
    public void ZoomAboutTheCentre()
    {
        // Zoom 0.5 on both axes samples the centre: input position = 0.5 * (o - 1) + 1 on a 3x3 grid.
        var z = Transform(Grid3, 3, 3, 1, new TransformParameters(Zx: 0.5, Zy: 0.5));
        Assert.That(z[4], Is.EqualTo(4).Within(1e-5));
        Assert.That(z[0], Is.EqualTo((0 + 1 + 3 + 4) / 4f).Within(1e-5));
    }

    [Test]
    public void ChannelShiftClipsToTheImageRangeAndBrightnessScales()
    {
        Assert.That(Transform([10, 50, 100], 1, 1, 3, new TransformParameters(ChannelShift: 30)), Is.EqualTo(new float[] { 40, 80, 100 }));
        Assert.That(Transform([10, 50, 200], 1, 1, 3, new TransformParameters(Brightness: 1.5)), Is.EqualTo(new float[] { 15, 75, 255 }));
    }

    [Test]
    public void RandomTransformIsDeterministicPerStream()
    {
        var gen = new ImageDataGenerator(rotationRange: 40, widthShiftRange: 0.2f, heightShiftRange: 0.2f, shearRange: 0.2f,
            zoomRange: (0.8f, 1.2f), horizontalFlip: true);
        var a = gen.GetRandomTransform(new Random(5), 150, 150);
        var b = gen.GetRandomTransform(new Random(5), 150, 150);
        Assert.That(a, Is.EqualTo(b));
        Assert.That(Math.Abs(a.Theta), Is.LessThanOrEqualTo(40));
        Assert.That(Math.Abs(a.Tx), Is.LessThanOrEqualTo(30));
        Assert.That(a.Zx, Is.InRange(0.8, 1.2));
    }

    [Test]
    public void ZoomRangeAcceptsANumberOrAPair()
    {
        Assert.That(new ImageDataGenerator(zoomRange: 0.2f).ZoomRange, Is.EqualTo(new ZoomRange(0.8f, 1.2f)));
        Assert.That(new ImageDataGenerator(zoomRange: (0.5f, 1f)).ZoomRange, Is.EqualTo(new ZoomRange(0.5f, 1f)));
        Assert.That(new ImageDataGenerator().ZoomRange, Is.EqualTo(new ZoomRange(1, 1)));
    }

    [Test]
    public void BadArgumentsAreRejected()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => new ImageDataGenerator(fillMode: "mirror"))!.Message, Does.Contain("\"reflect\""));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageDataGenerator(validationSplit: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageDataGenerator(rotationRange: -1));
        Assert.Throws<ArgumentException>(() => new ImageDataGenerator(brightnessRange: (1.5f, 0.5f)));
    }

    [Test]
    public void StdNormalizationTurnsOnCentering()
    {
        var gen = new ImageDataGenerator(featurewiseStdNormalization: true, samplewiseStdNormalization: true);
        Assert.That(gen.FeaturewiseCenter, Is.True);
        Assert.That(gen.SamplewiseCenter, Is.True);
    }

    [Test]
    public void FitComputesPerChannelStatisticsOfTheRescaledData()
    {
        // Channel 0 holds 0 and 2 (mean 1, std 1), channel 1 holds 10 everywhere (mean 10, std 0), times rescale 0.5.
        var x = torch.tensor(new float[] { 0, 20, 4, 20, 0, 20, 4, 20 }, [2, 1, 2, 2]);
        var gen = new ImageDataGenerator(rescale: 0.5f, featurewiseCenter: true, featurewiseStdNormalization: true);
        gen.Fit(x);
        Assert.That(gen.Mean, Is.EqualTo(new float[] { 1, 10 }).Within(1e-6));
        Assert.That(gen.Std, Is.EqualTo(new float[] { 1, 0 }).Within(1e-6));
        var batch = gen.Flow(x, shuffle: false).Single().x;
        Assert.That(batch[0, 0, 0].data<float>().ToArray(), Is.EqualTo(new float[] { -1, 0 }).Within(1e-4));
        Assert.That(batch[0, 0, 1].data<float>().ToArray(), Is.EqualTo(new float[] { 1, 0 }).Within(1e-4));
        Assert.Throws<ArgumentException>(() => gen.Fit(torch.zeros(2, 2)));
    }

    [Test]
    public void SamplewiseCenterAndStd()
    {
        var x = torch.tensor(new float[] { 1, 3, 5, 7 }, [1, 2, 2, 1]);
        var batch = new ImageDataGenerator(samplewiseStdNormalization: true).Flow(x).Single().x;
        Assert.That(batch.mean().item<float>(), Is.EqualTo(0).Within(1e-5));
        Assert.That(batch.std(unbiased: false).item<float>(), Is.EqualTo(1).Within(1e-4));
    }
}
