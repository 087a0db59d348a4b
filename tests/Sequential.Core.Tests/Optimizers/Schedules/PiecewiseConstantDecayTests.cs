using Sequential.Optimizers;
namespace Sequential.Core.Tests.Optimizers.Schedules;

/// Ported from keras/src/optimizers/schedules/learning_rate_schedule_test.py (PiecewiseConstantDecayTest).
public class PiecewiseConstantDecayTests
{
    [Test]
    public void PiecewiseValues()
    {
        var decayed = new PiecewiseConstantDecay([100, 110, 120], [1.0, 0.1, 0.01, 0.001]);
        Assert.That(new[] { -999L, 100, 105, 110, 120, 999 }.Select(decayed.Call), Is.EqualTo(new[] { 1.0, 1.0, 0.1, 0.1, 0.01, 0.001 }));
    }

    [Test]
    public void BoundaryValues()
    {
        var decayed = new PiecewiseConstantDecay([1, 2, 3], [0.4, 0.5, 0.6, 0.7]);
        Assert.That(Enumerable.Range(0, 5).Select(s => decayed.Call(s)), Is.EqualTo(new[] { 0.4, 0.4, 0.5, 0.6, 0.7 }));
    }

    [Test]
    public void BadLengthsOrOrder_Throw()
    {
        var ex = Assert.Throws<ArgumentException>(() => _ = new PiecewiseConstantDecay([10, 20], [1.0, 2.0]));
        Assert.That(ex!.Message, Does.StartWith("The length of boundaries should be 1 less than the length of values; got 2 boundaries and 2 values."));
        ex = Assert.Throws<ArgumentException>(() => _ = new PiecewiseConstantDecay([20, 10], [1.0, 2.0, 3.0]));
        Assert.That(ex!.Message, Does.StartWith("PiecewiseConstantDecay boundaries must be strictly increasing; boundaries[1] = 10 follows 20."));
    }
}
