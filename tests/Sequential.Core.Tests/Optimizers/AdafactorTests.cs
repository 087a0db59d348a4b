using Sequential.Optimizers;

namespace Sequential.Core.Tests.Optimizers;

/// Ported from keras/src/optimizers/adafactor_test.py (inputs, expected values and tolerances).
public class AdafactorTests
{
    [Test]
    public void SingleStep_MatchesKeras() =>
        KerasOptimizerCases.AssertClose(KerasOptimizerCases.SingleStep(new Adafactor(learningRate: 0.5), [1f, 2f, 3f, 4f], [1f, 6f, 7f, 2f]),
            [-0.3693f, 0.6307f, 1.6307f, 2.6307f], tolerance: 1e-4);

    [Test]
    public void CorrectnessWithGolden()
    {
        double[][] golden =
        [
            [0.55, 0.55, 0.55, 0.55, 0.55, 0.55, 0.55, 0.55, 0.55, 0.55],
            [0.3031, 0.3026, 0.3025, 0.3024, 0.3024, 0.3024, 0.3024, 0.3024, 0.3024, 0.3024],
            [0.1671, 0.1665, 0.1663, 0.1663, 0.1663, 0.1663, 0.1663, 0.1663, 0.1663, 0.1663],
            [0.0923, 0.0916, 0.0915, 0.0914, 0.0914, 0.0914, 0.0914, 0.0914, 0.0914, 0.0914],
            [0.0554, 0.0548, 0.0546, 0.0546, 0.0546, 0.0546, 0.0546, 0.0545, 0.0545, 0.0545],
        ];
        KerasOptimizerCases.Golden(new Adafactor(learningRate: 0.5, beta2Decay: -0.65, epsilon1: 1e-15, epsilon2: 1e-4, clipThreshold: 0.9,
            relativeStep: false), golden);
    }

    [Test]
    public void WeightDecay_ExcludesByNameAndByVariable()
    {
        var (var1, var2, var3) = KerasOptimizerCases.WeightDecay(() => new Adafactor(learningRate: 1.0, weightDecay: 0.004));
        Assert.That(var1, Is.EqualTo(1.9760959).Within(1e-6));
        Assert.That((var2, var3), Is.EqualTo((2f, 2f)));
    }

    [Test]
    public void Registry_KerasNameAndDefaults() => Assert.That(Sequential.Optimizers.OptimizerRegistry.Get("adafactor"), Is.TypeOf<Adafactor>());

    [Test]
    public void SingleStep2D_FactoredMoments_MatchKeras() =>
        KerasOptimizerCases.AssertClose(
            KerasOptimizerCases.SingleStep(new Adafactor(learningRate: 0.5), [1f, 2f, 3f, 4f], [1f, 6f, 7f, 2f], shape: [2, 2]),
            [0.7007, -0.0081, 1.2492, 3.4407], tolerance: 1e-4);

    [Test]
    public void KerasDefaults()
    {
        var a = new Adafactor();
        Assert.That((a.LearningRate, a.Beta2Decay, a.Epsilon1, a.Epsilon2, a.ClipThreshold, a.RelativeStep),
            Is.EqualTo((0.001, -0.8, 1e-30, 1e-3, 1.0, true)));
    }
}
