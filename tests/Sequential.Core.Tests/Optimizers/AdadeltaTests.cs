using Sequential.Optimizers;

namespace Sequential.Core.Tests.Optimizers;

/// Ported from keras/src/optimizers/adadelta_test.py (inputs, expected values and tolerances).
public class AdadeltaTests
{
    [Test]
    public void SingleStep_MatchesKeras() =>
        KerasOptimizerCases.AssertClose(KerasOptimizerCases.SingleStep(new Adadelta(learningRate: 0.5), [1f, 2f, 3f, 4f], [1f, 6f, 7f, 2f]),
            [0.9993f, 1.9993f, 2.9993f, 3.9993f], tolerance: 1e-4);

    [Test]
    public void CorrectnessWithGolden()
    {
        KerasOptimizerCases.Golden(new Adadelta(learningRate: 1.0, rho: 0.8, epsilon: 1e-6), KerasOptimizerCases.Tiled(0.9978, 0.9947, 0.9915, 0.9882, 0.9849));
    }

    [Test]
    public void WeightDecay_ExcludesByNameAndByVariable()
    {
        var (var1, var2, var3) = KerasOptimizerCases.WeightDecay(() => new Adadelta(learningRate: 1.0, weightDecay: 0.004));
        Assert.That(var1, Is.EqualTo(1.9760959).Within(1e-6));
        Assert.That((var2, var3), Is.EqualTo((2f, 2f)));
    }

    [Test]
    public void Registry_KerasNameAndDefaults() => Assert.That(Sequential.Optimizers.OptimizerRegistry.Get("adadelta"), Is.TypeOf<Adadelta>());
}
