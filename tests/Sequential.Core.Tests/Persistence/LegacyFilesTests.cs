using System.Text.Json;
using Sequential.Layers;
using Sequential.Metrics;
using Sequential.Optimizers;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Persistence;

/// <summary>
/// Files written by format version 1 (camelCase configuration keys, no graph section) still load, with their predictions
/// and training state. The fixtures were written by commit 41f0a1f's Model.Save: a SequentialModel trained two epochs
/// (Adam, a frozen-free stack with BatchNormalization and Dropout), and a registered subclass; v1-expected.json holds
/// the data, their predictions then, and the History of two more epochs after the save (seed 11).
/// </summary>
public class LegacyFilesTests
{
    /// <summary>The registered subclass of the fixture: its class name and its camelCase parameter are what the file names.</summary>
    public sealed class LegacyNet : Model
    {
        private readonly Dense _hidden;
        private readonly Dense _out = new(2, name: "out");

        /// <summary>Creates the model.</summary>
        public LegacyNet(int hiddenUnits = 5) : base("legacy_net")
        {
            HiddenUnits = hiddenUnits;
            _hidden = new Dense(hiddenUnits, activation: "tanh", name: "hidden");
        }

        /// <summary>The hidden layer's width.</summary>
        public int HiddenUnits { get; }

        /// <inheritdoc/>
        public override Tensor Call(Tensor x, bool training) => _out.Apply(_hidden.Apply(x, training), training);
    }

    private static string Fixture(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "Persistence", "Fixtures", name);

    private static JsonElement Expected(string key) =>
        JsonDocument.Parse(File.ReadAllText(Fixture("v1-expected.json"))).RootElement.GetProperty(key);

    private static float[] Floats(string key) => [.. Expected(key).EnumerateArray().Select(e => e.GetSingle())];

    private static Tensor X() => tensor(Floats("x")).reshape(32, 4);

    [Test]
    public void Load_OfAVersion1SequentialFile_GivesItsPredictionsAndSettings_AndTrainsOnAsBefore()
    {
        var model = SequentialModel.Load(Fixture("sequential-v1.seqmodel"));

        Assert.That(TestModels.Flat(model.Predict(X()[..5], verbose: 0)), Is.EqualTo(Floats("sequential_predictions")).Within(1e-5));
        var dense = (Dense)model.Layers[0];
        Assert.That(dense.KernelInitializer.Name, Is.EqualTo("he_normal"), "camelCase keys of version 1 still load");
        Assert.That(((BatchNormalization)model.Layers[1]).Momentum, Is.EqualTo(0.9));
        Assert.That(((Adam)model.Optimizer!).LearningRate, Is.EqualTo(0.01));
        Assert.That(model.Optimizer.Iterations, Is.EqualTo(4));

        var y = tensor(Expected("y").EnumerateArray().Select(e => e.GetInt64()).ToArray());
        RandomSeed.Set(11);
        var history = model.Fit(X(), y, epochs: 2, batchSize: 16, verbose: 0);
        Assert.That(history["loss"], Is.EqualTo(Expected("sequential_continued_loss").EnumerateArray().Select(e => e.GetDouble())).Within(1e-5));
        Assert.That(history["accuracy"], Is.EqualTo(Expected("sequential_continued_accuracy").EnumerateArray().Select(e => e.GetDouble())));
        Assert.That(history.Keys, Does.Contain("acc"));
    }

    [Test]
    public void Load_OfAVersion1RegisteredSubclassFile_GivesItsPredictionsAndConfig()
    {
        ModelRegistry.Register<LegacyNet>();

        var model = (LegacyNet)Model.Load(Fixture("subclass-v1.seqmodel"));

        Assert.That(model.HiddenUnits, Is.EqualTo(6), "the camelCase key hiddenUnits of version 1");
        Assert.That(TestModels.Flat(model.Predict(X()[..5], verbose: 0)), Is.EqualTo(Floats("subclass_predictions")).Within(1e-5));
        Assert.That(((SGD)model.Optimizer!).Momentum, Is.EqualTo(0.9));
        var metric = model.CompiledMetrics.Specs.OfType<BinaryAccuracy>().Single();
        Assert.That(metric.Threshold, Is.EqualTo(0.7));
    }
}
