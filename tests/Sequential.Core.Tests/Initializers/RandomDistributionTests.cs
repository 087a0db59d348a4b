using Sequential.Initializers;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Initializers;

/// RandomNormal, RandomUniform and TruncatedNormal with arguments (random_initializers_test.py test_random_normal and
/// test_random_uniform; TruncatedNormal's bounds).
public class RandomDistributionTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    [Test]
    public void RandomNormal_KerasTest()
    {
        using var scope = NewDisposeScope();
        var initializer = new RandomNormal(mean: 0.0, stddev: 1.0, seed: 1234);
        Assert.That((initializer.Mean, initializer.Stddev, initializer.Seed), Is.EqualTo((0.0, 1.0, (int?)1234)));
        var values = initializer.Call([25, 20]).to_type(ScalarType.Float64);
        Assert.That(values.std().item<double>(), Is.EqualTo(1.0).Within(0.1));
        var shifted = new RandomNormal(mean: 3, stddev: 0.5, seed: 1).Call([200, 200]).to_type(ScalarType.Float64);
        Assert.That(shifted.mean().item<double>(), Is.EqualTo(3).Within(0.01));
        Assert.That(shifted.std().item<double>(), Is.EqualTo(0.5).Within(2).Percent);
    }

    [Test]
    public void RandomUniform_KerasTest_AndBounds()
    {
        using var scope = NewDisposeScope();
        var initializer = new RandomUniform(minval: -1.0, maxval: 1.0, seed: 1234);
        var values = initializer.Call([5, 5]);
        Assert.That(values.min().item<float>(), Is.GreaterThanOrEqualTo(-1f));
        Assert.That(values.max().item<float>(), Is.LessThan(1f));
        var shifted = new RandomUniform(minval: 2, maxval: 3, seed: 2).Call([100, 100]);
        Assert.That(shifted.min().item<float>(), Is.GreaterThanOrEqualTo(2f).And.LessThan(2.01f));
        Assert.That(shifted.max().item<float>(), Is.LessThan(3f).And.GreaterThan(2.99f));
        var ex = Assert.Throws<ArgumentException>(() => new RandomUniform(minval: 1, maxval: 0));
        Assert.That(ex!.Message, Does.StartWith("RandomUniform needs finite bounds with minval <= maxval; got minval 1, maxval 0."));
    }

    [Test]
    public void TruncatedNormal_StaysWithinTwoStddevsOfTheMean()
    {
        using var scope = NewDisposeScope();
        var values = new TruncatedNormal(mean: 1.0, stddev: 0.1, seed: 3).Call([300, 300]).to_type(ScalarType.Float64);
        Assert.That(values.min().item<double>(), Is.GreaterThanOrEqualTo(0.8 - 1e-6).And.LessThan(0.81));
        Assert.That(values.max().item<double>(), Is.LessThanOrEqualTo(1.2 + 1e-6).And.GreaterThan(1.19));
        Assert.That(values.mean().item<double>(), Is.EqualTo(1.0).Within(0.002));
        // a normal cut at ±2 sigma has std 0.8796 sigma (no correction here, unlike VarianceScaling)
        Assert.That(values.std().item<double>(), Is.EqualTo(0.1 * 0.87962566103423978).Within(2).Percent);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TruncatedNormal(stddev: -1));
    }
}
