using static TorchSharp.torch;
using static Sequential.Layers.Tests.LayerRun;

namespace Sequential.Layers.Tests;

public class IdentityTests
{
    [Test]
    public void ReturnsItsInput_WithNoWeights()
    {
        // Keras's identity_test.py: input (2, 3) -> output (2, 3), no weights.
        var x = randn(2, 3);
        var layer = new Identity();
        var y = Run(layer, x);
        Assert.That(y.shape, Is.EqualTo(new long[] { 2, 3 }));
        Assert.That(Values(y), Is.EqualTo(Values(x)));
        Assert.That(layer.CountParams(), Is.Zero);
        Assert.That(layer.Name, Is.EqualTo("identity"));
    }

    [Test]
    public void RoundTripsThroughSaveAndLoad() =>
        SavedModels.AssertRoundTrips(new SequentialModel(new Identity(inputShape: [3]), new Dense(2)), randn(4, 3));
}
