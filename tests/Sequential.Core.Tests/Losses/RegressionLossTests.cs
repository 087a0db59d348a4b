using Sequential.Losses;
using static Sequential.Core.Tests.Losses.TestTensors;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Losses;

/// MeanSquaredError, MeanAbsoluteError and Huber share their shape handling; tested together.
public class RegressionLossTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    [Test]
    public void MeanSquaredError_KerasDocstringExample()
    {
        // y [[0,1],[0,0]], p [[1,1],[1,0]]: squared errors [1,0],[1,0] -> per sample 0.5, 0.5 -> 0.5
        using var scope = NewDisposeScope();
        Assert.That(Value(new MeanSquaredError().Call(F([0, 1, 0, 0], 2, 2), F([1, 1, 1, 0], 2, 2))), Is.EqualTo(0.5).Within(1e-5));
    }

    [Test]
    public void MeanSquaredError_LabelsOfRankOneDoNotBroadcast()
    {
        // y [1, 2] vs output [[1.5],[2.0]] -> ((0.5)^2 + 0^2) / 2 = 0.125 (broadcasting to [2,2] would give 0.625)
        using var scope = NewDisposeScope();
        Assert.That(Value(new MeanSquaredError().Call(F([1, 2], 2), F([1.5f, 2f], 2, 1))), Is.EqualTo(0.125).Within(1e-5));
    }

    [Test]
    public void MeanAbsoluteError_HandComputed()
    {
        // y [[0,1],[0,0]], p [[1,1],[1,0]]: |errors| [1,0],[1,0] -> 0.5; second case |3-1| and |-1-1| -> (2+2)/2 = 2
        using var scope = NewDisposeScope();
        Assert.That(Value(new MeanAbsoluteError().Call(F([0, 1, 0, 0], 2, 2), F([1, 1, 1, 0], 2, 2))), Is.EqualTo(0.5).Within(1e-5));
        Assert.That(Value(new MeanAbsoluteError().Call(F([1, 1], 2, 1), F([3, -1], 2, 1))), Is.EqualTo(2.0).Within(1e-5));
    }

    [Test]
    public void Huber_KerasDocstringExample_QuadraticBranch()
    {
        // y [[0,1],[0,0]], p [[0.6,0.4],[0.4,0.6]]: all |x| <= 1 -> 0.5 * (0.36 + 0.36 + 0.16 + 0.36) / 4 = 0.155
        using var scope = NewDisposeScope();
        Assert.That(Value(new Huber().Call(F([0, 1, 0, 0], 2, 2), F([0.6f, 0.4f, 0.4f, 0.6f], 2, 2))), Is.EqualTo(0.155).Within(1e-5));
    }

    [Test]
    public void Huber_BothBranches()
    {
        // delta 1: x = 0.5 -> 0.5 * 0.25 = 0.125; x = 3 -> 1 * 3 - 0.5 * 1 = 2.5; mean = 1.3125
        // delta 2: x = 3 -> 2 * 3 - 0.5 * 4 = 4; x = 0.5 -> 0.125; mean = 2.0625
        using var scope = NewDisposeScope();
        var y = F([0, 0], 1, 2);
        var p = F([0.5f, 3f], 1, 2);
        Assert.That(Value(new Huber().Call(y, p)), Is.EqualTo(1.3125).Within(1e-5));
        Assert.That(Value(new Huber(delta: 2).Call(y, p)), Is.EqualTo(2.0625).Within(1e-5));
    }

    [Test]
    public void Huber_NonPositiveDelta_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Huber(delta: 0));

    [Test]
    public void Validate_ShapeMismatch_NamesBothShapes()
    {
        using var scope = NewDisposeScope();
        Assert.DoesNotThrow(() => new MeanSquaredError().Validate(F([1, 2], 2), [1]));
        var ex = Assert.Throws<ArgumentException>(() => new MeanAbsoluteError().Validate(F([1, 2], 2), [3]));
        Assert.That(ex!.Message, Does.Contain("mean_absolute_error").And.Contain("(2,)").And.Contain("(3,)"));
    }
}
