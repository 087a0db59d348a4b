using Sequential.Optimizers;

namespace Sequential.Core.Tests.Optimizers;

/// Ported from keras/src/optimizers/lion_test.py (inputs, expected values and tolerances).
public class LionTests
{
    [Test]
    public void SingleStep_MatchesKeras() =>
        KerasOptimizerCases.AssertClose(KerasOptimizerCases.SingleStep(new Lion(learningRate: 0.5), [1f, 2f, 3f, 4f], [1f, 6f, 7f, 2f]),
            [0.5f, 1.5f, 2.5f, 3.5f], tolerance: 1e-4);

    [Test]
    public void CorrectnessWithGolden()
    {
        KerasOptimizerCases.Golden(new Lion(), KerasOptimizerCases.Tiled(0.999, 0.998, 0.997, 0.996, 0.995));
    }

    [Test]
    public void WeightDecay_ExcludesByNameAndByVariable()
    {
        var (var1, var2, var3) = KerasOptimizerCases.WeightDecay(() => new Lion(learningRate: 1.0, weightDecay: 0.004));
        Assert.That(var1, Is.EqualTo(1.9760959).Within(1e-6));
        Assert.That((var2, var3), Is.EqualTo((2f, 2f)));
    }

    [Test]
    public void Registry_KerasNameAndDefaults() => Assert.That(Sequential.Optimizers.OptimizerRegistry.Get("lion"), Is.TypeOf<Lion>());

    [TestCase(0.0)]
    [TestCase(1.5)]
    public void Beta1OutsideZeroToOne_Throws(double beta1)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Lion(beta1: beta1));
        Assert.That(ex!.Message, Does.StartWith($"Lion beta1 must be in (0, 1] (otherwise the optimizer degenerates to SignSGD), e.g. 0.9; got {beta1}."));
    }

    [Test]
    public void KerasDefaults()
    {
        var l = new Lion();
        Assert.That((l.LearningRate, l.Beta1, l.Beta2), Is.EqualTo((0.001, 0.9, 0.99)));
    }
}
