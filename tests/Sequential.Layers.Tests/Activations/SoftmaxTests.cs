using static TorchSharp.torch;
using static Sequential.Layers.Tests.LayerRun;

namespace Sequential.Layers.Tests;

public class SoftmaxTests
{
    private static readonly float[] KerasExpected = [0.21194157f, 0.5761169f, 0.21194157f, 0.21194157f, 0.5761169f, 0.21194157f];

    [Test]
    public void LastAxis_EqualsKeras()
    {
        // Keras's softmax_test.py: [[1, 2, 1], [1, 2, 1]] with the default axis and with axis 1.
        var x = tensor(new float[] { 1, 2, 1, 1, 2, 1 }).view(2, 3);
        Assert.That(Values(Run(new Softmax(), x)), Is.EqualTo(KerasExpected).Within(1e-6));
        Assert.That(Values(Run(new Softmax(axis: 1), x)), Is.EqualTo(KerasExpected).Within(1e-6));
    }

    [Test]
    public void OtherAxis_NormalisesAlongIt()
    {
        // [1, 2, 3] x [4, 6]: along axis 1 (the rows of each sample) each column sums to 1.
        var x = arange(24f).view(1, 2, 3, 4) / 4;
        var y = Run(new Softmax(axis: 2), x);
        Assert.That(Values(y.sum(2)), Is.All.EqualTo(1f).Within(1e-6));
        Assert.That(Values(Run(new Softmax(axis: -2), x)), Is.EqualTo(Values(y)));
        Assert.That(y.shape, Is.EqualTo(new long[] { 1, 2, 3, 4 }));
    }

    [Test]
    public void AxisBeyondTheInput_Throws_NamingLayerAndShape()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Softmax(axis: 3, name: "probs").EnsureBuilt([4, 5]));
        Assert.That(ex!.Message, Does.Contain("\"probs\"").And.Contain("axis 3").And.Contain("(None, 4, 5)").And.Contain("[-3, 2]"));
    }

    [Test]
    public void ConfigRoundTripsThroughSaveAndLoad()
    {
        var loaded = SavedModels.AssertRoundTrips(new SequentialModel(new Softmax(axis: 1, inputShape: [3, 2])), randn(4, 3, 2));
        Assert.That(((Softmax)loaded.Layers[0]).Axis, Is.EqualTo(1));
    }
}
