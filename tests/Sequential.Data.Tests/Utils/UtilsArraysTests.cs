using static Sequential.Data.Utils;
using static TorchSharp.torch;

namespace Sequential.Data.Tests;

/// <summary>Keras's numerical_utils_test.py, ported, and the bad labels Keras lets through.</summary>
public sealed class UtilsArraysTests
{
    private const int NumClasses = 5;

    [TestCase(new long[] { 1 }, new long[] { 1, NumClasses })]
    [TestCase(new long[] { 3 }, new long[] { 3, NumClasses })]
    [TestCase(new long[] { 4, 3 }, new long[] { 4, 3, NumClasses })]
    [TestCase(new long[] { 5, 4, 3 }, new long[] { 5, 4, 3, NumClasses })]
    [TestCase(new long[] { 3, 1 }, new long[] { 3, NumClasses })]
    [TestCase(new long[] { 3, 2, 1 }, new long[] { 3, 2, NumClasses })]
    public void ToCategoricalShapesAndValuesAsKeras(long[] shape, long[] expectedShape)
    {
        using var label = randint(0, NumClasses, shape, generator: new TorchSharp.torch.Generator(7));
        using var oneHot = ToCategorical(label, NumClasses);
        Assert.That(oneHot.shape, Is.EqualTo(expectedShape));
        Assert.That(oneHot.dtype, Is.EqualTo(ScalarType.Float32));
        using var rowSums = oneHot.sum(-1);
        Assert.That(rowSums.eq(1).all().item<bool>(), Is.True, "exactly one 1 per row");
        using var back = oneHot.argmax(-1).reshape(label.shape);
        Assert.That(back.eq(label).all().item<bool>(), Is.True, "argmax gives the labels back");
    }

    [Test]
    public void ToCategoricalInfersTheClassCountFromTheLargestLabel()
    {
        using var oneHot = ToCategorical([0, 2, 5]);
        Assert.That(oneHot.shape, Is.EqualTo(new long[] { 3, 6 }));
    }

    [Test]
    public void ToCategoricalGivesKerasDocstringMatrix()
    {
        using var y = tensor(new long[] { 0, 2, 1, 3, 4 });
        using var oneHot = ToCategorical(y, NumClasses);
        float[] expected =
        [
            1, 0, 0, 0, 0,
            0, 0, 1, 0, 0,
            0, 1, 0, 0, 0,
            0, 0, 0, 1, 0,
            0, 0, 0, 0, 1,
        ];
        Assert.That(oneHot.data<float>().ToArray(), Is.EqualTo(expected));
    }

    [Test]
    public void ToCategoricalAcceptsWholeFloatsAndScalars()
    {
        using var y = tensor(new float[] { 1, 0 });
        using var oneHot = ToCategorical(y, 3);
        Assert.That(oneHot.data<float>().ToArray(), Is.EqualTo(new float[] { 0, 1, 0, 1, 0, 0 }));
        using var scalar = tensor(2L);
        using var single = ToCategorical(scalar, 4);
        Assert.That(single.shape, Is.EqualTo(new long[] { 4 }));
        Assert.That(single.data<float>().ToArray(), Is.EqualTo(new float[] { 0, 0, 1, 0 }));
    }

    [Test]
    public void ToCategoricalRefusesANegativeLabelNamingItAndWhereItIs()
    {
        using var y = tensor(new long[] { 0, 1, 2, -1, 1, 0 }).reshape(2, 3);
        var e = Assert.Throws<ArgumentException>(() => ToCategorical(y, 3))!;
        Assert.That(e.Message, Does.Contain("label -1 at y[1, 0] is negative"));
    }

    [Test]
    public void ToCategoricalRefusesALabelNotBelowNumClasses()
    {
        using var y = tensor(new long[] { 0, 1, 7, 2 });
        var e = Assert.Throws<ArgumentException>(() => ToCategorical(y, 5))!;
        Assert.That(e.Message, Does.Contain("label 7 at y[2] is not below numClasses (5)"));
        Assert.That(e.Message, Does.Contain("Pass numClasses: 8"));
    }

    [Test]
    public void ToCategoricalRefusesFractionalLabelsBadCountsAndEmptyInput()
    {
        using var y = tensor(new float[] { 1, 2.5f });
        Assert.That(Assert.Throws<ArgumentException>(() => ToCategorical(y, 4))!.Message,
            Does.Contain("label 2.5 at y[1] is not a whole number"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => ToCategorical([0, 1], 0))!.Message,
            Does.Contain("numClasses must be positive; got 0"));
        using var empty = zeros(0, dtype: ScalarType.Int64);
        Assert.That(Assert.Throws<ArgumentException>(() => ToCategorical(empty))!.Message, Does.Contain("pass numClasses"));
        using var none = ToCategorical(empty, 3);
        Assert.That(none.shape, Is.EqualTo(new long[] { 0, 3 }));
    }

    [Test]
    public void ToCategoricalRefusesAnAbsurdLabelBeforeAllocating()
    {
        using var y = tensor(new long[] { 0, long.MaxValue / 2 });
        Assert.That(Assert.Throws<ArgumentException>(() => ToCategorical(y))!.Message, Does.Contain("would not fit in memory"));
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void NormalizeDividesByTheNormAlongTheLastAxis(int order)
    {
        double[,] x = { { 0.1, 0.7, 0.3 }, { 0.9, 0.2, 0.4 }, { 0.5, 0.5, 0.6 } };
        using var xt = tensor(x);
        using var result = Normalize(xt, order: order);
        var values = result.data<double>().ToArray();
        for (int r = 0; r < 3; r++)
        {
            double norm = Math.Pow(Enumerable.Range(0, 3).Sum(c => Math.Pow(Math.Abs(x[r, c]), order)), 1.0 / order);
            for (int c = 0; c < 3; c++)
                Assert.That(values[r * 3 + c], Is.EqualTo(x[r, c] / norm).Within(1e-12), $"[{r}, {c}]");
        }
    }

    [Test]
    public void NormalizeAlongAxisZeroAsKerasTest()
    {
        using var x = tensor(new float[,] { { 3, 0, 12 }, { 4, 5, 0 } });
        using var result = Normalize(x, axis: 0);
        Assert.That(result.shape, Is.EqualTo(new long[] { 2, 3 }));
        Assert.That(result.data<float>().ToArray(), Is.EqualTo(new[] { 0.6f, 0, 1, 0.8f, 1, 0 }).Within(1e-6));
    }

    [Test]
    public void NormalizeLeavesZeroRowsAndConvertsIntegers()
    {
        using var x = tensor(new int[,] { { 0, 0 }, { 3, 4 } });
        using var result = Normalize(x);
        Assert.That(result.dtype, Is.EqualTo(ScalarType.Float32));
        Assert.That(result.data<float>().ToArray(), Is.EqualTo(new[] { 0, 0, 0.6f, 0.8f }).Within(1e-6));
    }

    [Test]
    public void NormalizeRefusesBadOrderAndAxis()
    {
        using var x = ones(2, 3);
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => Normalize(x, order: 0))!.Message,
            Does.Contain("order must be an integer >= 1").And.Contain("got 0"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => Normalize(x, axis: 2))!.Message,
            Does.Contain("axis 2 is not an axis of x, whose shape is (2, 3)"));
    }
}
