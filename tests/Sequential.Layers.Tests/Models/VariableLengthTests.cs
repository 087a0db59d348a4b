using System.Text.Json.Nodes;
using Sequential.Core.Tests.Persistence;
using static TorchSharp.torch;

namespace Sequential.Layers.Tests.Models;

/// <summary>
/// Inputs with an axis of unknown size, Keras's <c>keras.Input(shape=(None,), dtype="int64")</c>: one model takes
/// sequences of any length, shapes print None, files record null, and layers that would weigh an unknown axis say so.
/// </summary>
public class VariableLengthTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("sequential-none-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    /// <summary>keras.io's "text classification from scratch" model, on token ids of any length.</summary>
    private static Model TextClassifier()
    {
        RandomSeed.Set(3);
        var inputs = new Input(shape: [null], dtype: ScalarType.Int64);
        var x = new Embedding(50, 8).Apply(inputs);
        x = new Dropout(0.5).Apply(x);
        x = new Conv1D(8, 3, padding: "valid", activation: "relu", strides: 2).Apply(x);
        x = new Conv1D(8, 3, padding: "same", activation: "relu", strides: 2).Apply(x);
        x = new GlobalMaxPooling1D().Apply(x);
        x = new Dense(8, activation: "relu").Apply(x);
        var predictions = new Dense(1, activation: "sigmoid", name: "predictions").Apply(x);
        return new Model(inputs, predictions, name: "text");
    }

    private static Tensor Ids(int n, int steps, int seed) => randint(1, 50, [n, steps], generator: new Generator((ulong)seed));

    [Test]
    public void OneModel_TakesSequencesOfEveryLength_AsItsLayersRunThemOneByOne()
    {
        var model = TextClassifier();
        model.Compile(optimizer: "adam", loss: "binary_crossentropy", metrics: ["accuracy"]);
        var labels = randint(0, 2, [16, 1], generator: new Generator(1)).to_type(ScalarType.Float32);

        model.Fit(Ids(16, 40, 2), labels, batchSize: 8, epochs: 1, verbose: 0);
        model.Fit(Ids(16, 23, 3), labels, batchSize: 8, epochs: 1, verbose: 0);
        // Batches of different lengths in one epoch, as a bucketed or per-batch padded pipeline gives them.
        var batches = new[] { (Ids(8, 30, 5), labels[..8]), (Ids(8, 12, 6), labels[8..]) };
        var history = model.Fit(batches, epochs: 1, verbose: 0);
        Assert.That(double.IsFinite(history["loss"][0]), Is.True);
        Assert.That(model.Evaluate(batches, verbose: 0)["loss"], Is.GreaterThan(0));

        foreach (int steps in new[] { 5, 17, 64 })
        {
            var ids = Ids(3, steps, steps);
            Tensor expected = ids;
            using (no_grad())
                foreach (var layer in model.Layers) expected = layer.Apply(expected);
            Assert.That(allclose(model.Predict(ids, verbose: 0), expected, rtol: 1e-6, atol: 1e-6), Is.True, $"{steps} steps");
        }
        string summary = model.Summary();
        Assert.That(summary, Does.Contain("│ input_layer (InputLayer)       │ (None, None)"));
        Assert.That(summary, Does.Contain("│ (None, None, 8)"));
        Assert.That(summary, Does.Contain("Total params: 881"), "50·8 + (3·8·8+8)·2 + 8·8+8 + 8+1, as Keras counts them");
    }

    [Test]
    public void AFileRecordsTheUnknownAxisAsNull_AndLoadsBackTheSameModel()
    {
        var model = TextClassifier();
        string path = Path.Combine(_folder, "text.seqmodel");
        model.Save(path);
        var config = JsonNode.Parse(ModelFileEdits.ReadEntry(path, "config.json"))!["model"]!;
        Assert.That(config["layers"]![0]!["config"]!["batch_shape"]!.ToJsonString(), Is.EqualTo("[null,null]"));
        Assert.That(config["layers"]![1]!["inbound_nodes"]![0]!["args"]![0]!["config"]!["shape"]!.ToJsonString(), Is.EqualTo("[null,null]"));

        var loaded = Model.Load(path);

        Assert.That(loaded.Inputs[0].Shape, Is.EqualTo(new[] { Shapes.None }));
        var ids = Ids(2, 31, 4);
        Assert.That(allclose(loaded.Predict(ids, verbose: 0), model.Predict(ids, verbose: 0)), Is.True);
    }

    [Test]
    public void AStackWithAnUnknownLength_SavesAndLoads_WholeOrAsWeights()
    {
        RandomSeed.Set(8);
        var model = new SequentialModel(new LSTM(4, inputShape: [Shapes.None, 3]), new Dense(1));
        string path = Path.Combine(_folder, "stack.seqmodel");
        string weights = Path.Combine(_folder, "stack.safetensors");
        model.Save(path);
        model.SaveWeights(weights);
        var loaded = SequentialModel.Load(path);
        var fresh = new SequentialModel(new LSTM(4), new Dense(1));
        fresh.LoadWeights(weights); // builds from the input shape the file records: (None, None, 3)

        Assert.That(loaded.BuiltInputShape, Is.EqualTo(new[] { Shapes.None, 3L }));
        Assert.That(fresh.BuiltInputShape, Is.EqualTo(new[] { Shapes.None, 3L }));
        foreach (int steps in new[] { 7, 11 })
        {
            var x = randn(2, steps, 3, generator: new Generator((ulong)steps));
            Assert.That(allclose(loaded.Predict(x, verbose: 0), model.Predict(x, verbose: 0)), Is.True);
            Assert.That(allclose(fresh.Predict(x, verbose: 0), model.Predict(x, verbose: 0)), Is.True);
        }
    }

    [Test]
    public void MasksAndRecurrentLayers_WorkOnAnyLength()
    {
        RandomSeed.Set(4);
        var inputs = new Input(shape: [Shapes.None], dtype: ScalarType.Int64);
        var x = new Embedding(30, 6, maskZero: true).Apply(inputs);
        x = new Bidirectional(new LSTM(4, returnSequences: true)).Apply(x);
        var model = new Model(inputs, new Dense(1).Apply(new LSTM(3).Apply(x)));
        var ids = tensor(new long[,] { { 3, 4, 5, 0, 0 }, { 7, 8, 9, 10, 11 } });

        var padded = model.Predict(ids, verbose: 0);
        var shorter = model.Predict(ids[.., ..3], verbose: 0);

        // Masked padding leaves the first sequence's result as without it.
        Assert.That(padded[0].item<float>(), Is.EqualTo(shorter[0].item<float>()).Within(1e-5));
        Assert.That(x.Shape, Is.EqualTo(new[] { Shapes.None, 8L }));
    }

    [Test]
    public void AnUnknownAxisThatALayerWouldWeigh_IsExplained()
    {
        var sequences = new Input(shape: [null, null]);
        var dense = Assert.Throws<ArgumentException>(() => new Dense(4, name: "d").Apply(sequences))!;
        Assert.That(dense.Message, Does.Contain("Layer \"d\" (Dense) would make weight \"kernel\" of shape (4, None), whose size comes from " +
                                                "an input axis of unknown size (None)"));
        var statistics = Assert.Throws<ArgumentException>(() =>
            new BatchNormalization(center: false, scale: false, name: "bn").Apply(new Input(shape: [null])))!;
        Assert.That(statistics.Message, Does.Contain("Layer \"bn\" (BatchNormalization) would make weight \"moving_mean\" of shape (None,)"));
        var flat = new Flatten().Apply(new Input(shape: [null, 3]));
        Assert.That(flat.Shape, Is.EqualTo(new[] { Shapes.None }));
        var images = new Input(shape: [null, null, 3]);
        var conv = Assert.Throws<ArgumentException>(() => new Conv2D(4, 3, name: "c").Apply(images))!;
        Assert.That(conv.Message, Does.Contain("Layer \"c\" (Conv2D) needs images of known height, width and channels; got input shape (None, None, None, 3)"));
        var bad = Assert.Throws<ArgumentException>(() => new Input(shape: [0, 3]))!;
        Assert.That(bad.Message, Does.Contain("or null (Shapes.None) for a size the data decides; got [0, 3]"));
    }

    [Test]
    public void DataOfAnotherRankOrKnownSize_IsStillRefused()
    {
        var inputs = new Input(shape: [null, 4]);
        var model = new Model(inputs, new Dense(2).Apply(new GlobalAveragePooling1D().Apply(inputs)));
        Assert.That(model.Predict(randn(2, 9, 4), verbose: 0).shape, Is.EqualTo(new long[] { 2, 2 }));
        var rank = Assert.Throws<ArgumentException>(() => model.Predict(randn(2, 4), verbose: 0))!;
        Assert.That(rank.Message, Does.Contain("expected shape (None, None, 4), but received input with shape (None, 4)"));
        var size = Assert.Throws<ArgumentException>(() => model.Predict(randn(2, 9, 5), verbose: 0))!;
        Assert.That(size.Message, Does.Contain("expected shape (None, None, 4), but received input with shape (None, 9, 5)"));
    }
}
