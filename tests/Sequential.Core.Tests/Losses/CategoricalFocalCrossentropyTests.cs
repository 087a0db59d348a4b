using Sequential.Losses;
using static Sequential.Core.Tests.Losses.KerasTolerance;
using static Sequential.Core.Tests.Losses.TestTensors;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Losses;

/// Values from keras/src/losses/losses_test.py CategoricalFocalCrossentropyTest.
public class CategoricalFocalCrossentropyTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    private static Tensor Y() => F([1, 0, 0, 0, 1, 0, 0, 0, 1], 3, 3);

    private static Tensor P() => F([0.9f, 0.05f, 0.05f, 0.5f, 0.89f, 0.6f, 0.05f, 0.01f, 0.94f], 3, 3);

    private static Tensor Logits() => F([8, 1, 1, 0, 9, 1, 2, 3, 5], 3, 3);

    [Test]
    public void KerasValues()
    {
        using var scope = NewDisposeScope();
        Assert.That(Value(new CategoricalFocalCrossentropy(alpha: 0.25, gamma: 2.0).Call(Y(), Y())), Is.EqualTo(0.0).Within(Decimal3));
        Assert.That(Value(new CategoricalFocalCrossentropy(fromLogits: true).Call(Y(), Y() * 10)), Is.EqualTo(0.0).Within(Decimal3));
        Assert.That(Value(new CategoricalFocalCrossentropy().Call(Y(), P())), Is.EqualTo(0.02059).Within(Decimal3));
        Assert.That(Value(new CategoricalFocalCrossentropy(fromLogits: true).Call(Y(), Logits())), Is.EqualTo(0.000345).Within(Decimal3));
        Assert.That(Value(new CategoricalFocalCrossentropy().Call(Y(), P(), tensor(2.3f))), Is.EqualTo(0.047368).Within(Decimal3));
        Assert.That(Value(new CategoricalFocalCrossentropy(fromLogits: true).Call(Y(), Logits(), tensor(2.3f))),
            Is.EqualTo(0.000794).Within(Decimal4));
        var w = F([1.2f, 3.4f, 5.6f], 3, 1);
        Assert.That(Value(new CategoricalFocalCrossentropy().Call(Y(), P(), w)), Is.EqualTo(0.06987).Within(Decimal3));
        Assert.That(Value(new CategoricalFocalCrossentropy(fromLogits: true).Call(Y(), Logits(), w)), Is.EqualTo(0.001933).Within(Decimal3));
        var none = new CategoricalFocalCrossentropy(fromLogits: true, reduction: null).Call(Y(), Logits());
        Assert.That(none.to_type(ScalarType.Float64).data<double>().ToArray(),
            Is.EqualTo(new[] { 1.5096224e-09, 2.4136547e-11, 1.0360638e-03 }).Within(1e-6));
        Assert.That(Value(new CategoricalFocalCrossentropy(fromLogits: true, labelSmoothing: 0.1).Call(F([1, 0, 0], 1, 3), F([4.9f, -0.5f, 2.05f], 1, 3))),
            Is.EqualTo(0.06685).Within(Decimal3));
    }

    [Test]
    public void LabelSmoothingWithAxis_KerasValue()
    {
        // (batch, classes, spatial) with axis 1; expectation computed as Keras's test does (alpha 0.25, gamma 2)
        using var scope = NewDisposeScope();
        float[] y = [1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0];
        float[] p = [0.8f, 0.1f, 0.1f, 0.8f, 0.1f, 0.1f, 0.1f, 0.8f, 0.8f, 0.1f, 0.1f, 0.1f];
        double expected = 0;
        for (int i = 0; i < 12; i++)
        {
            double smoothed = y[i] * 0.9 + 0.1 / 3;
            expected += 0.25 * Math.Pow(1 - p[i], 2) * -smoothed * Math.Log(p[i]);
        }
        var loss = new CategoricalFocalCrossentropy(labelSmoothing: 0.1, axis: 1).Call(F(y, 2, 3, 2), F(p, 2, 3, 2));
        Assert.That(Value(loss), Is.EqualTo(expected / 4).Within(1.5e-5));
    }
}
