using static TorchSharp.torch;
using static Sequential.Layers.Tests.LayerRun;

namespace Sequential.Layers.Tests;

public class SpatialDropout2DTests
{
    [TestCase("channels_last")]
    [TestCase("channels_first")]
    public void Training_DropsWholeChannels(string format)
    {
        // Keras's spatial_dropout_test.py: ones (10, 3, 3, 10), rate 0.5: every pixel of a channel gets the same value.
        bool first = format == "channels_first";
        var x = first ? ones(10, 10, 3, 3) : ones(10, 3, 3, 10);
        var y = Run(new SpatialDropout2D(0.5, format, seed: 1), x, training: true);
        var perChannel = first ? y.permute(0, 2, 3, 1) : y;   // [N, H, W, C]
        Assert.That(Values(perChannel[.., 0, 0, ..]), Is.EqualTo(Values(perChannel[.., 1, 1, ..])));
        Assert.That((perChannel == perChannel[.., 0..1, 0..1, ..]).all().item<bool>(), Is.True);
        Assert.That(Values(y).Distinct().Order(), Is.EqualTo(new float[] { 0, 2 }), "kept channels are scaled by 1 / (1 - rate)");
    }

    [Test]
    public void Training_DropsAboutRateOfTheChannels()
    {
        var y = Run(new SpatialDropout2D(0.3, seed: 42), ones(200, 2, 2, 50), training: true);
        double dropped = (y[.., 0, 0, ..] == 0).to_type(ScalarType.Float32).mean().item<float>();
        Assert.That(dropped, Is.EqualTo(0.3).Within(0.03));
        Assert.That(y.mean().item<float>(), Is.EqualTo(1).Within(0.05), "scaling keeps the expected value");
    }

    [Test]
    public void Inference_IsTheIdentity_AndRateOneDropsEverything()
    {
        var x = rand(2, 4, 4, 3);
        Assert.That(Values(Run(new SpatialDropout2D(0.5), x, training: false)), Is.EqualTo(Values(x)));
        Assert.That(Values(Run(new SpatialDropout2D(1), x, training: true)), Is.All.EqualTo(0f));
        Assert.That(Values(Run(new SpatialDropout2D(0), x, training: true)), Is.EqualTo(Values(x)));
    }

    [Test]
    public void Seed_RepeatsTheMask()
    {
        var x = ones(8, 2, 2, 16);
        var a = Values(Run(new SpatialDropout2D(0.5, seed: 3), x, training: true));
        Assert.That(Values(Run(new SpatialDropout2D(0.5, seed: 3), x, training: true)), Is.EqualTo(a));
        Assert.That(Values(Run(new SpatialDropout2D(0.5, seed: 4), x, training: true)), Is.Not.EqualTo(a));
    }

    [TestCase(-0.1)]
    [TestCase(1.5)]
    public void RateOutside0To1_Throws(double rate)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new SpatialDropout2D(rate));
        Assert.That(ex!.ParamName, Is.EqualTo("rate"));
        Assert.That(ex.Message, Does.Contain("SpatialDropout2D rate must be a number between 0 and 1"));
    }

    [Test]
    public void NonImageInput_Throws_NamingTheLayer() =>
        Assert.That(() => new SpatialDropout2D(0.5, name: "sd").EnsureBuilt([3, 4]),
            Throws.ArgumentException.With.Message.Contains("\"sd\"").And.Message.Contains("(H, W, C)"));

    [Test]
    public void ConfigRoundTripsThroughSaveAndLoad()
    {
        var model = new SequentialModel(new SpatialDropout2D(0.4, "channels_first", seed: 7, inputShape: [3, 4, 4]));
        var loaded = SavedModels.AssertRoundTrips(model, rand(2, 3, 4, 4));
        var dropout = (SpatialDropout2D)loaded.Layers[0];
        Assert.That((dropout.Rate, dropout.DataFormat, dropout.Seed), Is.EqualTo((0.4, "channels_first", (int?)7)));
    }
}
