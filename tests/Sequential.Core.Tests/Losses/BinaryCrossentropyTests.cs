using Sequential.Losses;
using static Sequential.Core.Tests.Losses.TestTensors;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Losses;

public class BinaryCrossentropyTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    [Test]
    public void KerasDocstringExample_FromLogits()
    {
        // Keras docstring: y_true [[0,1],[0,0]], logits [[-18.6,0.51],[2.94,-12.8]] -> 0.8654.
        // Per element max(x,0) - x*y + log(1+e^-|x|): 8.4e-9, log(1+e^-0.51) = 0.4703133,
        // 2.94 + log(1+e^-2.94) = 2.9915185, log(1+e^-12.8) = 2.8e-6; mean of the 4 = 0.8654579.
        using var scope = NewDisposeScope();
        var loss = new BinaryCrossentropy(fromLogits: true).Call(F([0, 1, 0, 0], 2, 2), F([-18.6f, 0.51f, 2.94f, -12.8f], 2, 2));
        Assert.That(Value(loss), Is.EqualTo(0.8654579).Within(1e-5));
    }

    [Test]
    public void LogitsAndProbabilitiesAgree()
    {
        // (bce(1, sigmoid 0.5) + bce(0, sigmoid -1) + bce(1, sigmoid 2)) / 3
        // = (0.4740770 + 0.3132617 + 0.1269280) / 3 = 0.3047556
        using var scope = NewDisposeScope();
        var y = F([1, 0, 1], 3, 1);
        var logits = F([0.5f, -1f, 2f], 3, 1);
        double fromLogits = Value(new BinaryCrossentropy(fromLogits: true).Call(y, logits));
        double fromProbs = Value(new BinaryCrossentropy().Call(y, logits.sigmoid()));
        Assert.That(fromLogits, Is.EqualTo(0.3047556).Within(1e-5));
        Assert.That(fromProbs, Is.EqualTo(fromLogits).Within(1e-5));
    }

    [Test]
    public void ProbabilityZeroIsClippedToEpsilon()
    {
        // y = 1, p = 0 -> p clipped to 1e-7 -> -log(1e-7) = 16.118095 (not infinity, not torch's 100)
        using var scope = NewDisposeScope();
        Assert.That(Value(new BinaryCrossentropy().Call(F([1], 1, 1), F([0], 1, 1))), Is.EqualTo(16.118095).Within(1e-5));
    }

    [Test]
    public void LabelSmoothingSqueezesTargetsTowardHalf()
    {
        // ls = 0.2: y' = y * 0.8 + 0.1 -> [0.9, 0.1]
        // sample 1: -(0.9 ln 0.9 + 0.1 ln 0.1) = 0.3250830; sample 2: -(0.1 ln 0.2 + 0.9 ln 0.8) = 0.3617730
        // mean = 0.3434280
        using var scope = NewDisposeScope();
        var loss = new BinaryCrossentropy(labelSmoothing: 0.2).Call(F([1, 0], 2, 1), F([0.9f, 0.2f], 2, 1));
        Assert.That(Value(loss), Is.EqualTo(0.3434280).Within(1e-5));
    }

    [Test]
    public void LabelsOfRankOneMeetOneUnitOutputWithoutBroadcasting()
    {
        // y [2] vs output [2,1]: Keras expands y to [2,1]. (bce(1,0.9) + bce(0,0.2)) / 2 = (0.1053605 + 0.2231436) / 2
        using var scope = NewDisposeScope();
        var loss = new BinaryCrossentropy().Call(F([1, 0], 2), F([0.9f, 0.2f], 2, 1));
        Assert.That(Value(loss), Is.EqualTo(0.1642520).Within(1e-5));
    }

    [Test]
    public void Validate_TargetsOutsideZeroOne_Throws()
    {
        using var scope = NewDisposeScope();
        var ex = Assert.Throws<ArgumentException>(() => new BinaryCrossentropy().Validate(F([0, 1, 2], 3), [1]));
        Assert.That(ex!.Message, Does.Contain("[0, 1]").And.Contain("contains 2 (min 0, max 2)"));
    }

    [Test]
    public void Validate_ShapeMismatch_NamesBothShapes()
    {
        using var scope = NewDisposeScope();
        Assert.DoesNotThrow(() => new BinaryCrossentropy().Validate(F([0, 1, 1], 3), [1]));
        var ex = Assert.Throws<ArgumentException>(() => new BinaryCrossentropy().Validate(F([0, 1, 1, 0, 1, 0], 2, 3), [1]));
        Assert.That(ex!.Message, Does.Contain("(2, 3)").And.Contain("(1,)"));
    }

    [Test]
    public void Call_ShapeMismatch_Throws()
    {
        using var scope = NewDisposeScope();
        var ex = Assert.Throws<ArgumentException>(() => new BinaryCrossentropy().Call(F([0, 1], 2, 1), F([0.1f, 0.2f, 0.3f, 0.4f], 2, 2)));
        Assert.That(ex!.Message, Does.Contain("(2, 1)").And.Contain("(2, 2)"));
    }

    [Test]
    public void LabelSmoothingOutOfRange_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new BinaryCrossentropy(labelSmoothing: 1.5));

    [Test]
    public void Axis_TakesTheMeanAlongIt()
    {
        // y [[1, 0], [1, 1]], p [[0.9, 0.2], [0.6, 0.5]] -> element-wise -ln 0.9, -ln 0.8, -ln 0.6, -ln 0.5;
        // axis 0 averages columns: [(-ln 0.9 - ln 0.6) / 2, (-ln 0.8 - ln 0.5) / 2]
        using var scope = NewDisposeScope();
        var values = new BinaryCrossentropy(axis: 0, reduction: "none").Call(F([1, 0, 1, 1], 2, 2), F([0.9f, 0.2f, 0.6f, 0.5f], 2, 2));
        Assert.That(values.data<float>().ToArray(),
            Is.EqualTo(new[] { (float)(-(Math.Log(0.9) + Math.Log(0.6)) / 2), (float)(-(Math.Log(0.8) + Math.Log(0.5)) / 2) }).Within(1e-6));
    }
}
