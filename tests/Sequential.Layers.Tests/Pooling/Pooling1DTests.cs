using static TorchSharp.torch;
using static Sequential.Layers.Tests.LayerRun;

namespace Sequential.Layers.Tests;

public class Pooling1DTests
{
    // keras/src/layers/pooling/{max,average}_pooling_test.py: inputs arange(24).reshape(2, 3, 4); the second sample is the
    // first plus 12, so only the first sample's expected values are written out (computed from Keras's numpy references).
    [TestCase(2, 1, "valid", "channels_last", new long[] { 2, 4 }, new float[] { 4, 5, 6, 7, 8, 9, 10, 11 })]
    [TestCase(2, 1, "valid", "channels_first", new long[] { 3, 3 }, new float[] { 1, 2, 3, 5, 6, 7, 9, 10, 11 })]
    [TestCase(2, 1, "same", "channels_last", new long[] { 3, 4 }, new float[] { 4, 5, 6, 7, 8, 9, 10, 11, 8, 9, 10, 11 })]
    [TestCase(2, 1, "same", "channels_first", new long[] { 3, 4 }, new float[] { 1, 2, 3, 3, 5, 6, 7, 7, 9, 10, 11, 11 })]
    [TestCase(2, 2, "valid", "channels_last", new long[] { 1, 4 }, new float[] { 4, 5, 6, 7 })]
    [TestCase(2, 2, "valid", "channels_first", new long[] { 3, 2 }, new float[] { 1, 3, 5, 7, 9, 11 })]
    public void MaxPooling1D_Correctness_FromKeras(int poolSize, int strides, string padding, string dataFormat, long[] shape, float[] first) =>
        AssertPools(new MaxPooling1D(poolSize, strides, padding, dataFormat), shape, first);

    [TestCase(2, 1, "valid", "channels_last", new long[] { 2, 4 }, new float[] { 2, 3, 4, 5, 6, 7, 8, 9 })]
    [TestCase(2, 1, "valid", "channels_first", new long[] { 3, 3 }, new float[] { 0.5f, 1.5f, 2.5f, 4.5f, 5.5f, 6.5f, 8.5f, 9.5f, 10.5f })]
    [TestCase(2, 2, "valid", "channels_last", new long[] { 1, 4 }, new float[] { 2, 3, 4, 5 })]
    [TestCase(2, 2, "valid", "channels_first", new long[] { 3, 2 }, new float[] { 0.5f, 2.5f, 4.5f, 6.5f, 8.5f, 10.5f })]
    // test_average_pooling1d_same_padding: the padded step is not counted.
    [TestCase(2, 1, "same", "channels_last", new long[] { 3, 4 }, new float[] { 2, 3, 4, 5, 6, 7, 8, 9, 8, 9, 10, 11 })]
    [TestCase(2, 1, "same", "channels_first", new long[] { 3, 4 }, new float[] { 0.5f, 1.5f, 2.5f, 3, 4.5f, 5.5f, 6.5f, 7, 8.5f, 9.5f, 10.5f, 11 })]
    [TestCase(2, 2, "same", "channels_last", new long[] { 2, 4 }, new float[] { 2, 3, 4, 5, 8, 9, 10, 11 })]
    [TestCase(2, 2, "same", "channels_first", new long[] { 3, 2 }, new float[] { 0.5f, 2.5f, 4.5f, 6.5f, 8.5f, 10.5f })]
    public void AveragePooling1D_Correctness_FromKeras(int poolSize, int strides, string padding, string dataFormat, long[] shape, float[] first) =>
        AssertPools(new AveragePooling1D(poolSize, strides, padding, dataFormat), shape, first);

    private static void AssertPools(Layer layer, long[] shape, float[] first)
    {
        var y = Run(layer, arange(24, dtype: ScalarType.Float32).view(2, 3, 4));
        Assert.That(y.shape, Is.EqualTo(new long[] { 2 }.Concat(shape).ToArray()));
        Assert.That(layer.OutputShape, Is.EqualTo(shape));
        Assert.That(Values(y), Is.EqualTo(first.Concat(first.Select(v => v + 12)).ToArray()));
    }

