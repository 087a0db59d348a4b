using Sequential.Losses;
using static Sequential.Core.Tests.Losses.KerasTolerance;
using static Sequential.Core.Tests.Losses.TestTensors;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Losses;

/// Values from keras/src/losses/losses_test.py TverskyTest (the data of DiceTests).
public class TverskyTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    [Test]
    public void KerasValues()
    {
        using var scope = NewDisposeScope();
        Tensor y = L([1, 2, 1, 2], 2, 2), p = F([4, 1, 6, 1], 2, 2);
        Assert.That(Value(new Tversky().Call(y, p)), Is.EqualTo(-0.55555558).Within(AllClose));
        Assert.That(Value(new Tversky(alpha: 0.2, beta: 0.8).Call(y, p)), Is.EqualTo(-0.94444442).Within(AllClose));
        Assert.That(Value(new Tversky().Call(DiceTests.MaskY(), DiceTests.MaskP())), Is.EqualTo(0.77777779).Within(AllClose));
        Assert.That(Value(new Tversky(alpha: 0.2, beta: 0.8).Call(DiceTests.MaskY(), DiceTests.MaskP())), Is.EqualTo(0.76190472).Within(AllClose));
        Assert.That(new Tversky(axis: [1, 2, 3], reduction: null).Call(DiceTests.ImageY(), DiceTests.ImageP()).data<float>().ToArray(),
            Is.EqualTo(new[] { 0.5f, 0.75757575f }).Within(AllClose));
        Assert.That(new Tversky(alpha: 0.2, beta: 0.8, axis: [1, 2, 3], reduction: null).Call(DiceTests.ImageY(), DiceTests.ImageP())
            .data<float>().ToArray(), Is.EqualTo(new[] { 0.5f, 0.78494626f }).Within(AllClose));
    }

    [Test]
    public void NegativeAlpha_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Tversky(alpha: -0.1));
        Assert.That(ex!.Message, Does.StartWith("alpha must be a finite number >= 0."));
    }
}
