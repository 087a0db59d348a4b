using Sequential.Losses;
using static Sequential.Core.Tests.Losses.KerasTolerance;
using static Sequential.Core.Tests.Losses.TestTensors;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Losses;

/// keras/src/losses/losses_test.py LogCoshTest: expectations computed as Keras's test computes them.
public class LogCoshTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    private static readonly double[] YValues = [1, 9, 2, -5, -2, 6];
    private static readonly double[] PValues = [4, 8, 12, 8, 1, 3];

    private static double Elementwise(int i) =>
        Math.Log((Math.Exp(PValues[i] - YValues[i]) + Math.Exp(YValues[i] - PValues[i])) / 2);

    private static Tensor Y() => F([1, 9, 2, -5, -2, 6], 2, 3);

    private static Tensor P() => F([4, 8, 12, 8, 1, 3], 2, 3);

    [Test]
    public void KerasValues()
    {
        using var scope = NewDisposeScope();
        double total = Enumerable.Range(0, 6).Sum(Elementwise);
        Assert.That(Value(new LogCosh().Call(Y(), P())), Is.EqualTo(total / 6).Within(Decimal3));
        Assert.That(Value(new LogCosh().Call(Y(), P(), tensor(2.3f))), Is.EqualTo(2.3 * total / 6).Within(Decimal3));
        Assert.That(Value(new LogCosh().Call(Y(), P(), F([1.2f, 3.4f], 2))),
            Is.EqualTo(Enumerable.Range(0, 6).Sum(i => Elementwise(i) * (i < 3 ? 1.2 : 3.4)) / 6).Within(Decimal3));
        Assert.That(Value(new LogCosh().Call(Y(), P(), tensor(0f))), Is.EqualTo(0.0).Within(Decimal3));
        double[] w = [3, 6, 5, 0, 4, 2];
        Assert.That(Value(new LogCosh().Call(Y().reshape(2, 3, 1), P().reshape(2, 3, 1), F([3, 6, 5, 0, 4, 2], 2, 3, 1))),
            Is.EqualTo(Enumerable.Range(0, 6).Sum(i => Elementwise(i) * w[i]) / 6).Within(Decimal3));
    }

    [Test]
    public void LargeErrors_StayFinite()
    {
        // cosh(200) overflows float32; Keras's x + softplus(-2x) - log 2 gives |x| - log 2
        using var scope = NewDisposeScope();
        Assert.That(Value(new LogCosh().Call(F([0], 1, 1), F([200], 1, 1))), Is.EqualTo(200 - Math.Log(2)).Within(1e-3));
    }
}
