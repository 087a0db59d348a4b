using static TorchSharp.torch;

namespace Sequential.Layers.Tests.Preprocessing;

public class HashedCrossingTests
{
    private static readonly string[] Feat1 = ["A", "B", "A", "B", "A"];
    private static readonly long[] Feat2 = [101, 101, 101, 102, 102];

    [Test]
    public void KerasCorrectness_StringsWithIntegers()
    {
        // hashed_crossing_test.py test_correctness: [1, 4, 1, 1, 3]; one_hot encodes the same bins.
        Assert.That(new HashedCrossing(5).Apply(Feat1, Feat2).data<long>().ToArray(), Is.EqualTo(new long[] { 1, 4, 1, 1, 3 }));
        using var hot = new HashedCrossing(5, outputMode: "one_hot").Apply(Feat1, Feat2);
        Assert.That(hot.shape, Is.EqualTo(new long[] { 5, 5 }));
        Assert.That(hot.data<float>().ToArray(), Is.EqualTo(new float[]
        {
            0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0,
        }));
        // test_scalar_input_inference: ("A", 101) with 10 bins -> 1.
        Assert.That(new HashedCrossing(10).Apply(new[] { "A" }, new[] { 101 }).item<long>(), Is.EqualTo(1));
    }

    [Test]
    public void IntegerTensors_InAFunctionalGraph_KeepTheInputShape()
    {
        var layer = new HashedCrossing(7);
        using var a = tensor(new long[,] { { 1 }, { 2 } });
        using var b = tensor(new long[,] { { 4 }, { 5 } });
        using var y = layer.Apply([a, b]);
        Assert.That(y.shape, Is.EqualTo(new long[] { 2, 1 }));
        // The same integers given as host arrays land in the same bins.
        Assert.That(y.data<long>().ToArray(), Is.EqualTo(layer.Apply(new long[] { 1, 2 }, new long[] { 4, 5 }).data<long>().ToArray()));
        Assert.That(new HashedCrossing(4, outputMode: "one_hot").ComputeOutputShapeForInputs([[1], [1]]), Is.EqualTo(new long[] { 4 }));

        var x1 = new Input([1]);
        var x2 = new Input([1]);
        var crossed = new HashedCrossing(3, outputMode: "one_hot").Apply(x1, x2);
        Assert.That(crossed.Shape, Is.EqualTo(new long[] { 3 }));
    }

    [Test]
    public void KerasErrors()
    {
        var layer = new HashedCrossing(10);
        Assert.That(() => layer.Apply(new[] { "A" }), Throws.ArgumentException.With.Message.Contains("at least two inputs"));
        Assert.That(() => layer.Apply([tensor(new float[] { 1f }), tensor(new float[] { 1f })]),
            Throws.ArgumentException.With.Message.Contains("integer or string dtype"));
        Assert.That(() => layer.Apply([tensor(new long[,] { { 1, 2 } }), tensor(new long[,] { { 1, 2 } })]),
            Throws.ArgumentException.With.Message.Contains("(batch_size, 1)"));
        Assert.That(() => layer.Apply(new[] { "A", "B" }, new long[] { 1 }), Throws.ArgumentException.With.Message.Contains("equal shape"));
        Assert.That(() => new HashedCrossing(10, outputMode: "multi_hot"), Throws.ArgumentException.With.Message.Contains("Unknown outputMode"));
    }
}
