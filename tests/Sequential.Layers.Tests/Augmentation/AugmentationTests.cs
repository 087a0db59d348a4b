using static TorchSharp.torch;
using static Sequential.Layers.Tests.LayerRun;

namespace Sequential.Layers.Tests;

public class AugmentationTests
{
    private static IEnumerable<Layer> All() =>
    [
        new RandomFlip(), new RandomRotation(0.2), new RandomZoom(0.3, 0.1, fillMode: "constant"),
        new RandomTranslation((-0.2, 0.2), (-0.1, 0.3), fillMode: "wrap"), new RandomContrast(0.5),
    ];

    [TestCaseSource(nameof(All))]
    public void IsTheIdentityAtInference_AndKeepsTheShapeInTraining(Layer layer)
    {
        RandomSeed.Set(7);
        var x = rand(6, 9, 8, 3) * 255;
        Assert.That((Run(layer, x, training: false) == x).all().item<bool>(), Is.True);
        var y = Run(layer, x, training: true);
        Assert.That(y.shape, Is.EqualTo(x.shape));
        Assert.That((y == x).all().item<bool>(), Is.False, "training should change something");
        Assert.That(() => layer.ComputeOutputShape([9, 8]), Throws.ArgumentException.With.Message.Contains("(H, W, C)"));
    }

    [Test]
    public void RandomFlipHorizontal_MirrorsAboutHalfTheImages_AndTheSeedRepeats()
    {
        var image = arange(12f).view(1, 3, 4, 1);
        var batch = image.expand(200, 3, 4, 1).contiguous();
        var y = Run(new RandomFlip("horizontal", seed: 5), batch, training: true);
        var flipped = (y == image.flip(2)).all(dim: 1).all(dim: 1).all(dim: 1);
        var kept = (y == image).all(dim: 1).all(dim: 1).all(dim: 1);
        Assert.That((flipped | kept).all().item<bool>(), Is.True, "each image is either mirrored or unchanged");
        Assert.That(flipped.sum().item<long>(), Is.InRange(70, 130));
        var again = Run(new RandomFlip("horizontal", seed: 5), batch, training: true);
        Assert.That((again == y).all().item<bool>(), Is.True);
    }

    [Test]
    public void RandomTranslation_PositiveHeightFactorShiftsDown()
    {
        var x = arange(16f).view(1, 4, 4, 1);
        var layer = new RandomTranslation((0.25, 0.25), (0.0, 0.0), fillMode: "constant", interpolation: "nearest", fillValue: -1);
        var y = Run(layer, x, training: true);
        Assert.That(Values(y), Is.EqualTo(new[] { -1f, -1, -1, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 }));
    }

    [Test]
    public void RandomRotation_OfAQuarterTurn_RotatesCounterClockwise()
    {
        var x = arange(9f).view(1, 3, 3, 1);
        var y = Run(new RandomRotation((0.25, 0.25), interpolation: "nearest"), x, training: true);
        Assert.That(Values(y), Is.EqualTo(new[] { 2f, 5, 8, 1, 4, 7, 0, 3, 6 }).Within(1e-4));
    }

    [Test]
    public void BadArguments_ListTheAcceptedValues()
    {
        Assert.That(() => new RandomFlip("diagonal"), Throws.ArgumentException.With.Message.Contains("\"horizontal_and_vertical\""));
        Assert.That(() => new RandomRotation(0.1, fillMode: "mirror"), Throws.ArgumentException.With.Message.Contains("\"reflect\""));
        Assert.That(() => new RandomZoom(0.1, interpolation: "bicubic"), Throws.ArgumentException.With.Message.Contains("\"bilinear\""));
        Assert.That(() => new RandomRotation(-0.1), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => new RandomZoom((0.3, 0.1)), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => new RandomContrast(1.5), Throws.TypeOf<ArgumentOutOfRangeException>());
    }
}
