using static TorchSharp.torch;

namespace Sequential.Layers.Tests.Convolution;

/// <summary>Keras's Conv1DTranspose: shapes and counts as Keras computes them, values equal to the checked 2-D layer.</summary>
public class Conv1DTransposeTests
{
    private static float[] Values(Tensor t) => t.detach().cpu().contiguous().data<float>().ToArray();

    [TestCase("valid", 1, null, 10)]
    [TestCase("valid", 2, null, 17)]     // (8 - 1) * 2 + 3
    [TestCase("same", 2, null, 16)]      // 8 * 2
    [TestCase("valid", 3, 1, 25)]        // (8 - 1) * 3 + 3 + 1
    [TestCase("same", 3, 2, 24)]         // Keras: (8 - 1) * 3 + 3 - 2 * (3 // 2) + 2
    public void OutputLengthAndParameters_AsKeras(string padding, int strides, int? outputPadding, int length)
    {
        var layer = new Conv1DTranspose(5, 3, strides: strides, padding: padding, outputPadding: outputPadding);
        var y = layer.Apply(randn(2, 8, 4));
        Assert.That(y.shape, Is.EqualTo(new long[] { 2, length, 5 }));
        Assert.That(layer.CountParams(), Is.EqualTo(3 * 5 * 4 + 5), "Keras: kernel (3, 5, 4) + bias 5");
    }

    [Test]
    public void Values_EqualConv2DTransposeOnOneRowImages_InBothDataFormats()
    {
        var x = randn(new long[] { 2, 6, 3 }, generator: new Generator(1));
        var layer = new Conv1DTranspose(4, 3, strides: 2, padding: "same");
        var y = layer.Apply(x);
        var reference = new Conv2DTranspose(4, (1, 3), (1, 2), padding: "same");
        reference.EnsureBuilt([1, 6, 3]);
        using (no_grad())
        {
            reference.Kernel!.copy_(layer.Kernel!);
            reference.Weights[1].copy_(layer.Weights[1]);
        }
        Assert.That(Values(y), Is.EqualTo(Values(reference.Apply(x.unsqueeze(1)).squeeze(1))).Within(1e-6));

        var first = new Conv1DTranspose(4, 3, strides: 2, dataFormat: "channels_first");
        Assert.That(first.Apply(x.transpose(1, 2)).shape, Is.EqualTo(new long[] { 2, 4, 13 }));
    }

    [Test]
    public void BadInput_NamesTheLayer_AndSavesAndLoads()
    {
        var e = Assert.Throws<ArgumentException>(() => new Conv1DTranspose(4, 3).Apply(randn(2, 5, 5, 3)));
        Assert.That(e!.Message, Does.Contain("(Conv1DTranspose) expects sequences"));
        Assert.Throws<ArgumentException>(() => new Conv1DTranspose(4, 3, strides: 2, outputPadding: 2));

        var model = new SequentialModel(new Conv1DTranspose(2, 3, strides: 2, padding: "same", inputShape: [5, 3]), new Flatten(), new Dense(1));
        var x = randn(new long[] { 3, 5, 3 }, generator: new Generator(2));
        string path = Path.Combine(Path.GetTempPath(), $"seq-conv1dt-{Guid.NewGuid():N}.seqmodel");
        try
        {
            model.Compile(optimizer: "sgd", loss: "mse", device: "cpu");
            model.Save(path);
            var loaded = Model.Load(path);
            Assert.That(((Conv1DTranspose)loaded.Layers[0]).Strides, Is.EqualTo(2));
            Assert.That(Values(loaded.Predict(x, verbose: 0)), Is.EqualTo(Values(model.Predict(x, verbose: 0))));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
