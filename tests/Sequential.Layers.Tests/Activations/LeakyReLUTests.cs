using static TorchSharp.torch;
using static Sequential.Layers.Tests.LayerRun;

namespace Sequential.Layers.Tests;

public class LeakyReLUTests
{
    [Test]
    public void Values_EqualKeras()
    {
        // Keras's leaky_relu_test.py: negative_slope 0.5.
        var x = tensor(new float[] { -10, -5, 0, 5, 10 }).view(1, -1);
        Assert.That(Values(Run(new LeakyReLU(negativeSlope: 0.5), x)), Is.EqualTo(new float[] { -5, -2.5f, 0, 5, 10 }).Within(1e-6));
        // Keras 3's default slope is 0.3.
        Assert.That(new LeakyReLU().NegativeSlope, Is.EqualTo(0.3));
        Assert.That(Values(Run(new LeakyReLU(), x)), Is.EqualTo(new float[] { -3, -1.5f, 0, 5, 10 }).Within(1e-6));
        Assert.That(new LeakyReLU().Name, Is.EqualTo("leaky_re_lu"));
    }

    [Test]
    public void NegativeSlope_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new LeakyReLU(-0.1));
        Assert.That(ex!.Message, Does.Contain("LeakyReLU negativeSlope must be a finite number >= 0; got -0.1"));
    }

    [Test]
    public void ConfigRoundTripsThroughSaveAndLoad()
    {
        var loaded = SavedModels.AssertRoundTrips(new SequentialModel(new LeakyReLU(0.1, inputShape: [5])), randn(4, 5));
        Assert.That(((LeakyReLU)loaded.Layers[0]).NegativeSlope, Is.EqualTo(0.1));
    }
}
