using Sequential.Losses;
using static Sequential.Core.Tests.Losses.TestTensors;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Losses;

public class SparseCategoricalCrossentropyTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    [Test]
    public void FromLogits_HandComputed()
    {
        // logits [[2,1,0]], label 0: -log(e^2 / (e^2 + e^1 + e^0)) = 0.40760596
        using var scope = NewDisposeScope();
        Assert.That(Value(new SparseCategoricalCrossentropy(fromLogits: true).Call(L([0], 1), F([2, 1, 0], 1, 3))),
            Is.EqualTo(0.40760596).Within(1e-5));
    }

    [Test]
    public void FromLogits_IsExactlyTorchCrossEntropy()
    {
        using var scope = NewDisposeScope();
        var logits = randn(16, 10);
        var labels = randint(0, 10, [16]);
        var ours = new SparseCategoricalCrossentropy(fromLogits: true).Call(labels, logits);
        var torchs = nn.functional.cross_entropy(logits, labels);
        Assert.That(Value(ours), Is.EqualTo(Value(torchs)).Within(0));
    }

    [Test]
    public void Probabilities_AgreeWithLogits()
    {
        // softmax([2,1,0]) = [0.6652410, 0.2447285, 0.0900306]; label 0 -> -ln 0.6652410 = 0.40760596
        using var scope = NewDisposeScope();
        Assert.That(Value(new SparseCategoricalCrossentropy().Call(L([0], 1), F([2, 1, 0], 1, 3).softmax(-1))),
            Is.EqualTo(0.40760596).Within(1e-5));
    }

    [Test]
    public void KerasDocstringExample_WithLabelsOfShapeNx1()
    {
        // Keras docstring: y [1, 2], p [[0.05,0.95,0],[0.1,0.8,0.1]] -> 1.177 = (-ln 0.95 - ln 0.1) / 2 = 1.1769392
        using var scope = NewDisposeScope();
        var p = F([0.05f, 0.95f, 0, 0.1f, 0.8f, 0.1f], 2, 3);
        var loss = new SparseCategoricalCrossentropy();
        Assert.That(Value(loss.Call(L([1, 2], 2), p)), Is.EqualTo(1.1769392).Within(1e-5));
        Assert.That(Value(loss.Call(L([1, 2], 2, 1), p)), Is.EqualTo(1.1769392).Within(1e-5));
    }

    [Test]
    public void ProbabilityZeroIsClippedToEpsilon()
    {
        // p(true class) = 0 -> clipped to 1e-7 -> -ln(1e-7) = 16.118095
        using var scope = NewDisposeScope();
        Assert.That(Value(new SparseCategoricalCrossentropy().Call(L([0], 1), F([0, 1], 1, 2))), Is.EqualTo(16.118095).Within(1e-5));
    }

    [Test]
    public void PrepareTargets_ConvertsToInt64()
    {
        using var scope = NewDisposeScope();
        var loss = new SparseCategoricalCrossentropy();
        foreach (var y in new[] { tensor(new[] { 1, 2 }), tensor(new byte[] { 1, 2 }), tensor(new[] { 1f, 2f }), L([1, 2], 2, 1) })
        {
            var prepared = loss.PrepareTargets(y);
            Assert.That(prepared.dtype, Is.EqualTo(ScalarType.Int64));
            Assert.That(prepared.shape, Is.EqualTo(new long[] { 2 }));
            Assert.That(prepared.data<long>().ToArray(), Is.EqualTo(new long[] { 1, 2 }));
        }
    }

    [Test]
    public void PrepareTargets_NonIntegralFloats_Throw()
    {
        using var scope = NewDisposeScope();
        var ex = Assert.Throws<ArgumentException>(() => new SparseCategoricalCrossentropy().PrepareTargets(tensor(new[] { 1f, 0.5f })));
        Assert.That(ex!.Message, Does.Contain("contains 0.5").And.Contain("categorical_crossentropy"));
    }

    [Test]
    public void Validate_LabelAboveRange_Throws()
    {
        using var scope = NewDisposeScope();
        var ex = Assert.Throws<ArgumentException>(() => new SparseCategoricalCrossentropy().Validate(L([0, 3, 12], 3), [10]));
        Assert.That(ex!.Message, Does.StartWith(
            "Labels must be in [0, 10) for a model whose output has 10 units, but y contains 12 (min 0, max 12). " +
            "Check the last Dense layer's units or the labels."));
    }

    [Test]
    public void Validate_NegativeLabel_Throws()
    {
        using var scope = NewDisposeScope();
        var ex = Assert.Throws<ArgumentException>(() => new SparseCategoricalCrossentropy().Validate(L([-1, 3], 2, 1), [10]));
        Assert.That(ex!.Message, Does.Contain("y contains -1 (min -1, max 3)"));
    }

    [Test]
    public void Validate_OneHotTargets_PointToCategorical()
    {
        using var scope = NewDisposeScope();
        Assert.DoesNotThrow(() => new SparseCategoricalCrossentropy().Validate(L([0, 9], 2, 1), [10]));
        var ex = Assert.Throws<ArgumentException>(() => new SparseCategoricalCrossentropy().Validate(F(new float[20], 2, 10), [10]));
        Assert.That(ex!.Message, Does.Contain("(2, 10)").And.Contain("categorical_crossentropy"));
    }
}
