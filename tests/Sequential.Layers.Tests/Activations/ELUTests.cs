using static TorchSharp.torch;
using static Sequential.Layers.Tests.LayerRun;

namespace Sequential.Layers.Tests;

public class ELUTests
{
    [TestCase(1.0)]
    [TestCase(0.7)]
    public void Values_EqualKerasReference(double alpha)
    {
        // Keras's elu_test.py reference: (x > 0) * x + (x <= 0) * alpha * (exp(x) - 1).
        float[] input = [-3, -1, -0.25f, 0, 0.4f, 2];
        var expected = input.Select(v => v > 0 ? v : (float)(alpha * (Math.Exp(v) - 1))).ToArray();
        var y = Run(new ELU(alpha), tensor(input).view(2, 3));
        Assert.That(y.shape, Is.EqualTo(new long[] { 2, 3 }));
        Assert.That(Values(y), Is.EqualTo(expected).Within(1e-6));
    }

    [Test]
    public void NonFiniteAlpha_Throws() =>
        Assert.That(() => new ELU(double.PositiveInfinity), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("ELU alpha"));

    [Test]
    public void ConfigRoundTripsThroughSaveAndLoad()
    {
        var loaded = SavedModels.AssertRoundTrips(new SequentialModel(new ELU(0.5, inputShape: [3])), randn(4, 3));
        Assert.That(((ELU)loaded.Layers[0]).Alpha, Is.EqualTo(0.5));
    }
}
