using static TorchSharp.torch;
using static Sequential.Layers.Tests.LayerRun;

namespace Sequential.Layers.Tests;

public class RescalingTests
{
    [Test]
    public void ScalesThenOffsets_AndTurnsBytesIntoFloats()
    {
        var pixels = tensor(new byte[] { 0, 255, 51 }).view(1, 3);
        Assert.That(Values(Run(new Rescaling(1.0 / 255), pixels)), Is.EqualTo(new[] { 0f, 1f, 0.2f }).Within(1e-6));
        Assert.That(Values(Run(new Rescaling(1.0 / 127.5, offset: -1), pixels)), Is.EqualTo(new[] { -1f, 1f, -0.6f }).Within(1e-6));
        Assert.That(() => new Rescaling(double.NaN), Throws.TypeOf<ArgumentOutOfRangeException>());
    }
}
