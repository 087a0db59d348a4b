using Sequential.Losses;
using static TorchSharp.torch;
using static Sequential.Layers.Tests.LayerRun;

namespace Sequential.Layers.Tests;

public class EmbeddingTests
{
    [Test]
    public void Correctness_FromKeras_LooksUpRowsOfTheTable()
    {
        // keras/src/layers/core/embedding_test.py test_correctness.
        var layer = new Embedding(inputDim: 3, outputDim: 2);
        layer.EnsureBuilt([3]);
        using (no_grad()) layer.Embeddings!.copy_(tensor(new float[,] { { 0, 0 }, { 2, 2 }, { 3, 3 } }));
        var y = Run(layer, tensor(new long[] { 2, 1, 0 }).view(1, 3));
        Assert.That(y.shape, Is.EqualTo(new long[] { 1, 3, 2 }));
        Assert.That(Values(y), Is.EqualTo(new[] { 3f, 3f, 2f, 2f, 0f, 0f }));
    }

    [TestCase(ScalarType.Int64)]
    [TestCase(ScalarType.Int32)]
    [TestCase(ScalarType.Int16)]
    [TestCase(ScalarType.Int8)]
    [TestCase(ScalarType.Byte)]
    public void EveryIntegerDtype_GivesTheSameRows(ScalarType dtype)
    {
        RandomSeed.Set(2);
        var layer = new Embedding(5, 4);
        var ids = tensor(new long[] { 4, 0, 3, 1, 2, 4 }).view(2, 3);
        var expected = Values(Run(layer, ids));
        var y = Run(layer, ids.to(dtype));
        Assert.That(y.dtype, Is.EqualTo(ScalarType.Float32));
        Assert.That(y.shape, Is.EqualTo(new long[] { 2, 3, 4 }));
        Assert.That(Values(y), Is.EqualTo(expected));
    }

    [Test]
    public void Basics_FromKeras_ShapesAndParameterCounts()
    {
        // test_embedding_basics: input (2,) -> (2, 3) per sample ... batch (2,) of int32 gives (2, 3); (2, 3) with mask_zero gives (2, 3, 4).
        var a = new Embedding(4, 3);
        Assert.That(a.ComputeOutputShape([]), Is.EqualTo(new long[] { 3 }));
        Assert.That(Run(a, tensor(new int[] { 1, 3 })).shape, Is.EqualTo(new long[] { 2, 3 }));
        Assert.That((a.Weights.Count, a.CountParams()), Is.EqualTo((1, 12L)));
        var b = new Embedding(5, 4, maskZero: true);
        Assert.That(Run(b, zeros(2, 3, dtype: ScalarType.Int64)).shape, Is.EqualTo(new long[] { 2, 3, 4 }));
        Assert.That(b.MaskZero, Is.True);

        // keras.io's text classification model: Embedding(20000, 128) on length-200 ids -> (None, 200, 128), 2,560,000 parameters.
        var model = new SequentialModel(new Embedding(20000, 128, inputLength: 200), new Flatten());
        Assert.That(model.Layers[0].OutputShape, Is.EqualTo(new long[] { 200, 128 }));
        Assert.That(model.Layers[0].CountParams(), Is.EqualTo(2_560_000L));
    }

    [Test]
    public void DefaultInitializer_IsKerasUniformWithin005()
    {
        RandomSeed.Set(5);
        var layer = new Embedding(100, 50);
        layer.EnsureBuilt([1]);
        var table = layer.Embeddings!;
        Assert.That(layer.EmbeddingsInitializer.Name, Is.EqualTo("random_uniform"));   // Keras's "uniform": RandomUniform(-0.05, 0.05)
        Assert.That(table.abs().max().item<float>(), Is.LessThanOrEqualTo(0.05f).And.GreaterThan(0.045f));
        Assert.That(Math.Abs(table.mean().item<float>()), Is.LessThan(0.002f));
    }

    [Test]
    public void IdsOutOfRange_RaiseAnArgumentException_NamingTheIdAndInputDim()
    {
        var layer = new Embedding(10, 2, name: "tokens");
        var high = Assert.Throws<ArgumentException>(() => Run(layer, tensor(new long[] { 3, 10, 12 }).view(1, 3)))!;
        Assert.That(high.Message, Does.Contain("\"tokens\"").And.Contain("id 10").And.Contain("inputDim 10").And.Contain("raise inputDim"));
        var negative = Assert.Throws<ArgumentException>(() => Run(layer, tensor(new int[] { 2, -1, 0 }).view(1, 3)))!;
        Assert.That(negative.Message, Does.Contain("id -1"));
    }

    [Test]
    public void FloatInput_IsRefused_WithTheFix()
    {
        var layer = new Embedding(10, 2);
        var e = Assert.Throws<ArgumentException>(() => Run(layer, ones(1, 3)))!;
        Assert.That(e.Message, Does.Contain("integer ids").And.Contain("Float32").And.Contain("(1, 3)"));
    }

    [Test]
    public void BadArguments_Throw()
    {
        Assert.That(() => new Embedding(0, 3), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("inputDim"));
        Assert.That(() => new Embedding(3, -1), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("outputDim"));
        Assert.That(() => new Embedding(3, 2, embeddingsInitializer: "unifrom"), Throws.ArgumentException.With.Message.Contains("unifrom"));
    }

    [Test]
    public void AsFirstLayer_IdsAreNotCastToFloat_AndTheModelTrains()
    {
        RandomSeed.Set(4);
        // Ids 0..4 of class 0, 5..9 of class 1; int32 data stays int32 through Fit and Predict.
        var x = randint(0, 5, [64, 6], dtype: ScalarType.Int32);
        var y = arange(64, dtype: ScalarType.Int64) % 2;
        x = x + (y.view(-1, 1) * 5).to(ScalarType.Int32);
        var model = new SequentialModel(new Embedding(10, 8, inputShape: [6]), new Flatten(), new Dense(2, activation: "softmax"));
        model.Compile(optimizer: new Sequential.Optimizers.Adam(0.01), loss: new SparseCategoricalCrossentropy(), metrics: ["accuracy"], device: "cpu");
        var history = model.Fit(x, y, epochs: 5, batchSize: 16, verbose: 0);
        Assert.That(history["loss"][^1], Is.LessThan(history["loss"][0]));
        Assert.That(model.Predict(x, verbose: 0).shape, Is.EqualTo(new long[] { 64, 2 }));
    }

    [Test]
    public void WeightsAndConfigRoundTripThroughSaveAndLoad()
    {
        var model = new SequentialModel(new Embedding(7, 3, maskZero: true, inputLength: 4), new Flatten());
        var loaded = SavedModels.AssertRoundTrips(model, tensor(new long[] { 0, 1, 2, 6, 5, 4, 3, 3 }).view(2, 4));
        var config = loaded.Layers[0].GetConfig();
        Assert.That(config["input_dim"], Is.EqualTo(7));
        Assert.That(config["output_dim"], Is.EqualTo(3));
        Assert.That(config["mask_zero"], Is.EqualTo(true));
        Assert.That(config["embeddings_initializer"], Is.EqualTo("random_uniform"));
        Assert.That(config["input_length"], Is.EqualTo(4));
    }
}
