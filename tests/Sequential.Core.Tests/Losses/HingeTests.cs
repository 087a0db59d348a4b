using Sequential.Losses;
using static Sequential.Core.Tests.Losses.KerasTolerance;
using static Sequential.Core.Tests.Losses.TestTensors;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Losses;

/// Values from keras/src/losses/losses_test.py HingeTest, SquaredHingeTest and CategoricalHingeTest, which share their data.
public class HingeTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    private static Tensor Y() => F([0, 1, 0, 0], 2, 2);

    private static Tensor P() => F([0.6f, 0.4f, 0.4f, 0.6f], 2, 2);

    private static void Check(Func<string?, Loss> make, double overBatch, double sum, float[] none, double weightedOverBatch,
        double weightedSum, float[] weightedNone)
    {
        using var scope = NewDisposeScope();
        var w = F([1, 0], 2);
        Assert.That(Value(make("sum_over_batch_size").Call(Y(), P())), Is.EqualTo(overBatch).Within(Decimal3));
        Assert.That(Value(make("sum").Call(Y(), P())), Is.EqualTo(sum).Within(Decimal3));
        Assert.That(make(null).Call(Y(), P()).data<float>().ToArray(), Is.EqualTo(none).Within(AllClose));
        Assert.That(Value(make("sum_over_batch_size").Call(Y(), P(), w)), Is.EqualTo(weightedOverBatch).Within(Decimal3));
        Assert.That(Value(make("sum").Call(Y(), P(), w)), Is.EqualTo(weightedSum).Within(Decimal3));
        Assert.That(make(null).Call(Y(), P(), w).data<float>().ToArray(), Is.EqualTo(weightedNone).Within(Decimal3));
        Assert.That(Value(make("sum_over_batch_size").Call(Y(), P(), tensor(0f))), Is.EqualTo(0.0));
        var ex = Assert.Throws<ArgumentException>(() => make("abc"));
        Assert.That(ex!.Message, Does.StartWith("Unknown reduction 'abc'. Accepted: sum_over_batch_size, sum, none"));
    }

    [Test]
    public void Hinge_KerasValues() =>
        Check(r => new Hinge(reduction: r), 1.3, 2.6, [1.1f, 1.5f], 0.55, 1.1, [1.1f, 0f]);

    [Test]
    public void SquaredHinge_KerasValues() =>
        Check(r => new SquaredHinge(reduction: r), 1.86, 3.72, [1.46f, 2.26f], 0.73, 1.46, [1.46f, 0f]);

    [Test]
    public void CategoricalHinge_KerasValues() =>
        Check(r => new CategoricalHinge(reduction: r), 1.4, 2.8, [1.2f, 1.6f], 0.6, 1.2, [1.2f, 0f]);

    [Test]
    public void Hinge_BinaryLabelsBecomeMinusOneAndOne_OnlyWhenTheWholeBatchIsBinary()
    {
        // [0, 1] is binary -> [-1, 1]: max(1 + 0.6, 0) = 1.6, max(1 - 0.4, 0) = 0.6 -> 1.1
        // [0, -1] is not -> used as given: max(1 - 0, 0) = 1, max(1 + 0.4, 0) = 1.4 -> 1.2
        using var scope = NewDisposeScope();
        Assert.That(Value(new Hinge().Call(F([0, 1], 1, 2), F([0.6f, 0.4f], 1, 2))), Is.EqualTo(1.1).Within(1e-6));
        Assert.That(Value(new Hinge().Call(F([-1, 1], 1, 2), F([0.6f, 0.4f], 1, 2))), Is.EqualTo(1.1).Within(1e-6));
        Assert.That(Value(new Hinge().Call(F([0, -1], 1, 2), F([0.6f, 0.4f], 1, 2))), Is.EqualTo(1.2).Within(1e-6));
    }
}
