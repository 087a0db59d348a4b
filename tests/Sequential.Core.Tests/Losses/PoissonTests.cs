using Sequential.Losses;
using static Sequential.Core.Tests.Losses.KerasTolerance;
using static Sequential.Core.Tests.Losses.TestTensors;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Losses;

/// keras/src/losses/losses_test.py PoissonTest: expectations computed as Keras's test computes them.
public class PoissonTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    private static readonly float[] PValues = [1, 9, 2, 5, 2, 6];
    private static readonly float[] YValues = [4, 8, 12, 8, 1, 3];

    private static double Elementwise(int i) => PValues[i] - YValues[i] * Math.Log(PValues[i]);

    [Test]
    public void KerasValues()
    {
        using var scope = NewDisposeScope();
        Tensor y = F(YValues, 2, 3), p = F(PValues, 2, 3);
        double total = Enumerable.Range(0, 6).Sum(Elementwise);
        Assert.That(Value(new Poisson().Call(y, p)), Is.EqualTo(total / 6).Within(Decimal3));
        Assert.That(Value(new Poisson().Call(y, p, tensor(2.3f))), Is.EqualTo(2.3 * total / 6).Within(Decimal3));
        Assert.That(Value(new Poisson().Call(y, p, F([1.2f, 3.4f], 2, 1))),
            Is.EqualTo(Enumerable.Range(0, 6).Sum(i => Elementwise(i) * (i < 3 ? 1.2 : 3.4)) / 6).Within(Decimal3));
        Assert.That(Value(new Poisson().Call(y, p, tensor(0f))), Is.EqualTo(0.0).Within(Decimal3));
        double[] w = [3, 6, 5, 0, 4, 2];
        Assert.That(Value(new Poisson().Call(y.reshape(2, 3, 1), p.reshape(2, 3, 1), F([3, 6, 5, 0, 4, 2], 2, 3))),
            Is.EqualTo(Enumerable.Range(0, 6).Sum(i => Elementwise(i) * w[i]) / 6).Within(Decimal3));
    }
}
