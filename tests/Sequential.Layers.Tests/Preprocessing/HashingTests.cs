using static TorchSharp.torch;

namespace Sequential.Layers.Tests.Preprocessing;

public class HashingTests
{
    private static readonly string[] Wire = ["omar", "stringer", "marlo", "wire", "skywalker"];

    private static long[] Longs(Tensor t) => t.data<long>().ToArray();

    [Test]
    public void KerasCorrectness_Strings()
    {
        // hashing_test.py test_correctness.
        Assert.That(Longs(new Hashing(3).Apply(["A", "B", "C", "D", "E"])), Is.EqualTo(new long[] { 1, 0, 1, 1, 2 }));
        Assert.That(Longs(new Hashing(3, maskValue: "").Apply(["A", "B", "", "C", "D"])), Is.EqualTo(new long[] { 1, 1, 0, 2, 2 }));
        Assert.That(Longs(new Hashing(3, salt: [133, 137]).Apply(["A", "B", "C", "D", "E"])), Is.EqualTo(new long[] { 1, 2, 1, 0, 2 }));
        Assert.That(Longs(new Hashing(3, salt: [133]).Apply(["A", "B", "C", "D", "E"])), Is.EqualTo(new long[] { 0, 0, 2, 1, 0 }));
        // test_hash_dense_input_farmhash / mask_value / siphash / single bin.
        Assert.That(Longs(new Hashing(2).Apply(Wire)), Is.EqualTo(new long[] { 0, 0, 1, 0, 0 }));
        Assert.That(Longs(new Hashing(3, maskValue: "").Apply(Wire)), Is.EqualTo(new long[] { 1, 1, 2, 1, 1 }));
        Assert.That(Longs(new Hashing(3, maskValue: "omar").Apply(Wire)), Is.EqualTo(new long[] { 0, 1, 2, 1, 1 }));
        Assert.That(Longs(new Hashing(2, salt: [133, 137]).Apply(Wire)), Is.EqualTo(new long[] { 0, 1, 0, 1, 0 }));
        Assert.That(Longs(new Hashing(2, salt: [211, 137]).Apply(Wire)), Is.EqualTo(new long[] { 1, 0, 1, 0, 1 }));
        Assert.That(Longs(new Hashing(1).Apply(["A", "B", "C"])), Is.EqualTo(new long[] { 0, 0, 0 }));
    }

    [Test]
    public void KerasCorrectness_Integers_AsALayer()
    {
        // test_hash_dense_int_input_farmhash: [[0], [1], [2], [3], [4]] -> [[1], [0], [1], [0], [2]]; siphash [133, 137] -> [1, 1, 2, 0, 1].
        var layer = new Hashing(3);
        using var x = tensor(new long[,] { { 0 }, { 1 }, { 2 }, { 3 }, { 4 } });
        layer.EnsureBuilt([1]);
        using var y = layer.forward(x);
        Assert.That(y.shape, Is.EqualTo(new long[] { 5, 1 }));
        Assert.That(Longs(y), Is.EqualTo(new long[] { 1, 0, 1, 0, 2 }));
        Assert.That(Longs(new Hashing(3, salt: [133, 137]).forward(x)), Is.EqualTo(new long[] { 1, 1, 2, 0, 1 }));
        // test_hash_list_input: num_bins=2 on [[1, 2], [2, 3], [3, 4]] -> all 1; floats are truncated first.
        Assert.That(Longs(new Hashing(2).forward(tensor(new long[,] { { 1, 2 }, { 2, 3 }, { 3, 4 } }))), Is.All.EqualTo(1));
        Assert.That(Longs(new Hashing(3).forward(tensor(new float[] { 0.5f, 1.9f, 2f }))), Is.EqualTo(new long[] { 1, 0, 1 }));
    }

    [Test]
    public void KerasEncodingModes()
    {
        // test_one_hot_output: [0, 1, 2, 3, 4] -> one-hot of [1, 0, 1, 0, 2]; test_multi_hot_output: [[0..4]] -> [[1, 1, 1]];
        // test_count_output: [[0..4]] -> [[2, 2, 1]].
        var oneHot = new Hashing(3, outputMode: "one_hot");
        using var hot = oneHot.forward(tensor(new long[] { 0, 1, 2, 3, 4 }));
        Assert.That(hot.shape, Is.EqualTo(new long[] { 5, 3 }));
        Assert.That(hot.data<float>().ToArray(), Is.EqualTo(new float[] { 0, 1, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1 }));
        Assert.That(new Hashing(3, outputMode: "multi_hot").forward(tensor(new long[,] { { 0, 1, 2, 3, 4 } })).data<float>().ToArray(),
            Is.EqualTo(new float[] { 1, 1, 1 }));
        Assert.That(new Hashing(3, outputMode: "count").forward(tensor(new long[,] { { 0, 1, 2, 3, 4 } })).data<float>().ToArray(),
            Is.EqualTo(new float[] { 2, 2, 1 }));
        // test_compute_output_shape, per sample: int keeps it; one_hot appends (or replaces a last 1); multi_hot/count replace the last axis.
        Assert.That(new Hashing(5, outputMode: "one_hot").ComputeOutputShape([4]), Is.EqualTo(new long[] { 4, 5 }));
        Assert.That(new Hashing(5, outputMode: "one_hot").ComputeOutputShape([4, 1]), Is.EqualTo(new long[] { 4, 5 }));
        Assert.That(new Hashing(5, outputMode: "count").ComputeOutputShape([3, 4]), Is.EqualTo(new long[] { 3, 5 }));
        Assert.That(new Hashing(5).ComputeOutputShape([3, 4]), Is.EqualTo(new long[] { 3, 4 }));
    }

    [Test]
    public void KerasInvalidArguments()
    {
        Assert.That(() => new Hashing(0), Throws.InstanceOf<ArgumentException>().With.Message.Contains("cannot be None or non-positive"));
        Assert.That(() => new Hashing(-1), Throws.InstanceOf<ArgumentException>().With.Message.Contains("cannot be None or non-positive"));
        Assert.That(() => new Hashing(2, salt: [1, 2, 3]), Throws.ArgumentException.With.Message.Contains("can only be a tuple of size 2"));
        Assert.That(() => new Hashing(3, outputMode: "unsupported_mode"), Throws.ArgumentException.With.Message.Contains("Unknown outputMode"));
    }

    [Test]
    public void SavedInAModel_HashesTheSame()
    {
        var model = new SequentialModel(new Hashing(100, salt: [7, 9], outputMode: "one_hot", inputShape: [1]));
        using var x = tensor(new long[,] { { 3 }, { 40 }, { 12345 } });
        var loaded = SavedModels.AssertRoundTrips(model, x);
        Assert.That(((Hashing)loaded.Layers[0]).Salt, Is.EqualTo(new long[] { 7, 9 }));
    }
}
