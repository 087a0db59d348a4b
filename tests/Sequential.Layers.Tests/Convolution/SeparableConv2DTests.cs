using static TorchSharp.torch;
using static Sequential.Layers.Tests.LayerRun;

namespace Sequential.Layers.Tests;

public class SeparableConv2DTests
{
    [Test]
    public void ParameterCount_IsDepthwisePlusPointwisePlusBias_AsInKeras()
    {
        var layer = new SeparableConv2D(64, (3, 3), depthMultiplier: 2, padding: "same");
        layer.EnsureBuilt([32, 32, 16]);
        Assert.That(layer.CountParams(), Is.EqualTo(3 * 3 * 16 * 2 + 16 * 2 * 64 + 64));
        Assert.That(layer.OutputShape, Is.EqualTo(new long[] { 32, 32, 64 }));
        Assert.That(new SeparableConv2D(8, 3, strides: 2).ComputeOutputShape([9, 9, 3]), Is.EqualTo(new long[] { 4, 4, 8 }));
    }

    [Test]
    public void Values_EqualADepthwiseThenPointwiseHandComputation()
    {
        // Two channels, 2x2 depthwise kernels of ones (channel 0) and twos (channel 1), pointwise weights 1 and 10.
        var x = arange(18, dtype: ScalarType.Float32).view(1, 3, 3, 2);
        var layer = new SeparableConv2D(1, 2, name: "sep");
        layer.EnsureBuilt([3, 3, 2]);
        using (no_grad())
        {
            layer.DepthwiseKernel![0].fill_(1);
            layer.DepthwiseKernel![1].fill_(2);
            layer.PointwiseKernel!.copy_(tensor(new float[] { 1, 10 }).view(1, 2, 1, 1));
        }
        // Window sums of channel 0 (x = 6h + 2w): 16, 24, 40, 48; of channel 1: each + 4.
        float[] expected = [16 + 20 * 20, 24 + 20 * 28, 40 + 20 * 44, 48 + 20 * 52];
        Assert.That(Values(Run(layer, x)), Is.EqualTo(expected));
    }

    [Test]
    public void BadArguments_Throw()
    {
        Assert.That(() => new SeparableConv2D(0, 3), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => new SeparableConv2D(8, (3, 3), depthMultiplier: 0), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("depthMultiplier"));
        Assert.That(() => new SeparableConv2D(8, 3, padding: "causal"), Throws.ArgumentException.With.Message.Contains("\"valid\", \"same\""));
    }
}
