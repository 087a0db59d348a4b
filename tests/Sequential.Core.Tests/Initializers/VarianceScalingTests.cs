using Sequential.Initializers;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Initializers;

/// keras/src/initializers/random_initializers_test.py test_variance_scaling and its argument checks (std within Keras's
/// atol 0.1, and tighter checks on a larger sample).
public class VarianceScalingTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    private static double Std(Tensor t) => t.to_type(ScalarType.Float64).std().item<double>();

    private static double MaxAbs(Tensor t) => t.to_type(ScalarType.Float64).abs().max().item<double>();

    [Test]
    public void KerasTest_StdFollowsTheMode()
    {
        using var scope = NewDisposeScope();
        var fanIn = new VarianceScaling(scale: 2.0, seed: 1234, mode: "fan_in");
        Assert.That((fanIn.Scale, fanIn.Seed), Is.EqualTo((2.0, (int?)1234)));
        Assert.That(Std(fanIn.Call([25, 20])), Is.EqualTo(Math.Sqrt(2.0 / 25)).Within(0.1));
        Assert.That(Std(new VarianceScaling(scale: 2.0, seed: 1234, mode: "fan_out").Call([25, 20])), Is.EqualTo(Math.Sqrt(2.0 / 20)).Within(0.1));
    }

    [TestCase("fan_in", "truncated_normal")]
    [TestCase("fan_out", "untruncated_normal")]
    [TestCase("fan_avg", "uniform")]
    public void LargeSample_HasTheVarianceScaleOverFan(string mode, string distribution)
    {
        // fan_in 400, fan_out 100, fan_avg 250; scale 3
        using var scope = NewDisposeScope();
        var values = new VarianceScaling(scale: 3.0, mode: mode, distribution: distribution, seed: 7).Call([400, 100]);
        double fan = mode switch { "fan_in" => 400, "fan_out" => 100, _ => 250 };
        double std = Math.Sqrt(3.0 / fan);
        Assert.That(Std(values), Is.EqualTo(std).Within(3).Percent);
        if (distribution == "uniform")
            Assert.That(MaxAbs(values), Is.LessThanOrEqualTo(Math.Sqrt(3) * std + 1e-7).And.GreaterThan(0.99 * Math.Sqrt(3) * std));
        else if (distribution == "truncated_normal")
            Assert.That(MaxAbs(values), Is.LessThanOrEqualTo(2 * std / 0.87962566103423978 + 1e-6));
        else
            Assert.That(MaxAbs(values), Is.GreaterThan(2 * std / 0.87962566103423978), "an untruncated normal goes past two stddevs");
    }

    [Test]
    public void NormalMeansTruncatedNormal_AsInKeras() =>
        Assert.That(new VarianceScaling(distribution: "Normal").Distribution, Is.EqualTo("truncated_normal"));

    [Test]
    public void InvalidArguments_Throw_NamingTheValue()
    {
        var ex = Assert.Throws<ArgumentException>(() => new VarianceScaling(scale: -1.0, seed: 1234, mode: "fan_in"));
        Assert.That(ex!.Message, Does.StartWith("VarianceScaling's scale must be a positive number; got -1."));
        ex = Assert.Throws<ArgumentException>(() => new VarianceScaling(scale: 2.0, mode: "invalid_mode"));
        Assert.That(ex!.Message, Does.StartWith("Unknown VarianceScaling mode 'invalid_mode'. Accepted: fan_in, fan_out, fan_avg."));
        ex = Assert.Throws<ArgumentException>(() => new VarianceScaling(distribution: "invalid_dist"));
        Assert.That(ex!.Message, Does.StartWith("Unknown VarianceScaling distribution 'invalid_dist'. Accepted: truncated_normal, untruncated_normal, uniform"));
    }

    [Test]
    public void NamedSpecialCases_HaveKerasArguments()
    {
        Assert.That(new GlorotUniform() is { Scale: 1.0, Mode: "fan_avg", Distribution: "uniform", Name: "glorot_uniform" });
        Assert.That(new GlorotNormal() is { Scale: 1.0, Mode: "fan_avg", Distribution: "truncated_normal" });
        Assert.That(new HeUniform() is { Scale: 2.0, Mode: "fan_in", Distribution: "uniform" });
        Assert.That(new HeNormal() is { Scale: 2.0, Mode: "fan_in", Distribution: "truncated_normal" });
        Assert.That(new LecunUniform() is { Scale: 1.0, Mode: "fan_in", Distribution: "uniform" });
        Assert.That(new LecunNormal() is { Scale: 1.0, Mode: "fan_in", Distribution: "truncated_normal" });
    }
}
