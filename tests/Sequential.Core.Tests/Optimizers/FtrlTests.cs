using Sequential.Optimizers;

namespace Sequential.Core.Tests.Optimizers;

/// Ported from keras/src/optimizers/ftrl_test.py (inputs, expected values and tolerances).
public class FtrlTests
{
    [Test]
    public void SingleStep_MatchesKeras() =>
        KerasOptimizerCases.AssertClose(KerasOptimizerCases.SingleStep(new Ftrl(learningRate: 0.5), [1f, 2f, 3f, 4f], [1f, 6f, 7f, 2f]),
            [0.2218f, 1.3954f, 2.3651f, 2.8814f], tolerance: 1e-4);

    [Test]
    public void CorrectnessWithGolden()
    {
        double[][] golden =
        [
            [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
            [-0.0034, -0.0077, -0.0118, -0.0157, -0.0194, -0.023, -0.0263, -0.0294, -0.0325, -0.0354],
            [-0.0078, -0.0162, -0.0242, -0.0317, -0.0387, -0.0454, -0.0516, -0.0575, -0.0631, -0.0685],
            [-0.0121, -0.0246, -0.0363, -0.0472, -0.0573, -0.0668, -0.0757, -0.0842, -0.0922, -0.0999],
            [-0.0164, -0.0328, -0.0481, -0.0623, -0.0753, -0.0875, -0.099, -0.1098, -0.1201, -0.1299],
        ];
        KerasOptimizerCases.Golden(new Ftrl(learningRate: 0.05, learningRatePower: -0.2, initialAccumulatorValue: 0.4, l1RegularizationStrength: 0.05,
            l2RegularizationStrength: 0.15, l2ShrinkageRegularizationStrength: 0.01, beta: 0.3), golden);
    }

    [Test]
    public void Registry_KerasNameAndDefaults() => Assert.That(Sequential.Optimizers.OptimizerRegistry.Get("ftrl"), Is.TypeOf<Ftrl>());

    [TestCase("initialAccumulatorValue", "Ftrl initialAccumulatorValue needs to be positive or zero; got -0.1.")]
    [TestCase("learningRatePower", "Ftrl learningRatePower needs to be negative or zero, e.g. -0.5; got 0.1.")]
    [TestCase("l1RegularizationStrength", "Ftrl l1RegularizationStrength needs to be positive or zero; got -0.1.")]
    [TestCase("l2RegularizationStrength", "Ftrl l2RegularizationStrength needs to be positive or zero; got -0.1.")]
    [TestCase("l2ShrinkageRegularizationStrength", "Ftrl l2ShrinkageRegularizationStrength needs to be positive or zero; got -0.1.")]
    public void InvalidArguments_NameTheArgument(string argument, string message)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => _ = argument switch
        {
            "initialAccumulatorValue" => new Ftrl(initialAccumulatorValue: -0.1),
            "learningRatePower" => new Ftrl(learningRatePower: 0.1),
            "l1RegularizationStrength" => new Ftrl(l1RegularizationStrength: -0.1),
            "l2RegularizationStrength" => new Ftrl(l2RegularizationStrength: -0.1),
            _ => new Ftrl(l2ShrinkageRegularizationStrength: -0.1),
        });
        Assert.That(ex!.ParamName, Is.EqualTo(argument));
        Assert.That(ex.Message, Does.StartWith(message));
    }

    [Test]
    public void KerasDefaults()
    {
        var f = new Ftrl();
        Assert.That((f.LearningRate, f.LearningRatePower, f.InitialAccumulatorValue, f.L1RegularizationStrength, f.Beta),
            Is.EqualTo((0.001, -0.5, 0.1, 0.0, 0.0)));
    }
}
