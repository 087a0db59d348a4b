using static TorchSharp.torch;
using static Sequential.Layers.Tests.LayerRun;

namespace Sequential.Layers.Tests;

public class RepeatVectorTests
{
    [Test]
    public void RepeatVector_FromKeras_RepeatsEachSampleNTimes()
    {
        // keras/src/layers/reshaping/repeat_vector_test.py test_repeat_vector: (2, 5) with n 3 = np.repeat(x[:, None], 3, axis=1).
        var x = tensor(new float[,] { { 1, 2, 3, 4, 5 }, { 6, 7, 8, 9, 10 } });
        var layer = new RepeatVector(3);
        var y = Run(layer, x);
        Assert.That(y.shape, Is.EqualTo(new long[] { 2, 3, 5 }));
        Assert.That(Values(y), Is.EqualTo(new float[] { 1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 6, 7, 8, 9, 10, 6, 7, 8, 9, 10 }));
        Assert.That((layer.OutputShape, layer.CountParams()), Is.EqualTo((new long[] { 3, 5 }, 0L)));
    }

    [Test]
    public void BadArguments_AndInputs_Throw()
    {
        // test_repeat_vector_with_non_positive_n.
        Assert.That(() => new RepeatVector(0), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("should be a positive integer"));
        Assert.That(() => new RepeatVector(-3), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("got -3"));
        var model = new SequentialModel(new RepeatVector(2, name: "rep"));
        Assert.That(() => model.Build([3, 4]), Throws.ArgumentException.With.Message.Contains("\"rep\"").And.Message.Contains("(None, 3, 4)")
            .And.Message.Contains("Flatten"));
    }

    [Test]
    public void ConfigRoundTripsThroughSaveAndLoad()
    {
        var model = new SequentialModel(new Dense(3, inputShape: [2]), new RepeatVector(4));
        var loaded = SavedModels.AssertRoundTrips(model, randn(2, 2));
        Assert.That(loaded.Layers[1].GetConfig()["n"], Is.EqualTo(4));
        Assert.That(loaded.Layers[1].OutputShape, Is.EqualTo(new long[] { 4, 3 }));
    }
}
