using Sequential.Losses;
using static Sequential.Core.Tests.Losses.TestTensors;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Losses;

/// keras/src/losses/losses_test.py CTCTest, and the checks before training.
public class CTCTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    private static Tensor Logits() => (arange(24, ScalarType.Float32).reshape(2, 4, 3) - 12) / 100;

    [Test]
    public void KerasValue()
    {
        using var scope = NewDisposeScope();
        Assert.That(Value(new CTC().Call(L([1, 2, 1, 0, 1, 2, 0, 2], 2, 4), Logits())), Is.EqualTo(2.448645).Within(1e-5));
        Assert.That(LossRegistry.Get("ctc"), Is.TypeOf<CTC>());
    }

    [Test]
    public void PerSampleValues_AndWeights()
    {
        using var scope = NewDisposeScope();
        var values = new CTC(reduction: "none").Call(L([1, 2, 1, 0, 1, 2, 0, 2], 2, 4), Logits());
        Assert.That(values.shape, Is.EqualTo(new long[] { 2 }));
        var weighted = new CTC().Call(L([1, 2, 1, 0, 1, 2, 0, 2], 2, 4), Logits(), F([1, 0], 2));
        Assert.That(Value(weighted), Is.EqualTo(values[0].item<float>() / 2).Within(1e-5));
    }

    [Test]
    public void Validate_NamesWhatIsWrong()
    {
        using var scope = NewDisposeScope();
        var ctc = new CTC();
        var ex = Assert.Throws<ArgumentException>(() => ctc.Validate(L([1, 2], 2), [4, 3]));
        Assert.That(ex!.Message, Does.StartWith("ctc needs targets of shape [N, maxLabelLength] (integer labels, 0-padded), but y has shape (2,)"));
        ex = Assert.Throws<ArgumentException>(() => ctc.Validate(L([1, 2, 1, 0], 1, 4), [3]));
        Assert.That(ex!.Message, Does.StartWith("ctc needs a model output of shape [N, T, classes]"));
        ex = Assert.Throws<ArgumentException>(() => ctc.Validate(L([1, 3, 1, 0], 1, 4), [4, 3]));
        Assert.That(ex!.Message, Does.StartWith("ctc labels must be in [0, 3) for an output with 3 classes (0 is the blank and pads), but y contains 3"));
        ex = Assert.Throws<ArgumentException>(() => ctc.Validate(L([1, 2, 1, 2], 1, 4), [3, 3]));
        Assert.That(ex!.Message, Does.StartWith("ctc: a labelling has 4 labels but the output has only 3 time steps"));
        Assert.DoesNotThrow(() => ctc.Validate(L([1, 2, 1, 0], 1, 4), [4, 3]));
    }
}
