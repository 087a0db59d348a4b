using Sequential.Optimizers;
using Sequential.Persistence;

namespace Sequential.Core.Tests.Optimizers.Schedules;

/// Keras's test_config for every schedule (a configuration round trip recreates an equal schedule), the implicit
/// conversion from a number, and a schedule of one's own.
public class LearningRateScheduleTests
{
    private static IEnumerable<LearningRateSchedule> KerasConfigCases() =>
    [
        new ExponentialDecay(initialLearningRate: 0.05, decaySteps: 10, decayRate: 0.96, staircase: true, name: "my_ed"),
        new PiecewiseConstantDecay(boundaries: [10, 20], values: [1, 2, 3], name: "my_pcd"),
        new PolynomialDecay(initialLearningRate: 0.1, decaySteps: 100, endLearningRate: 0.005, power: 1.0, cycle: false, name: "my_ld"),
        new InverseTimeDecay(initialLearningRate: 0.05, decaySteps: 10, decayRate: 0.96, staircase: true, name: "my_itd"),
        new CosineDecay(initialLearningRate: 0.05, decaySteps: 10, alpha: 0.1, warmupTarget: 0.2, warmupSteps: 2, name: "my_cd"),
        new CosineDecayRestarts(initialLearningRate: 0.05, firstDecaySteps: 10, alpha: 0.1, tMul: 3.0, mMul: 4.0, name: "my_cdr"),
    ];

    [TestCaseSource(nameof(KerasConfigCases))]
    public void Config_RoundTrips(LearningRateSchedule schedule)
    {
        string json = schedule.ToJson().ToJsonString();
        var back = (LearningRateSchedule)ConfigReflection.FromJson(System.Text.Json.JsonDocument.Parse(json).RootElement, typeof(LearningRateSchedule))!;
        Assert.That(back.GetType(), Is.EqualTo(schedule.GetType()));
        Assert.That(back.ToJson().ToJsonString(), Is.EqualTo(json));
        for (long step = 0; step < 40; step += 3) Assert.That(back.Call(step), Is.EqualTo(schedule.Call(step)), $"step {step}");
    }

    [Test]
    public void Config_UsesKerasKeys() =>
        Assert.That(new CosineDecayRestarts(0.05, 10, tMul: 3.0, mMul: 4.0).ToJson().ToJsonString(), Is.EqualTo(
            "{\"class_name\":\"CosineDecayRestarts\",\"config\":{\"initial_learning_rate\":0.05,\"first_decay_steps\":10,\"t_mul\":3," +
            "\"m_mul\":4,\"alpha\":0,\"name\":\"SGDRDecay\"}}"));

    [Test]
    public void NumberConvertsToAConstant()
    {
        LearningRateSchedule constant = 0.25;
        Assert.That(constant.Call(0), Is.EqualTo(0.25));
        Assert.That(constant.Call(1000), Is.EqualTo(0.25));
    }

    /// Keras's docstring example: initial / (step + 1).
    public sealed class OneOverStep(double initialLearningRate) : LearningRateSchedule
    {
        public double InitialLearningRate { get; } = initialLearningRate;

        public override double Call(long step) => InitialLearningRate / (step + 1);
    }

    [Test]
    public void OwnSchedule_LoadsOnceRegistered()
    {
        var json = new OneOverStep(0.1).ToJson().ToJsonString();
        var element = System.Text.Json.JsonDocument.Parse(json).RootElement;
        Assert.Throws<InvalidDataException>(() => ConfigReflection.FromJson(element, typeof(LearningRateSchedule)));
        ScheduleRegistry.Register<OneOverStep>();
        var back = (OneOverStep)ConfigReflection.FromJson(element, typeof(LearningRateSchedule))!;
        Assert.That(back.Call(3), Is.EqualTo(0.025));
    }
}
