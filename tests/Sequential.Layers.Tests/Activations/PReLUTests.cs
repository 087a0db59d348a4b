using static TorchSharp.torch;
using static Sequential.Layers.Tests.LayerRun;

namespace Sequential.Layers.Tests;

public class PReLUTests
{
    [Test]
    public void ParameterCount_IsTheSampleShapeWithSharedAxesOfSize1()
    {
        // Keras's prelu_test.py shapes: shared_axes=1 on (2, 3, 4) -> alpha (1, 4); (1, 2) on (2, 10, 5, 3) -> (1, 1, 3).
        var one = new PReLU(sharedAxes: [1]);
        one.EnsureBuilt([3, 4]);
        Assert.That(one.Alpha!.shape, Is.EqualTo(new long[] { 1, 4 }));
        Assert.That(one.CountParams(), Is.EqualTo(4));
        var perChannel = new PReLU(sharedAxes: [1, 2]);
        perChannel.EnsureBuilt([10, 5, 3]);
        Assert.That(perChannel.CountParams(), Is.EqualTo(3));
        var full = new PReLU();
        full.EnsureBuilt([10, 5, 3]);
        Assert.That(full.CountParams(), Is.EqualTo(150));
        Assert.That(full.OutputShape, Is.EqualTo(new long[] { 10, 5, 3 }));
        Assert.That(TestModels.Values(full.Alpha!), Is.All.EqualTo(0f), "alpha starts at zeros, as in Keras");
    }

    [Test]
    public void Values_EqualKerasReference()
    {
        // Keras's prelu_test.py: (x > 0) * x + (x <= 0) * alpha * x with a per-channel alpha.
        RandomSeed.Set(3);
        var x = randn(2, 10, 5, 3);
        var layer = new PReLU(alphaInitializer: "glorot_uniform", sharedAxes: [1, 2]);
        layer.EnsureBuilt([10, 5, 3]);
        float[] alpha = [0.1f, 0.5f, 0.9f];
        using (no_grad()) layer.Alpha!.copy_(tensor(alpha).view(1, 1, 3));
        var input = Values(x);
        var expected = input.Select((v, i) => v > 0 ? v : alpha[i % 3] * v).ToArray();
        Assert.That(Values(Run(layer, x)), Is.EqualTo(expected).Within(1e-6));
    }

    [Test]
    public void BadSharedAxes_Throw()
    {
        Assert.That(() => new PReLU(sharedAxes: [0]), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("1-based"));
        var ex = Assert.Throws<ArgumentException>(() => new PReLU(sharedAxes: [3], name: "act").EnsureBuilt([4, 5]));
        Assert.That(ex!.Message, Does.Contain("\"act\"").And.Contain("axis 3").And.Contain("(None, 4, 5)"));
        Assert.That(() => new PReLU("nope"), Throws.ArgumentException.With.Message.Contains("Unknown initializer 'nope'"));
    }

    [Test]
    public void WeightsAndConfigRoundTripThroughSaveAndLoad()
    {
        var model = new SequentialModel(new PReLU(alphaInitializer: "random_uniform", sharedAxes: [1, 2], inputShape: [4, 4, 2]));
        var loaded = SavedModels.AssertRoundTrips(model, randn(3, 4, 4, 2));
        var prelu = (PReLU)loaded.Layers[0];
        Assert.That(prelu.SharedAxes, Is.EqualTo(new[] { 1, 2 }));
        Assert.That(TestModels.Values(prelu.Alpha!), Is.EqualTo(TestModels.Values(((PReLU)model.Layers[0]).Alpha!)));
        Assert.That(TestModels.Values(prelu.Alpha!), Has.Some.Not.EqualTo(0f));
    }
}
