using static TorchSharp.torch;

namespace Sequential.Layers.Tests.Preprocessing;

public class DiscretizationTests
{
    private static Tensor Run(Discretization layer, Tensor x)
    {
        layer.EnsureBuilt(x.shape[1..]);
        return layer.forward(x);
    }

    [Test]
    public void KerasDocstring_BinBoundaries()
    {
        // Keras: Discretization(bin_boundaries=[0., 1., 2.])([[-1.5, 1.0, 3.4, .5], [0.0, 3.0, 1.3, 0.0]])
        //        -> [[0, 2, 3, 1], [1, 3, 2, 1]]
        var layer = new Discretization([0.0, 1.0, 2.0]);
        using var y = Run(layer, tensor(new float[,] { { -1.5f, 1.0f, 3.4f, 0.5f }, { 0.0f, 3.0f, 1.3f, 0.0f } }));
        Assert.That(y.dtype, Is.EqualTo(ScalarType.Int64));
        Assert.That(y.data<long>().ToArray(), Is.EqualTo(new long[] { 0, 2, 3, 1, 1, 3, 2, 1 }));
        Assert.That(layer.OutputShape, Is.EqualTo(new long[] { 4 }));
    }

    [Test]
    public void ComparesInFloat32_AsKeras()
    {
        // 0.7f is 0.69999998 and 0.7 is 0.69999999999999996: only a float32 comparison puts 0.7f at the boundary.
        var layer = new Discretization([0.7]);
        using var y = Run(layer, tensor(new float[,] { { 0.7f } }));
        Assert.That(y.item<long>(), Is.EqualTo(1));
    }

    [Test]
    public void KerasCorrectness_OutputModes()
    {
        // discretization_test.py test_correctness with bin_boundaries [0.0, 0.5, 1.0].
        double[] bounds = [0.0, 0.5, 1.0];
        Assert.That(Run(new Discretization(bounds), tensor(new double[,] { { -1.0, 0.0, 0.1, 0.8, 1.2 } })).data<long>().ToArray(),
            Is.EqualTo(new long[] { 0, 1, 1, 2, 3 }));
        Assert.That(Run(new Discretization(bounds, outputMode: "one_hot"), tensor(new float[] { 0.1f, 0.8f })).data<float>().ToArray(),
            Is.EqualTo(new float[] { 0, 1, 0, 0, 0, 0, 1, 0 }));
        Assert.That(Run(new Discretization(bounds, outputMode: "multi_hot"), tensor(new float[,] { { 0.1f, 0.8f } })).data<float>().ToArray(),
            Is.EqualTo(new float[] { 0, 1, 1, 0 }));
        using var oneHot3 = Run(new Discretization(bounds, outputMode: "one_hot"), tensor(new float[,,] { { { 0.15f, 0.75f }, { 0.85f, 0.45f } } }));
        Assert.That(oneHot3.shape, Is.EqualTo(new long[] { 1, 2, 2, 4 }));
        Assert.That(oneHot3.data<float>().ToArray(), Is.EqualTo(new float[] { 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0 }));
        using var multi3 = Run(new Discretization(bounds, outputMode: "multi_hot"), tensor(new float[,,] { { { 0.15f, 0.75f }, { 0.85f, 0.45f } } }));
        Assert.That(multi3.data<float>().ToArray(), Is.EqualTo(new float[] { 0, 1, 1, 0, 0, 1, 1, 0 }));
        Assert.That(Run(new Discretization(bounds, outputMode: "count"), tensor(new float[,] { { 0.1f, 0.8f, 0.9f } })).data<float>().ToArray(),
            Is.EqualTo(new float[] { 0, 1, 2, 0 }));
        // test_tf_data_compatibility: boundaries [0.0, 0.35, 0.5, 1.0].
        Assert.That(Run(new Discretization([0.0, 0.35, 0.5, 1.0]), tensor(new double[,] { { -1.0, 0.0, 0.1, 0.2, 0.4, 0.5, 1.0, 1.2, 0.98 } }))
            .data<long>().ToArray(), Is.EqualTo(new long[] { 0, 1, 1, 1, 2, 3, 4, 4, 3 }));
    }

