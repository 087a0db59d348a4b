using static TorchSharp.torch;
using static Sequential.Layers.Tests.LayerRun;

namespace Sequential.Layers.Tests;

public class ZeroPadding2DTests
{
    [Test]
    public void PadsTopBottomLeftRight_WithZeros()
    {
        var layer = new ZeroPadding2D(((1, 0), (0, 2)));
        var y = Run(layer, ones(1, 2, 2, 1));
        Assert.That(y.shape, Is.EqualTo(new long[] { 1, 3, 4, 1 }));
        Assert.That(Values(y), Is.EqualTo(new[] { 0f, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0 }));
        Assert.That(new ZeroPadding2D().ComputeOutputShape([28, 28, 1]), Is.EqualTo(new long[] { 30, 30, 1 }));
        Assert.That(new ZeroPadding2D((1, 2)).Padding, Is.EqualTo(((1, 1), (2, 2))));
        Assert.That(() => new ZeroPadding2D(-1), Throws.TypeOf<ArgumentOutOfRangeException>());
    }
}
