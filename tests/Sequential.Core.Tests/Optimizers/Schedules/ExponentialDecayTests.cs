using Sequential.Optimizers;
namespace Sequential.Core.Tests.Optimizers.Schedules;

/// Ported from keras/src/optimizers/schedules/learning_rate_schedule_test.py (ExponentialDecayTest), tolerance 1e-6.
public class ExponentialDecayTests
{
    [Test]
    public void Continuous() =>
        Assert.That(new ExponentialDecay(0.05, 10, 0.96).Call(5), Is.EqualTo(0.05 * Math.Pow(0.96, 5.0 / 10.0)).Within(1e-6));

    [Test]
    public void Staircase()
    {
        var decayed = new ExponentialDecay(0.1, 3, 0.96, staircase: true);
        Assert.That(decayed.Call(1), Is.EqualTo(0.1).Within(1e-6));
        Assert.That(decayed.Call(2), Is.EqualTo(0.1).Within(1e-6));
        Assert.That(decayed.Call(100), Is.EqualTo(0.1 * Math.Pow(0.96, 100 / 3)).Within(1e-6));
    }

    [Test]
    public void NonPositiveDecaySteps_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new ExponentialDecay(0.1, 0, 0.96));
        Assert.That(ex!.Message, Does.StartWith("ExponentialDecay decaySteps must be > 0; got 0."));
    }
}
