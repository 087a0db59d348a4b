using Sequential.Optimizers;

namespace Sequential.Core.Tests.Optimizers;

/// Ported from keras/src/optimizers/adamax_test.py (inputs, expected values and tolerances).
public class AdamaxTests
{
    [Test]
    public void SingleStep_MatchesKeras() =>
        KerasOptimizerCases.AssertClose(KerasOptimizerCases.SingleStep(new Adamax(learningRate: 0.5), [1f, 2f, 3f, 4f], [1f, 6f, 7f, 2f]),
            [0.5f, 1.5f, 2.5f, 3.5f], tolerance: 1e-4);

    [Test]
    public void CorrectnessWithGolden()
    {
        double[][] golden =
        [
            [0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8],
            [0.6827, 0.6873, 0.6888, 0.6896, 0.6901, 0.6904, 0.6906, 0.6908, 0.6909, 0.691],
            [0.5333, 0.5407, 0.5431, 0.5444, 0.5451, 0.5456, 0.546, 0.5462, 0.5464, 0.5466],
            [0.368, 0.3773, 0.3804, 0.382, 0.3829, 0.3835, 0.384, 0.3843, 0.3846, 0.3848],
            [0.1933, 0.204, 0.2076, 0.2094, 0.2105, 0.2112, 0.2117, 0.2121, 0.2124, 0.2126],
        ];
        KerasOptimizerCases.Golden(new Adamax(learningRate: 0.2, beta1: 0.85, beta2: 0.95, epsilon: 1e-6), golden);
    }

    [Test]
    public void WeightDecay_ExcludesByNameAndByVariable()
    {
        var (var1, var2, var3) = KerasOptimizerCases.WeightDecay(() => new Adamax(learningRate: 1.0, weightDecay: 0.004));
        Assert.That(var1, Is.EqualTo(1.9760959).Within(1e-6));
        Assert.That((var2, var3), Is.EqualTo((2f, 2f)));
    }

    [Test]
    public void Registry_KerasNameAndDefaults() => Assert.That(Sequential.Optimizers.OptimizerRegistry.Get("adamax"), Is.TypeOf<Adamax>());
}
