using Sequential.Optimizers;

namespace Sequential.Core.Tests.Optimizers;

/// Ported from keras/src/optimizers/nadam_test.py (inputs, expected values and tolerances).
public class NadamTests
{
    [Test]
    public void SingleStep_MatchesKeras() =>
        KerasOptimizerCases.AssertClose(KerasOptimizerCases.SingleStep(new Nadam(learningRate: 0.5), [1f, 2f, 3f, 4f], [1f, 6f, 7f, 2f]),
            [0.4686f, 1.4686f, 2.4686f, 3.4686f], tolerance: 1e-4);

    [Test]
    public void CorrectnessWithGolden()
    {
        double[][] golden =
        [
            [0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281],
            [-0.1738, -0.1731, -0.1726, -0.1723, -0.1721, -0.172, -0.1719, -0.1718, -0.1718, -0.1717],
            [-0.7115, -0.7103, -0.7096, -0.7092, -0.709, -0.7088, -0.7086, -0.7085, -0.7085, -0.7084],
            [-1.2335, -1.2322, -1.2313, -1.2309, -1.2306, -1.2304, -1.2302, -1.2301, -1.23, -1.2299],
            [-1.7492, -1.7478, -1.7469, -1.7464, -1.7461, -1.7459, -1.7457, -1.7456, -1.7455, -1.7454],
        ];
        KerasOptimizerCases.Golden(new Nadam(learningRate: 0.5, beta1: 0.5, beta2: 0.67, epsilon: 1e-5), golden);
    }

    [Test]
    public void WeightDecay_ExcludesByNameAndByVariable()
    {
        var (var1, var2, var3) = KerasOptimizerCases.WeightDecay(() => new Nadam(learningRate: 1.0, weightDecay: 0.004));
        Assert.That(var1, Is.EqualTo(1.9760959).Within(1e-6));
        Assert.That((var2, var3), Is.EqualTo((2f, 2f)));
    }

    [Test]
    public void Registry_KerasNameAndDefaults() => Assert.That(Sequential.Optimizers.OptimizerRegistry.Get("nadam"), Is.TypeOf<Nadam>());

    [Test]
    public void StateRestoredIntoANewOptimizer_ContinuesTheMomentumSchedule()
    {
        // Keras keeps u_product as a variable; here it is recomputed from the step count, so a restored optimizer must
        // take the same third step as one that ran all three.
        var grads = new[] { 0.3, -0.2, 0.5 };
        var once = new TorchSharp.Modules.Parameter(TorchSharp.torch.tensor(1.0), requires_grad: true);
        var nadam = new Nadam(learningRate: 0.1);
        foreach (var g in grads) nadam.ApplyGradients([(TorchSharp.torch.tensor(g), once)]);

        var twice = new TorchSharp.Modules.Parameter(TorchSharp.torch.tensor(1.0), requires_grad: true);
        var first = new Nadam(learningRate: 0.1);
        foreach (var g in grads[..2]) first.ApplyGradients([(TorchSharp.torch.tensor(g), twice)]);
        var second = new Nadam(learningRate: 0.1);
        second.RestoreState(first.SaveState()!, [twice], first.Steps, 0.1, "test");
        second.ApplyGradients([(TorchSharp.torch.tensor(grads[2]), twice)]);
        Assert.That(twice.item<double>(), Is.EqualTo(once.item<double>()).Within(1e-15));
    }

    [Test]
    public void KerasDefaults()
    {
        var n = new Nadam();
        Assert.That((n.LearningRate, n.Beta1, n.Beta2, n.Epsilon), Is.EqualTo((0.001, 0.9, 0.999, 1e-7)));
    }
}