    // MaxPoolingBasicTest / AveragePoolingBasicTest: (pool, strides, padding, format, batch input, batch output).
    [TestCase(2, 1, "valid", "channels_last", new long[] { 3, 5, 4 }, new long[] { 3, 4, 4 })]
    [TestCase(2, 1, "same", "channels_first", new long[] { 3, 5, 4 }, new long[] { 3, 5, 4 })]
    [TestCase(2, 2, "valid", "channels_last", new long[] { 3, 5, 4 }, new long[] { 3, 2, 4 })]
    public void Basic_FromKeras_OutputShapes(int poolSize, int strides, string padding, string dataFormat, long[] input, long[] output)
    {
        Assert.That(Run(new MaxPooling1D(poolSize, strides, padding, dataFormat), randn(input)).shape, Is.EqualTo(output));
        Assert.That(Run(new AveragePooling1D(poolSize, strides, padding, dataFormat), randn(input)).shape, Is.EqualTo(output));
    }

    [Test]
    public void Defaults_AreKeras_PoolSize2_StridesEqualPoolSize()
    {
        var pool = new MaxPooling1D();
        Assert.That((pool.PoolSize, pool.Strides, pool.Padding, pool.DataFormat), Is.EqualTo((2, 2, "valid", "channels_last")));
        Assert.That(new AveragePooling1D(3).Strides, Is.EqualTo(3));
        Assert.That(pool.ComputeOutputShape([9, 5]), Is.EqualTo(new long[] { 4, 5 }));
    }

    // global_{average,max}_pooling_test.py: correctness against np.mean / np.max over the steps axis, with keepdims.
    [TestCase("channels_last", false, new long[] { 4 }, new float[] { 4, 5, 6, 7 }, new float[] { 8, 9, 10, 11 })]
    [TestCase("channels_last", true, new long[] { 1, 4 }, new float[] { 4, 5, 6, 7 }, new float[] { 8, 9, 10, 11 })]
    [TestCase("channels_first", false, new long[] { 3 }, new float[] { 1.5f, 5.5f, 9.5f }, new float[] { 3, 7, 11 })]
    [TestCase("channels_first", true, new long[] { 3, 1 }, new float[] { 1.5f, 5.5f, 9.5f }, new float[] { 3, 7, 11 })]
    public void GlobalPooling1D_Correctness_FromKeras(string dataFormat, bool keepdims, long[] shape, float[] mean, float[] max)
    {
        AssertPools(new GlobalAveragePooling1D(dataFormat, keepdims), shape, mean);
        AssertPools(new GlobalMaxPooling1D(dataFormat, keepdims), shape, max);
    }

    [Test]
    public void BadInput_SaysTheLayerTheShapeAndTheFix()
    {
        Assert.That(() => new MaxPooling1D(2, padding: "causal"), Throws.ArgumentException.With.Message.Contains("\"causal\""));
        Assert.That(() => new AveragePooling1D(0), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("poolSize"));
        var model = new SequentialModel(new GlobalMaxPooling1D(name: "gmp"));
        Assert.That(() => model.Build([4, 5, 6]), Throws.ArgumentException.With.Message.Contains("\"gmp\"").And.Message.Contains("(None, steps, channels)"));
        Assert.That(() => new MaxPooling1D(5).ComputeOutputShape([3, 2]), Throws.ArgumentException.With.Message.Contains("smaller than the window"));
    }

    [Test]
    public void ConfigRoundTripsThroughSaveAndLoad()
    {
        var model = new SequentialModel(new MaxPooling1D(3, 2, "same", inputShape: [7, 2]), new AveragePooling1D(2, 1, "same"),
            new GlobalAveragePooling1D(keepdims: true), new GlobalMaxPooling1D());
        var loaded = SavedModels.AssertRoundTrips(model, randn(2, 7, 2));
        Assert.That(loaded.Layers[0].GetConfig()["pool_size"], Is.EqualTo(3));
        Assert.That(loaded.Layers[2].GetConfig()["keepdims"], Is.EqualTo(true));
        Assert.That(loaded.Layers.Select(l => l.OutputShape), Is.EqualTo(new long[][] { [4, 2], [4, 2], [1, 2], [2] }));
    }
}