    [Test]
    public void Adapt_LearnsKerasBoundaries()
    {
        // Values from make_discretization_reference.py (Keras's summarize/merge/compress run with numpy 1.24).
        var d1 = Enumerable.Range(0, 250).Select(i => (float)(i * 37 % 101 / 10.0)).ToArray();
        var d2 = Enumerable.Range(0, 130).Select(i => (float)((i * 53 % 97) / 7.0 - 3)).ToArray();
        Assert.That(Adapted(4, 0.01, d1), Is.EqualTo(new[] { 2.4250006675720215, 4.950000762939453, 7.474999904632568 }));
        Assert.That(Adapted(5, 0.01, [0f, 1f, 5f]), Is.EqualTo(new[] { 0.0, 1.0 }));
        Assert.That(Adapted(5, 0.01, [0f, 1, 2, 3, 4, 5, 6, 7]), Is.EqualTo(new[] { 0.6000000238418579, 2.200000047683716, 3.799999952316284, 5.400000095367432 }));
        Assert.That(Adapted(3, 0.01, [0f, 1, 2, 3, 4, 5, 6, 7]), Is.EqualTo(new[] { 1.6666666269302368, 4.333333492279053 }));
        Assert.That(Adapted(4, 0.1, d1), Is.EqualTo(new[] { 2.4000003337860107, 4.90000057220459, 7.500000476837158 }));
        // Two batches: merging sorts values; numpy's argsort is unstable and its order of equal values depends on the numpy
        // version and CPU, so the reference is Keras's functions with a stable sort (numpy 1.24's quicksort gives
        // 0.4047373831272125, 2.3408091068267822, 4.4153828620910645, 6.277339935302734, 8.384392738342285).
        var twoBatches = new Discretization(numBins: 6);
        twoBatches.Adapt([tensor(d1[..120]), tensor(d2)]);
        Assert.That(twoBatches.BinBoundaries,
            Is.EqualTo(new[] { 0.40473783016204834, 2.3408095836639404, 4.415382385253906, 6.277339935302734, 8.384392738342285 }));

        static IReadOnlyList<double> Adapted(int numBins, double epsilon, float[] data)
        {
            var layer = new Discretization(numBins: numBins, epsilon: epsilon);
            layer.Adapt(tensor(data));
            return layer.BinBoundaries!;
        }
    }

    [Test]
    public void Adapted_SavedWithTheModel_BucketsTheSame()
    {
        // discretization_test.py test_saving / test_serialization: the adapted boundaries travel in the configuration.
        var layer = new Discretization(numBins: 4, outputMode: "one_hot", inputShape: [3]);
        layer.Adapt(tensor(Enumerable.Range(0, 96).Select(i => (float)(i * 7 % 32)).ToArray()));
        Assert.That(layer.GetConfig()["bin_boundaries"], Is.EqualTo(layer.BinBoundaries));
        Assert.That(layer.GetConfig()["num_bins"], Is.Null);
        var model = new SequentialModel(layer, new Flatten(), new Dense(1));
        var loaded = SavedModels.AssertRoundTrips(model, tensor(new float[,] { { 0, 10, 31 }, { 5, 17, 22 } }));
        Assert.That(((Discretization)loaded.Layers[0]).BinBoundaries, Is.EqualTo(layer.BinBoundaries));
    }

    [Test]
    public void FeedsCategoryEncoding()
    {
        var discretize = new Discretization([0.0]);
        var encode = new CategoryEncoding(2, outputMode: "one_hot");
        discretize.EnsureBuilt([1]);
        encode.EnsureBuilt([1]);
        using var y = encode.forward(discretize.forward(tensor(new float[,] { { -1 }, { 5 } })));
        Assert.That(y.data<float>().ToArray(), Is.EqualTo(new float[] { 1, 0, 0, 1 }));
    }

    [Test]
    public void KerasErrors()
    {
        Assert.That(() => new Discretization([0.0, 1.0], numBins: 3), Throws.ArgumentException.With.Message.Contains("Both numBins and binBoundaries"));
        Assert.That(() => new Discretization(), Throws.ArgumentException.With.Message.Contains("either numBins or binBoundaries"));
        Assert.That(() => new Discretization(numBins: 3).forward(tensor(new float[,] { { 0.1f, 0.8f, 0.9f } })),
            Throws.InvalidOperationException.With.Message.Contains("call Adapt"));
        Assert.That(() => new Discretization([1.0]).Adapt(tensor(new float[] { 1 })),
            Throws.InvalidOperationException.With.Message.Contains("use numBins instead"));
        Assert.That(() => new Discretization(numBins: 2).Adapt(tensor(new float[] { 1, float.NaN })), Throws.ArgumentException);
        Assert.Throws<ArgumentException>(() => _ = new Discretization([2.0, 1.0]));
        Assert.Throws<ArgumentException>(() => _ = new Discretization([double.NaN]));
        // Equal boundaries are allowed (Keras's adapt produces them for repeated values): the empty bin between is never used.
        Assert.That(Run(new Discretization([1.0, 1.0]), tensor(new float[] { 0, 1, 2 })).data<long>().ToArray(), Is.EqualTo(new long[] { 0, 2, 2 }));
    }
}
