using Sequential.Losses;
using static Sequential.Core.Tests.Losses.KerasTolerance;
using static Sequential.Core.Tests.Losses.TestTensors;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Losses;

/// Values from keras/src/losses/losses_test.py DiceTest.
public class DiceTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    internal static Tensor MaskY() => F([1, 0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1], 4, 4);

    internal static Tensor MaskP() => F([0, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 1], 4, 4);

    internal static Tensor ImageY() => F([1, 1, 0, 0, 1, 1, 0, 0], 2, 2, 2, 1);

    internal static Tensor ImageP() => F([0, 1, 0, 1, 0.4f, 0, 0, 0.9f], 2, 2, 2, 1);

    [Test]
    public void KerasValues()
    {
        using var scope = NewDisposeScope();
        Assert.That(Value(new Dice().Call(L([1, 2, 1, 2], 2, 2), L([4, 1, 6, 1], 2, 2).to_type(ScalarType.Float32))),
            Is.EqualTo(-0.55555546).Within(AllClose));
        Assert.That(Value(new Dice().Call(MaskY(), MaskP())), Is.EqualTo(0.77777773).Within(AllClose));
        var perImage = new Dice(axis: [1, 2, 3], reduction: null).Call(ImageY(), ImageP());
        Assert.That(perImage.data<float>().ToArray(), Is.EqualTo(new[] { 0.5f, 0.75757575f }).Within(AllClose));
    }

    [Test]
    public void DefaultAxis_GivesOneValueForTheBatch_PerImageAxisOnePerImage()
    {
        using var scope = NewDisposeScope();
        Assert.That(new Dice(reduction: null).Call(ImageY(), ImageP()).shape, Is.Empty);
        // weights per sample on the one batch value: Keras broadcasts them, sum_over_batch_size gives value * mean(w)
        double batchValue = Value(new Dice().Call(ImageY(), ImageP()));
        Assert.That(Value(new Dice().Call(ImageY(), ImageP(), F([1, 3], 2))), Is.EqualTo(batchValue * 2).Within(AllClose));
        // one weight per image with axis [1, 2, 3]: (0.5 * 1 + 0.75757575 * 3) / 2
        Assert.That(Value(new Dice(axis: [1, 2, 3]).Call(ImageY(), ImageP(), F([1, 3], 2))), Is.EqualTo((0.5 + 3 * 0.75757575) / 2).Within(AllClose));
    }
}
