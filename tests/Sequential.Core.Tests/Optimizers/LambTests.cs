using Sequential.Optimizers;

namespace Sequential.Core.Tests.Optimizers;

/// Ported from keras/src/optimizers/lamb_test.py (inputs, expected values and tolerances).
public class LambTests
{
    [Test]
    public void SingleStep_MatchesKeras() =>
        KerasOptimizerCases.AssertClose(KerasOptimizerCases.SingleStep(new Lamb(learningRate: 0.5), [1f, 2f, 3f, 4f], [1f, 6f, 7f, 2f]),
            [-0.3693f, 0.6306f, 1.6306f, 2.6306f], tolerance: 1e-4);

    [Test]
    public void CorrectnessWithGolden()
    {
        KerasOptimizerCases.Golden(new Lamb(), KerasOptimizerCases.Tiled(0.999, 0.9982, 0.9974, 0.9965, 0.9955));
    }

    [Test]
    public void WeightDecay_ExcludesByNameAndByVariable()
    {
        var (var1, var2, var3) = KerasOptimizerCases.WeightDecay(() => new Lamb(learningRate: 1.0, weightDecay: 0.004));
        Assert.That(var1, Is.EqualTo(1.9760959).Within(1e-6));
        Assert.That((var2, var3), Is.EqualTo((2f, 2f)));
    }

    [Test]
    public void Registry_KerasNameAndDefaults() => Assert.That(Sequential.Optimizers.OptimizerRegistry.Get("lamb"), Is.TypeOf<Lamb>());
}
