using static TorchSharp.torch;
using static Sequential.Layers.Tests.LayerRun;

namespace Sequential.Layers.Tests;

public class PoolingTests
{
    [Test]
    public void MaxPooling2D_TakesTheMaximumOfEachWindow_PerChannel()
    {
        var x = stack([arange(16f).view(4, 4), -arange(16f).view(4, 4)], -1).unsqueeze(0); // [1, 4, 4, 2]
        var y = Run(new MaxPooling2D((2, 2)), x);
        Assert.That(y.shape, Is.EqualTo(new long[] { 1, 2, 2, 2 }));
        Assert.That(Values(y), Is.EqualTo(new[] { 5f, 0f, 7f, -2f, 13f, -8f, 15f, -10f }));
    }

    [Test]
    public void MaxPooling2D_Same_PadsBottomRight_AndPaddingNeverWins()
    {
        var x = (-arange(9f) - 1).view(1, 3, 3, 1); // all negative: zero padding would show up as 0
        var pool = new MaxPooling2D(2, padding: "same");
        Assert.That(Values(Run(pool, x)), Is.EqualTo(new[] { -1f, -3f, -7f, -9f }));
        Assert.That(pool.Strides, Is.EqualTo((2, 2)));
    }

    [Test]
    public void AveragePooling2D_Valid_AndSameLeavesPaddingOutOfTheAverage()
    {
        Assert.That(Values(Run(new AveragePooling2D((2, 2)), arange(16f).view(1, 4, 4, 1))), Is.EqualTo(new[] { 2.5f, 4.5f, 10.5f, 12.5f }));
        var same = Run(new AveragePooling2D(2, padding: "same"), arange(9f).view(1, 3, 3, 1));
        Assert.That(Values(same), Is.EqualTo(new[] { 2f, 3.5f, 6.5f, 8f }));
        var strided = new AveragePooling2D((3, 3), strides: (1, 1), padding: "same");
        Assert.That(Values(Run(strided, ones(1, 4, 5, 1))), Is.All.EqualTo(1f).Within(1e-6));
    }

    [Test]
    public void GlobalPooling_ReducesHeightAndWidth_PerChannel()
    {
        var x = stack([arange(16f).view(4, 4), full(4, 4, 3f)], -1).unsqueeze(0);
        Assert.That(Values(Run(new GlobalAveragePooling2D(), x)), Is.EqualTo(new[] { 7.5f, 3f }));
        Assert.That(Values(Run(new GlobalMaxPooling2D(), x)), Is.EqualTo(new[] { 15f, 3f }));
        Assert.That(new GlobalAveragePooling2D(keepdims: true).ComputeOutputShape([7, 7, 512]), Is.EqualTo(new long[] { 1, 1, 512 }));
        Assert.That(new GlobalMaxPooling2D(dataFormat: "channels_first").ComputeOutputShape([512, 7, 7]), Is.EqualTo(new long[] { 512 }));
    }

    [Test]
    public void Pooling_ShapesAndBadArguments()
    {
        Assert.That(new MaxPooling2D().ComputeOutputShape([15, 15, 128]), Is.EqualTo(new long[] { 7, 7, 128 }));
        Assert.That(new MaxPooling2D((3, 3), strides: (2, 2)).ComputeOutputShape([15, 15, 8]), Is.EqualTo(new long[] { 7, 7, 8 }));
        Assert.That(new AveragePooling2D(2, padding: "same").ComputeOutputShape([15, 15, 8]), Is.EqualTo(new long[] { 8, 8, 8 }));
        Assert.That(() => new MaxPooling2D((0, 2)), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("poolSize"));
        Assert.That(() => new MaxPooling2D(2, padding: "reflect"), Throws.ArgumentException.With.Message.Contains("\"valid\", \"same\""));
        Assert.That(() => new GlobalMaxPooling2D().ComputeOutputShape([10, 3]),
            Throws.ArgumentException.With.Message.Contains("global_max_pooling2d").And.Message.Contains("(H, W, C)"));
    }
}
