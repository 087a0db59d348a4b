using Sequential.Losses;
using static Sequential.Core.Tests.Losses.KerasTolerance;
using static Sequential.Core.Tests.Losses.TestTensors;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Losses;

/// Values from keras/src/losses/losses_test.py MeanSquaredLogarithmicErrorTest (negative targets count as 1e-7).
public class MeanSquaredLogarithmicErrorTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    private static Tensor Y() => F([1, 9, 2, -5, -2, 6], 2, 3);

    private static Tensor P() => F([4, 8, 12, 8, 1, 3], 2, 3);

    [Test]
    public void KerasValues()
    {
        using var scope = NewDisposeScope();
        var msle = new MeanSquaredLogarithmicError();
        Assert.That(Value(msle.Call(Y(), P())), Is.EqualTo(1.4370).Within(Decimal3));
        Assert.That(Value(msle.Call(Y(), P(), tensor(2.3f))), Is.EqualTo(3.3051).Within(Decimal3));
        Assert.That(Value(msle.Call(Y(), P(), F([1.2f, 3.4f], 2, 1))), Is.EqualTo(3.7856).Within(Decimal3));
        Assert.That(Value(msle.Call(Y(), P(), tensor(0f))), Is.EqualTo(0.0).Within(Decimal3));
        Assert.That(Value(msle.Call(Y().reshape(2, 3, 1), P().reshape(2, 3, 1), F([3, 6, 5, 0, 4, 2], 2, 3))),
            Is.EqualTo(2.647374).Within(Decimal3));
        Assert.That(Value(new MeanSquaredLogarithmicError(reduction: "mean_with_sample_weight").Call(Y(), P(), F([1.2f, 3.4f], 2, 1))),
            Is.EqualTo(1.646).Within(Decimal3));
    }
}
