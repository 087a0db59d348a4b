using Sequential.Losses;
using static Sequential.Core.Tests.Losses.KerasTolerance;
using static Sequential.Core.Tests.Losses.TestTensors;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Losses;

/// Values from keras/src/losses/losses_test.py BinaryFocalCrossentropyTest.
public class BinaryFocalCrossentropyTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    private static Tensor Y() => F([1, 0, 1, 0], 2, 2);

    private static Tensor P() => F([0.9f, 0.8f, 0.7f, 0.2f], 2, 2);

    private static Tensor LogitY() => F([1, 1, 0, 0, 1, 0], 2, 3);

    private static Tensor Logits() => F([1.5f, -2.7f, 2.9f, -3.8f, 1.2f, -4.5f], 2, 3);

    [Test]
    public void AllCorrect_IsZero()
    {
        using var scope = NewDisposeScope();
        var y = F([1, 0, 0, 0, 1, 0, 0, 0, 1], 3, 3);
        Assert.That(Value(new BinaryFocalCrossentropy(gamma: 1.5).Call(y, y)), Is.EqualTo(0.0).Within(Decimal3));
        Assert.That(Value(new BinaryFocalCrossentropy(gamma: 2.0, fromLogits: true).Call(y, y * 200 - 100)), Is.EqualTo(0.0).Within(Decimal3));
    }

    [Test]
    public void KerasValues()
    {
        using var scope = NewDisposeScope();
        Assert.That(Value(new BinaryFocalCrossentropy(gamma: 2.0).Call(Y(), P())), Is.EqualTo(0.268).Within(Decimal3));
        Assert.That(Value(new BinaryFocalCrossentropy(gamma: 3.0, fromLogits: true).Call(LogitY(), Logits())), Is.EqualTo(0.799).Within(Decimal3));
        Assert.That(Value(new BinaryFocalCrossentropy(gamma: 2.0).Call(Y(), P(), tensor(1.23f))), Is.EqualTo(0.3296).Within(Decimal3));
        Assert.That(Value(new BinaryFocalCrossentropy(gamma: 3.0, fromLogits: true).Call(LogitY(), Logits(), tensor(3.21f))),
            Is.EqualTo(2.565).Within(Decimal3));
        var w = F([1.2f, 3.4f], 2, 1);
        Assert.That(Value(new BinaryFocalCrossentropy(gamma: 2.0).Call(Y(), P(), w)), Is.EqualTo(0.34415).Within(Decimal3));
        Assert.That(Value(new BinaryFocalCrossentropy(gamma: 3.0, fromLogits: true).Call(LogitY(), Logits(), w)), Is.EqualTo(0.95977).Within(Decimal3));
        Assert.That(new BinaryFocalCrossentropy(gamma: 2.0, reduction: null).Call(Y(), P()).data<float>().ToArray(),
            Is.EqualTo(new[] { 0.515547f, 0.020513f }).Within(AllClose));
    }

    [Test]
    public void ClassBalancing_KerasDocstringValues()
    {
        // keras.losses.BinaryFocalCrossentropy docstring, example 2: y [[0, 1], [0, 0]], logits [[-18.6, 0.51], [2.94, -12.8]]
        using var scope = NewDisposeScope();
        Tensor y = F([0, 1, 0, 0], 2, 2), logits = F([-18.6f, 0.51f, 2.94f, -12.8f], 2, 2), w = F([0.8f, 0.2f], 2);
        Assert.That(Value(new BinaryFocalCrossentropy(gamma: 3, fromLogits: true).Call(y, logits)), Is.EqualTo(0.647).Within(Decimal3));
        Assert.That(Value(new BinaryFocalCrossentropy(applyClassBalancing: true, gamma: 3, fromLogits: true).Call(y, logits)),
            Is.EqualTo(0.482).Within(Decimal3));
        Assert.That(Value(new BinaryFocalCrossentropy(gamma: 3, fromLogits: true).Call(y, logits, w)), Is.EqualTo(0.133).Within(Decimal3));
        Assert.That(Value(new BinaryFocalCrossentropy(applyClassBalancing: true, gamma: 3, fromLogits: true).Call(y, logits, w)),
            Is.EqualTo(0.097).Within(Decimal3));
        Assert.That(Value(new BinaryFocalCrossentropy(gamma: 4, fromLogits: true, reduction: "sum").Call(y, logits)), Is.EqualTo(1.222).Within(Decimal3));
        Assert.That(Value(new BinaryFocalCrossentropy(applyClassBalancing: true, gamma: 4, fromLogits: true, reduction: "sum").Call(y, logits)),
            Is.EqualTo(0.914).Within(Decimal3));
        // one element by hand: y 1, p 0.4: bce -ln 0.4, focal factor (1 - 0.4)^2 = 0.36, class 1 weighted by alpha 0.25
        Assert.That(Value(new BinaryFocalCrossentropy(applyClassBalancing: true, gamma: 2).Call(F([1], 1, 1), F([0.4f], 1, 1))),
            Is.EqualTo(0.25 * 0.36 * -Math.Log(0.4)).Within(1e-5));
    }

    [Test]
    public void OutOfRangeArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BinaryFocalCrossentropy(alpha: 1.5));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new BinaryFocalCrossentropy(gamma: -1));
        Assert.That(ex!.Message, Does.StartWith("gamma must be a finite number >= 0"));
    }
}
