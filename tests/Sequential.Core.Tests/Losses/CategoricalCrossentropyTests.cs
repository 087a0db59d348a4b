using Sequential.Losses;
using static Sequential.Core.Tests.Losses.TestTensors;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Losses;

public class CategoricalCrossentropyTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    [Test]
    public void KerasDocstringExample()
    {
        // Keras docstring: y [[0,1,0],[0,0,1]], p [[0.05,0.95,0],[0.1,0.8,0.1]] -> 1.177
        // (-ln 0.95 - ln 0.1) / 2 = (0.0512933 + 2.3025851) / 2 = 1.1769392
        using var scope = NewDisposeScope();
        var loss = new CategoricalCrossentropy().Call(F([0, 1, 0, 0, 0, 1], 2, 3), F([0.05f, 0.95f, 0, 0.1f, 0.8f, 0.1f], 2, 3));
        Assert.That(Value(loss), Is.EqualTo(1.1769392).Within(1e-5));
    }

    [Test]
    public void LogitsAndProbabilitiesAgree()
    {
        // logits [2,1,0], one-hot class 0: -log(e^2 / (e^2 + e^1 + e^0)) = 0.40760596
        using var scope = NewDisposeScope();
        var y = F([1, 0, 0], 1, 3);
        var logits = F([2, 1, 0], 1, 3);
        Assert.That(Value(new CategoricalCrossentropy(fromLogits: true).Call(y, logits)), Is.EqualTo(0.40760596).Within(1e-5));
        Assert.That(Value(new CategoricalCrossentropy().Call(y, logits.softmax(-1))), Is.EqualTo(0.40760596).Within(1e-5));
    }

    [Test]
    public void PredictionsAreRenormalisedBySum()
    {
        // p = [2, 6, 2] sums to 10 -> [0.2, 0.6, 0.2]; class 1: -ln 0.6 = 0.5108256
        using var scope = NewDisposeScope();
        Assert.That(Value(new CategoricalCrossentropy().Call(F([0, 1, 0], 1, 3), F([2, 6, 2], 1, 3))), Is.EqualTo(0.5108256).Within(1e-5));
    }

    [Test]
    public void ProbabilityZeroIsClippedToEpsilon()
    {
        // true class has p = 0 -> clipped to 1e-7 -> -ln(1e-7) = 16.118095
        using var scope = NewDisposeScope();
        Assert.That(Value(new CategoricalCrossentropy().Call(F([1, 0], 1, 2), F([0, 1], 1, 2))), Is.EqualTo(16.118095).Within(1e-5));
    }

    [Test]
    public void LabelSmoothingSpreadsOverClasses()
    {
        // ls = 0.3, 3 classes: y' = y * 0.7 + 0.1 -> [0.1, 0.8, 0.1]
        // -(0.1 ln 0.2 + 0.8 ln 0.7 + 0.1 ln 0.1) = 0.1609438 + 0.2853399 + 0.2302585 = 0.6765423
        using var scope = NewDisposeScope();
        var loss = new CategoricalCrossentropy(labelSmoothing: 0.3).Call(F([0, 1, 0], 1, 3), F([0.2f, 0.7f, 0.1f], 1, 3));
        Assert.That(Value(loss), Is.EqualTo(0.6765423).Within(1e-5));
    }

    [Test]
    public void Validate_IntegerLabels_SuggestSparse()
    {
        using var scope = NewDisposeScope();
        var ex = Assert.Throws<ArgumentException>(() => new CategoricalCrossentropy().Validate(L([3, 1, 0, 9], 4), [10]));
        Assert.That(ex!.Message, Does.Contain("(4,)").And.Contain("(10,)").And.Contain("sparse_categorical_crossentropy"));
    }

    [Test]
    public void Validate_WrongNumberOfClasses_NamesBothShapes()
    {
        using var scope = NewDisposeScope();
        var ex = Assert.Throws<ArgumentException>(() => new CategoricalCrossentropy().Validate(F(new float[12], 4, 3), [10]));
        Assert.That(ex!.Message, Does.Contain("(4, 3)").And.Contain("(10,)").And.Not.Contain("sparse"));
    }

    [Test]
    public void Validate_SingleUnitOutput_Throws()
    {
        using var scope = NewDisposeScope();
        var ex = Assert.Throws<ArgumentException>(() => new CategoricalCrossentropy().Validate(F([1, 0], 2, 1), [1]));
        Assert.That(ex!.Message, Does.Contain("binary_crossentropy"));
    }

    [Test]
    public void LabelSmoothingWithAxis_KerasValue()
    {
        // losses_test.py test_label_smoothing_with_axis: (batch, classes, spatial) with axis 1
        using var scope = NewDisposeScope();
        float[] y = [1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0];
        float[] p = [0.8f, 0.1f, 0.1f, 0.8f, 0.1f, 0.1f, 0.1f, 0.8f, 0.8f, 0.1f, 0.1f, 0.1f];
        double expected = -Enumerable.Range(0, 12).Sum(i => (y[i] * 0.9 + 0.1 / 3) * Math.Log(p[i])) / 4;
        var loss = new CategoricalCrossentropy(labelSmoothing: 0.1, axis: 1).Call(F(y, 2, 3, 2), F(p, 2, 3, 2));
        Assert.That(Value(loss), Is.EqualTo(expected).Within(1.5e-5));
    }
}
