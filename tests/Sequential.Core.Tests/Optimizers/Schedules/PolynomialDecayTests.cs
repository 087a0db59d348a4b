using Sequential.Optimizers;
namespace Sequential.Core.Tests.Optimizers.Schedules;

/// Ported from keras/src/optimizers/schedules/learning_rate_schedule_test.py (LinearDecayTest, SqrtDecayTest), tolerance 1e-6.
public class PolynomialDecayTests
{
    [TestCase(1.0)]
    [TestCase(0.5)]
    public void Halfway(double power) =>
        Assert.That(new PolynomialDecay(0.05, 10, 0.0, power: power).Call(5), Is.EqualTo(0.05 * Math.Pow(0.5, power)).Within(1e-6));

    [TestCase(1.0)]
    [TestCase(0.5)]
    public void EndAndBeyond(double power)
    {
        var decayed = new PolynomialDecay(0.05, 10, 0.001, power: power);
        Assert.That(decayed.Call(10), Is.EqualTo(0.001).Within(1e-6));
        Assert.That(decayed.Call(15), Is.EqualTo(0.001).Within(1e-6));
    }

    [TestCase(1.0)]
    [TestCase(0.5)]
    public void HalfwayWithEnd(double power) =>
        Assert.That(new PolynomialDecay(0.05, 10, 0.001, power: power).Call(5), Is.EqualTo((0.05 - 0.001) * Math.Pow(0.5, power) + 0.001).Within(1e-6));

    [TestCase(1.0)]
    [TestCase(0.5)]
    public void BeyondEndWithCycle(double power) =>
        Assert.That(new PolynomialDecay(0.05, 10, 0.001, power: power, cycle: true).Call(15),
            Is.EqualTo((0.05 - 0.001) * Math.Pow(0.25, power) + 0.001).Within(1e-6));

    [Test]
    public void BeginWithCycle() => Assert.That(new PolynomialDecay(0.001, 10, cycle: true).Call(0), Is.EqualTo(0.001).Within(1e-6));
}
