using static TorchSharp.torch;
using static Sequential.Layers.Tests.LayerRun;

namespace Sequential.Layers.Tests;

public class Cropping2DTests
{
    private static IEnumerable<TestCaseData> KerasCases()
    {
        // Keras's cropping2d_test.py: cropping and the expected (row, column) ranges of a 7x9 image.
        var cases = new (Func<string, Cropping2D> layer, string cropping, ((int, int), (int, int)) ranges)[]
        {
            (f => new Cropping2D(((1, 2), (3, 4)), f), "((1, 2), (3, 4))", ((1, 5), (3, 5))),
            (f => new Cropping2D(((2, 2), (2, 2)), f), "((2, 2), (2, 2))", ((2, 5), (2, 7))),
            (f => new Cropping2D((2, 2), f), "(2, 2)", ((2, 5), (2, 7))),
            (f => new Cropping2D(2, f), "2", ((2, 5), (2, 7))),
            (f => new Cropping2D(((0, 2), (0, 4)), f), "((0, 2), (0, 4))", ((0, 5), (0, 5))),
            (f => new Cropping2D(((1, 0), (3, 0)), f), "((1, 0), (3, 0))", ((1, 7), (3, 9))),
            (f => new Cropping2D(((1, 0), (3, 4)), f), "((1, 0), (3, 4))", ((1, 7), (3, 5))),
            (f => new Cropping2D(((1, 2), (3, 0)), f), "((1, 2), (3, 0))", ((1, 5), (3, 9))),
        };
        foreach (var format in new[] { "channels_last", "channels_first" })
            foreach (var (layer, cropping, ranges) in cases)
                yield return new TestCaseData(layer(format), format, ranges).SetArgDisplayNames(cropping, format);
    }

    [TestCaseSource(nameof(KerasCases))]
    public void Crops_TheRowsAndColumnsKerasKeeps(Cropping2D layer, string format, ((int, int), (int, int)) ranges)
    {
        var ((rowStart, rowEnd), (columnStart, columnEnd)) = ranges;
        bool first = format == "channels_first";
        var x = first ? rand(3, 5, 7, 9) : rand(3, 7, 9, 5);
        var expected = first
            ? x[.., .., rowStart..rowEnd, columnStart..columnEnd]
            : x[.., rowStart..rowEnd, columnStart..columnEnd, ..];
        var y = Run(layer, x);
        Assert.That(y.shape, Is.EqualTo(expected.shape));
        Assert.That(layer.OutputShape, Is.EqualTo(expected.shape[1..]));
        Assert.That(Values(y), Is.EqualTo(Values(expected)));
    }

    [Test]
    public void KerasDocstringExample()
    {
        Assert.That(new Cropping2D(((2, 2), (4, 4))).ComputeOutputShape([28, 28, 3]), Is.EqualTo(new long[] { 24, 20, 3 }));
        Assert.That(new Cropping2D().Cropping, Is.EqualTo(((0, 0), (0, 0))));
    }

    // Keras's "cropping more than available" and "excessive cropping" cases: nothing may be left of an axis.
    [TestCase(3, 6, 0, 0, 7, 9)]
    [TestCase(0, 0, 5, 4, 7, 9)]
    [TestCase(4, 5, 0, 0, 8, 9)]
    [TestCase(0, 0, 5, 5, 8, 9)]
    [TestCase(6, 3, 0, 0, 8, 9)]
    [TestCase(0, 0, 7, 3, 8, 9)]
    public void CroppingTheWholeAxis_Throws_NamingLayerCroppingAndShape(int top, int bottom, int left, int right, int height, int width)
    {
        var layer = new Cropping2D(((top, bottom), (left, right)), name: "crop");
        var ex = Assert.Throws<ArgumentException>(() => layer.EnsureBuilt([height, width, 5]));
        Assert.That(ex!.Message, Does.Contain("\"crop\"").And.Contain($"(({top}, {bottom}), ({left}, {right}))")
            .And.Contain($"(None, {height}, {width}, 5)").And.Contain("must leave at least one row"));
        var direct = Assert.Throws<ArgumentException>(() => layer.forward(zeros(1, height, width, 5)));
        Assert.That(direct!.Message, Does.Contain("must leave at least one row"));
    }

    [Test]
    public void NegativeCropping_Throws() =>
        Assert.That(() => new Cropping2D(((1, 2), (3, -4))),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("Cropping2D cropping must not be negative"));

    [Test]
    public void ConfigRoundTripsThroughSaveAndLoad()
    {
        var model = new SequentialModel(new Cropping2D(((1, 2), (0, 3)), dataFormat: "channels_first", inputShape: [2, 6, 7]));
        var loaded = SavedModels.AssertRoundTrips(model, rand(2, 2, 6, 7));
        var crop = (Cropping2D)loaded.Layers[0];
        Assert.That((crop.Cropping, crop.DataFormat), Is.EqualTo((((1, 2), (0, 3)), "channels_first")));
    }
}
