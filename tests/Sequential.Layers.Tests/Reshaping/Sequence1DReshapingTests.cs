using static TorchSharp.torch;

namespace Sequential.Layers.Tests.Reshaping;

/// <summary>Keras's up_sampling1d_test, zero_padding1d_test and cropping1d_test.</summary>
public class Sequence1DReshapingTests
{
    private static float[] Values(Tensor t) => t.detach().cpu().contiguous().to_type(ScalarType.Float32).data<float>().ToArray();

    [Test]
    public void UpSampling1D_KerasValuesAndShapes()
    {
        var y = new UpSampling1D(size: 2).Apply(arange(12, dtype: ScalarType.Float32).reshape(2, 2, 3));
        Assert.That(Values(y), Is.EqualTo(new float[] { 0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5, 6, 7, 8, 6, 7, 8, 9, 10, 11, 9, 10, 11 }));
        Assert.That(new UpSampling1D(size: 3).Apply(ones(2, 1, 5)).shape, Is.EqualTo(new long[] { 2, 3, 5 }));
        Assert.That(new UpSampling1D(size: 2).Apply(new Input(shape: [5, 4])).Shape, Is.EqualTo(new long[] { 10, 4 }));
        foreach (int size in new[] { 0, -2 })
            Assert.That(Assert.Throws<ArgumentException>(() => new UpSampling1D(size))!.Message, Does.Contain("should be a positive integer"));
    }

    [Test]
    public void ZeroPadding1D_KerasValues_BothDataFormats()
    {
        var inputs = rand(1, 2, 3, generator: new Generator(1));
        var last = new ZeroPadding1D((1, 2)).Apply(inputs);
        Assert.That(last.shape, Is.EqualTo(new long[] { 1, 5, 3 }));
        foreach (long index in new long[] { 0, 3, 4 }) Assert.That(Values(last[.., index, ..]), Is.All.EqualTo(0f));
        Assert.That(Values(last[.., 1..3, ..]), Is.EqualTo(Values(inputs)));
        var first = new ZeroPadding1D((1, 2), dataFormat: "channels_first").Apply(inputs);
        Assert.That(first.shape, Is.EqualTo(new long[] { 1, 2, 6 }));
        Assert.That(Values(first[.., .., 1..4]), Is.EqualTo(Values(inputs)));
        var same = new ZeroPadding1D(2).Apply(inputs);
        Assert.That(Values(same[.., 2..4, ..]), Is.EqualTo(Values(inputs)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ZeroPadding1D((-1, 2)));
    }

    [Test]
    public void Cropping1D_KerasValues()
    {
        var inputs = rand(3, 5, 7, generator: new Generator(2));
        Assert.That(Values(new Cropping1D((1, 2)).Apply(inputs)), Is.EqualTo(Values(inputs[.., 1..3, ..])));
        Assert.That(Values(new Cropping1D((1, 1)).Apply(inputs)), Is.EqualTo(Values(inputs[.., 1..4, ..])));
        Assert.That(Values(new Cropping1D(1).Apply(inputs)), Is.EqualTo(Values(inputs[.., 1..4, ..])));
        var e = Assert.Throws<ArgumentException>(() => new Cropping1D((3, 2)).Apply(inputs));
        Assert.That(e!.Message, Does.Contain("must leave at least one of the 5 steps"));
    }

    [Test]
    public void AllThree_SaveAndLoadInAModel()
    {
        var model = new SequentialModel(new ZeroPadding1D((1, 2), inputShape: [4, 3]), new UpSampling1D(3), new Cropping1D((2, 1)), new Flatten(), new Dense(1));
        Assert.That(model.OutputShape, Is.EqualTo(new long[] { 1 }));
        Assert.That(model.Layers[2].OutputShape, Is.EqualTo(new long[] { 18, 3 }));   // (4 + 3) * 3 - 3
        model.Compile(optimizer: "sgd", loss: "mse", device: "cpu");
        var x = randn(2, 4, 3, generator: new Generator(3));
        string path = Path.Combine(Path.GetTempPath(), $"seq-1d-{Guid.NewGuid():N}.seqmodel");
        try
        {
            model.Save(path);
            var loaded = Model.Load(path);
            Assert.That(((Cropping1D)loaded.Layers[2]).Cropping, Is.EqualTo((2, 1)));
            Assert.That(Values(loaded.Predict(x, verbose: 0)), Is.EqualTo(Values(model.Predict(x, verbose: 0))));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
