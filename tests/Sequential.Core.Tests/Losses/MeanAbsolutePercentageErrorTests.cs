using Sequential.Losses;
using static Sequential.Core.Tests.Losses.KerasTolerance;
using static Sequential.Core.Tests.Losses.TestTensors;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Losses;

/// Values from keras/src/losses/losses_test.py MeanAbsolutePercentageErrorTest.
public class MeanAbsolutePercentageErrorTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    private static Tensor Y() => F([1, 9, 2, -5, -2, 6], 2, 3);

    private static Tensor P() => F([4, 8, 12, 8, 1, 3], 2, 3);

    [Test]
    public void KerasValues_Unweighted_Scalar_Sample_Zero()
    {
        using var scope = NewDisposeScope();
        var mape = new MeanAbsolutePercentageError();
        Assert.That(Value(mape.Call(F([4, 8, 12, 8, 1, 3], 2, 3), F([4, 8, 12, 8, 1, 3], 2, 3))), Is.EqualTo(0.0).Within(Decimal3));
        Assert.That(Value(mape.Call(Y(), P())), Is.EqualTo(211.8518).Within(Decimal3));
        Assert.That(Value(mape.Call(Y(), P(), tensor(2.3f))), Is.EqualTo(487.259).Within(Decimal3));
        Assert.That(Value(mape.Call(Y(), P(), F([1.2f, 3.4f], 2, 1))), Is.EqualTo(422.8888).Within(Decimal3));
        Assert.That(Value(mape.Call(Y(), P(), tensor(0f))), Is.EqualTo(0.0).Within(Decimal3));
    }

    [Test]
    public void KerasValues_TimestepWeights_NoReduction_MeanWithSampleWeight()
    {
        using var scope = NewDisposeScope();
        var w = F([3, 6, 5, 0, 4, 2], 2, 3);
        Assert.That(Value(new MeanAbsolutePercentageError().Call(Y().reshape(2, 3, 1), P().reshape(2, 3, 1), w)),
            Is.EqualTo(694.4444).Within(Decimal3));
        var none = new MeanAbsolutePercentageError(reduction: null).Call(Y(), P(), tensor(2.3f));
        Assert.That(none.data<float>().ToArray(), Is.EqualTo(new[] { 621.8518f, 352.6666f }).Within(Decimal3));
        Assert.That(Value(new MeanAbsolutePercentageError(reduction: "mean_with_sample_weight").Call(Y(), P(), F([1.2f, 3.4f], 2, 1))),
            Is.EqualTo(183.865).Within(Decimal3));
    }

    [Test]
    public void ZeroTargets_DivideByEpsilon_NotByZero()
    {
        // |0 - 1| / max(|0|, 1e-7) * 100 = 1e9: large, but finite, as in Keras
        using var scope = NewDisposeScope();
        Assert.That(Value(new MeanAbsolutePercentageError().Call(F([0], 1, 1), F([1], 1, 1))), Is.EqualTo(1e9).Within(1e3));
    }
}
