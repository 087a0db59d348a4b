using Sequential.Optimizers;
namespace Sequential.Core.Tests.Optimizers.Schedules;

/// Ported from keras/src/optimizers/schedules/learning_rate_schedule_test.py (CosineDecayRestartsTest), tolerance 1e-6.
public class CosineDecayRestartsTests
{
    private static double Reference(double step, double decaySteps, double tMul = 2.0, double mMul = 1.0, double alpha = 0.0)
    {
        double factor = 1.0;
        while (step >= decaySteps)
        {
            step -= decaySteps;
            decaySteps *= tMul;
            factor *= mMul;
        }
        double decay = factor * 0.5 * (1.0 + Math.Cos(Math.PI * step / decaySteps));
        return (1.0 - alpha) * decay + alpha;
    }

    [TestCase(2.0, 1.0, 0.0)]
    [TestCase(2.0, 1.0, 0.1)]
    [TestCase(2.0, 0.9, 0.0)]
    [TestCase(1.0, 1.0, 0.0)]
    [TestCase(3.0, 0.5, 0.2)]
    public void MatchesTheStepByStepDefinition(double tMul, double mMul, double alpha)
    {
        for (int step = 0; step < 5000; step += 250)
            Assert.That(new CosineDecayRestarts(1.0, 1000, tMul, mMul, alpha).Call(step),
                Is.EqualTo(Reference(step, 1000, tMul, mMul, alpha)).Within(1e-6), $"step {step}");
    }
}
