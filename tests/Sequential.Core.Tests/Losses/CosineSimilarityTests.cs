using Sequential.Losses;
using static Sequential.Core.Tests.Losses.KerasTolerance;
using static Sequential.Core.Tests.Losses.TestTensors;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Losses;

/// keras/src/losses/losses_test.py CosineSimilarityTest: expectations computed as Keras's test computes them.
public class CosineSimilarityTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    private static readonly double[][] YRows = [[1, 9, 2], [-5, -2, 6]];
    private static readonly double[][] PRows = [[4, 8, 12], [8, 1, 3]];

    private static Tensor Y() => F([1, 9, 2, -5, -2, 6], 2, 3);

    private static Tensor P() => F([4, 8, 12, 8, 1, 3], 2, 3);

    /// Keras's l2_norm then the row sums: the similarity of each row.
    private static double[] Similarities() =>
        [.. YRows.Zip(PRows, (y, p) => y.Zip(p, (a, b) => a * b).Sum() / Math.Sqrt(y.Sum(a => a * a)) / Math.Sqrt(p.Sum(b => b * b)))];

    [Test]
    public void KerasValues()
    {
        using var scope = NewDisposeScope();
        var s = Similarities();
        Assert.That(Value(new CosineSimilarity().Call(Y(), P())), Is.EqualTo(-(s[0] + s[1]) / 2).Within(Decimal3));
        Assert.That(Value(new CosineSimilarity().Call(Y(), P(), tensor(2.3f))), Is.EqualTo(-(s[0] + s[1]) / 2 * 2.3).Within(Decimal3));
        Assert.That(Value(new CosineSimilarity().Call(Y(), P(), F([1.2f, 3.4f], 2))),
            Is.EqualTo(-(s[0] * 1.2 + s[1] * 3.4) / 2).Within(Decimal3));
        Assert.That(Value(new CosineSimilarity().Call(Y(), P(), tensor(0f))), Is.EqualTo(0.0).Within(Decimal3));
        Assert.That(Value(new CosineSimilarity(axis: 1).Call(Y(), P())), Is.EqualTo(-(s[0] + s[1]) / 2).Within(Decimal3));
    }

    [Test]
    public void TimestepWeighted_KerasValue()
    {
        // [2, 3, 1]: each "vector" has one element, so each similarity is the product of the signs; weights [2, 3]
        using var scope = NewDisposeScope();
        double[] y = [1, 9, 2, -5, -2, 6], p = [4, 8, 12, 8, 1, 3], w = [3, 6, 5, 0, 4, 2];
        double expected = -Enumerable.Range(0, 6).Sum(i => Math.Sign(y[i]) * Math.Sign(p[i]) * w[i]) / 6.0;
        var loss = new CosineSimilarity().Call(Y().reshape(2, 3, 1), P().reshape(2, 3, 1), F([3, 6, 5, 0, 4, 2], 2, 3));
        Assert.That(Value(loss), Is.EqualTo(expected).Within(Decimal3));
    }

    [Test]
    public void AxisZero_ComparesColumns()
    {
        // axis 0 of [[1, 0], [0, 1]] and [[1, 0], [1, 0]]: column 0 (1,0)·(1,1)/sqrt2 = 0.7071, column 1 (0,1)·(0,0) = 0
        using var scope = NewDisposeScope();
        var values = new CosineSimilarity(axis: 0, reduction: "none").Call(F([1, 0, 0, 1], 2, 2), F([1, 0, 1, 0], 2, 2));
        Assert.That(values.data<float>().ToArray(), Is.EqualTo(new[] { -0.70710677f, 0f }).Within(AllClose));
    }

    [Test]
    public void AxisOutsideTheTensor_Throws()
    {
        using var scope = NewDisposeScope();
        var ex = Assert.Throws<ArgumentException>(() => new CosineSimilarity(axis: 2).Call(Y(), P()));
        Assert.That(ex!.Message, Does.StartWith("cosine_similarity: axis 2 is outside the 2 axes of the predictions"));
    }
}
