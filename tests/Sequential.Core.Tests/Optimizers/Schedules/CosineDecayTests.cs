using Sequential.Optimizers;
namespace Sequential.Core.Tests.Optimizers.Schedules;

/// Ported from keras/src/optimizers/schedules/learning_rate_schedule_test.py (CosineDecayTest).
public class CosineDecayTests
{
    private static double NpCosineDecay(double step, double decaySteps, double alpha = 0.0)
    {
        step = Math.Min(step, decaySteps);
        double decay = 0.5 * (1.0 + Math.Cos(Math.PI * step / decaySteps));
        return (1.0 - alpha) * decay + alpha;
    }

    private static double LinearWarmup(double step, double warmupSteps, double initial, double target) => step / warmupSteps * (target - initial);

    [TestCase(0.0)]
    [TestCase(0.1)]
    public void Decay(double alpha)
    {
        for (int step = 0; step < 1500; step += 250)
            Assert.That(new CosineDecay(1.0, 1000, alpha).Call(step), Is.EqualTo(NpCosineDecay(step, 1000, alpha)).Within(1e-6), $"step {step}");
    }

    [Test]
    public void Warmup()
    {
        for (int step = 0; step < 1500; step += 250)
            Assert.That(new CosineDecay(0.0, 10, warmupTarget: 10.0, warmupSteps: 1500).Call(step),
                Is.EqualTo(LinearWarmup(step, 1500, 0.0, 10.0)).Within(1e-6), $"step {step}");
    }

    [Test]
    public void WarmupThenDecay()
    {
        for (int step = 0; step < 3000; step += 250)
        {
            double expected = step < 2000 + 1 ? LinearWarmup(step, 2000, 0.0, 10.0) : 10.0 * NpCosineDecay(step - 2000, 1000);
            Assert.That(new CosineDecay(0.0, 1000, warmupTarget: 10.0, warmupSteps: 2000).Call(step), Is.EqualTo(expected).Within(1e-6), $"step {step}");
        }
    }
}
