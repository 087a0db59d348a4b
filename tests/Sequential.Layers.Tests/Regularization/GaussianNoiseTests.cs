using static TorchSharp.torch;
using static Sequential.Layers.Tests.LayerRun;

namespace Sequential.Layers.Tests;

public class GaussianNoiseTests
{
    [Test]
    public void Training_AddsNoiseWithTheGivenStddev()
    {
        // Keras's gaussian_noise_test.py: ones (20, 500), stddev 0.3, seed 1337: std of the output 0.3 +- 0.02.
        var x = ones(20, 500);
        var y = Run(new GaussianNoise(0.3, seed: 1337), x, training: true);
        Assert.That(y.shape, Is.EqualTo(new long[] { 20, 500 }));
        Assert.That(y.std().item<float>(), Is.EqualTo(0.3).Within(0.02));
        Assert.That(y.mean().item<float>(), Is.EqualTo(1).Within(0.02));
    }

    [Test]
    public void Inference_IsTheIdentity()
    {
        var x = randn(4, 6);
        var layer = new GaussianNoise(0.5);
        Assert.That(Values(Run(layer, x, training: false)), Is.EqualTo(Values(x)));
        Assert.That(layer.CountParams(), Is.Zero);
    }

    [Test]
    public void Seed_RepeatsTheNoise_AndRandomSeedSetRepeatsUnseededNoise()
    {
        var x = zeros(3, 8);
        var a = Values(Run(new GaussianNoise(0.2, seed: 5), x, training: true));
        Assert.That(Values(Run(new GaussianNoise(0.2, seed: 5), x, training: true)), Is.EqualTo(a));
        Assert.That(Values(Run(new GaussianNoise(0.2, seed: 6), x, training: true)), Is.Not.EqualTo(a));
        RandomSeed.Set(11);
        var b = Values(Run(new GaussianNoise(0.2), x, training: true));
        RandomSeed.Set(11);
        Assert.That(Values(Run(new GaussianNoise(0.2), x, training: true)), Is.EqualTo(b));
    }

    [TestCase(-0.1)]
    [TestCase(1.5)]
    [TestCase(double.NaN)]
    public void StddevOutside0To1_Throws(double stddev)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new GaussianNoise(stddev));
        Assert.That(ex!.Message, Does.Contain("GaussianNoise stddev must be a number between 0 and 1"));
    }

    [Test]
    public void ConfigRoundTripsThroughSaveAndLoad()
    {
        var loaded = SavedModels.AssertRoundTrips(new SequentialModel(new Dense(3, inputShape: [2]), new GaussianNoise(0.25, seed: 9)), randn(4, 2));
        var noise = (GaussianNoise)loaded.Layers[1];
        Assert.That((noise.Stddev, noise.Seed), Is.EqualTo((0.25, (int?)9)));
    }
}
