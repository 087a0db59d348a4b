using Sequential.Optimizers;
namespace Sequential.Core.Tests.Optimizers.Schedules;

/// Ported from keras/src/optimizers/schedules/learning_rate_schedule_test.py (InverseTimeDecayTest), tolerance 1e-6.
public class InverseTimeDecayTests
{
    [Test]
    public void Decay()
    {
        var decayed = new InverseTimeDecay(0.1, 10, 0.96);
        for (int i = 0; i <= 10; i++)
            Assert.That(decayed.Call(i), Is.EqualTo(0.1 / (1 + i / 10.0 * 0.96)).Within(1e-6), $"step {i}");
    }

    [Test]
    public void Staircase()
    {
        var decayed = new InverseTimeDecay(0.1, 10, 0.96, staircase: true);
        for (int i = 0; i <= 10; i++)
            Assert.That(decayed.Call(i), Is.EqualTo(0.1 / (1 + 0.96 * (i / 10))).Within(1e-6), $"step {i}");
    }
}
