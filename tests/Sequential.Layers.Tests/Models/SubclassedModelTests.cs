using static TorchSharp.torch;

namespace Sequential.Layers.Tests.Models;

/// <summary>
/// Keras's "Making new layers and models via subclassing": a Model subclass that holds layers in fields, written
/// against Core's public surface only (this test assembly has no access to Core's internals).
/// </summary>
public class SubclassedModelTests
{
    /// <summary>DESIGN.md's example.</summary>
    private sealed class Mlp : Model
    {
        private readonly Dense _hidden = new(64, activation: "relu");
        private readonly Dense _out = new(10);

        public override Tensor Call(Tensor x, bool training) => _out.Apply(_hidden.Apply(x, training), training);
    }

    /// <summary>Layers in a list field, plus one that is only sometimes used.</summary>
    private sealed class Tower(int depth) : Model("tower")
    {
        private readonly List<Dense> _blocks = [.. Enumerable.Range(0, depth).Select(_ => new Dense(4, activation: "relu"))];
        private readonly Dropout _dropout = new(0.5);
        private readonly Dense _head = new(1);

        public override Tensor Call(Tensor x, bool training)
        {
            foreach (var block in _blocks) x = block.Apply(x, training);
            return _head.Apply(_dropout.Apply(x, training), training);
        }
    }

    private static (Tensor x, Tensor y) Blobs(int n)
    {
        var generator = new Generator(11);
        var y = randint(0, 10, [n], generator: generator);
        var x = randn(new long[] { n, 2 }, generator: generator) * 0.1 + y.unsqueeze(1).to_type(ScalarType.Float32);
        return (x, y);
    }

    private static float[] Values(Tensor t) => t.detach().cpu().contiguous().data<float>().ToArray();

    [Test]
    public void FieldsAreTracked_AndCountedAsKerasCounts()
    {
        var model = new Mlp();
        Assert.That(model.Name, Is.EqualTo("mlp"));
        model.Build([2]);
        Assert.That(model.Layers.Select(l => l.Name), Is.EqualTo(new[] { "dense", "dense_1" }));
        Assert.That(model.OutputShape, Is.EqualTo(new long[] { 10 }));
        // Keras: Dense(64) on 2 features = 2*64+64 = 192; Dense(10) on 64 = 650.
        Assert.That(model.Layers.Select(l => l.CountParams()), Is.EqualTo(new long[] { 192, 650 }));
        Assert.That(model.parameters().Count(), Is.EqualTo(4));
        string summary = model.Summary();
        Assert.That(summary, Does.Contain("Model: \"mlp\"").And.Contain("dense_1 (Dense)").And.Contain("(None, 10)")
            .And.Contain("Total params: 842 (3.29 KB)"));
    }

    [Test]
    public void ListFields_AreTrackedInOrder()
    {
        var model = new Tower(3);
        model.Build([5]);
        Assert.That(model.Layers.Select(l => l.Name), Is.EqualTo(new[] { "dense", "dense_1", "dense_2", "dropout", "dense_3" }));
        Assert.That(model.TrainableWeights, Has.Count.EqualTo(8));
    }

    [Test]
    public void TrainsExactlyAsTheSameSequentialModel()
    {
        var (x, y) = Blobs(64);
        RandomSeed.Set(21);
        var subclassed = new Mlp();
        subclassed.Compile(optimizer: "adam", loss: new Losses.SparseCategoricalCrossentropy(fromLogits: true), metrics: ["accuracy"], device: "cpu");
        var a = subclassed.Fit(x, y, batchSize: 16, epochs: 3, verbose: 0);

        RandomSeed.Set(21);
        var stack = new SequentialModel(new Dense(64, activation: "relu"), new Dense(10));
        stack.Compile(optimizer: "adam", loss: new Losses.SparseCategoricalCrossentropy(fromLogits: true), metrics: ["accuracy"], device: "cpu");
        var b = stack.Fit(x, y, batchSize: 16, epochs: 3, verbose: 0);

        Assert.That(a["loss"], Is.EqualTo(b["loss"]));
        Assert.That(a["accuracy"], Is.EqualTo(b["accuracy"]));
        Assert.That(a["loss"][2], Is.LessThan(a["loss"][0]));
        Assert.That(Values(subclassed.Predict(x, verbose: 0)), Is.EqualTo(Values(stack.Predict(x, verbose: 0))));
    }

    [Test]
    public void SaveWeightsRoundTrip_AndWholeModelSaveSaysWhatToDo()
    {
        var (x, y) = Blobs(32);
        var model = new Mlp();
        model.Compile(optimizer: "sgd", loss: new Losses.SparseCategoricalCrossentropy(fromLogits: true), device: "cpu");
        model.Fit(x, y, epochs: 1, verbose: 0);
        string folder = Path.Combine(Path.GetTempPath(), "seq-subclass-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            string weights = Path.Combine(folder, "mlp.safetensors");
            model.SaveWeights(weights);
            var again = new Mlp();
            again.LoadWeights(weights);
            Assert.That(Values(again.Predict(x, verbose: 0)), Is.EqualTo(Values(model.Predict(x, verbose: 0))));

            string file = Path.Combine(folder, "mlp.seqmodel");
            var e = Assert.Throws<NotSupportedException>(() => model.Save(file))!;
            Assert.That(e.Message, Does.Contain("Mlp").And.Contain("SaveWeights"));
            Assert.That(File.Exists(file), Is.False);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Layers with state (BatchNormalization's moving statistics) built lazily inside Fit's per-batch scope.</summary>
    private sealed class Normalized : Model
    {
        private readonly Dense _dense = new(8);
        private readonly BatchNormalization _norm = new();
        private readonly Dense _out = new(10);

        public override Tensor Call(Tensor x, bool training) =>
            _out.Apply(_norm.Apply(_dense.Apply(x, training), training), training);
    }

    [Test]
    public void StatefulLayers_BuiltDuringFit_KeepTheirStateAcrossEpochs()
    {
        var (x, y) = Blobs(64);
        var model = new Normalized();
        model.Compile(optimizer: "adam", loss: new Losses.SparseCategoricalCrossentropy(fromLogits: true), device: "cpu");
        var history = model.Fit(x, y, batchSize: 16, epochs: 3, verbose: 0);
        Assert.That(history["loss"], Has.Count.EqualTo(3));
        var movingMean = model.state_dict().Single(kv => kv.Key.EndsWith("moving_mean")).Value;
        Assert.That(Values(movingMean).Any(v => v != 0f), Is.True, "the moving mean was updated and is still alive");
        Assert.That(model.Layers.Sum(l => l.CountParams()), Is.EqualTo(2 * 8 + 8 + 4 * 8 + 8 * 10 + 10));
    }

    /// <summary>A registered subclass with a configuration: its depth comes back from the file.</summary>
    public sealed class Deep(int depth, string? name = null) : Model(name)
    {
        private readonly List<Dense> _blocks = [.. Enumerable.Range(0, depth).Select(_ => new Dense(3, activation: "relu"))];
        private readonly Dense _out = new(10);

        public int Depth { get; } = depth;

        public override Tensor Call(Tensor x, bool training)
        {
            foreach (var block in _blocks) x = block.Apply(x, training);
            return _out.Apply(x, training);
        }
    }

    /// <summary>Never registered.</summary>
    public sealed class Unregistered : Model
    {
        private readonly Dense _out = new(2);

        public override Tensor Call(Tensor x, bool training) => _out.Apply(x, training);
    }

    [Test]
    public void RegisteredSubclass_SavesWhole_AndLoadsWithItsConfigWeightsAndOptimizer()
    {
        ModelRegistry.Register<Deep>();
        var (x, y) = Blobs(32);
        var model = new Deep(2, name: "deep_one");
        model.Compile(optimizer: "adam", loss: new Losses.SparseCategoricalCrossentropy(fromLogits: true), device: "cpu");
        model.Fit(x, y, epochs: 2, verbose: 0);
        string folder = Path.Combine(Path.GetTempPath(), "seq-subclass-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            string file = Path.Combine(folder, "deep.seqmodel");
            model.Save(file);
            var loaded = (Deep)Model.Load(file);
            Assert.That((loaded.Depth, loaded.Name, loaded.Layers.Count), Is.EqualTo((2, "deep_one", 3)));
            Assert.That(Values(loaded.Predict(x, verbose: 0)), Is.EqualTo(Values(model.Predict(x, verbose: 0))));
            Assert.That(loaded.Optimizer!.Iterations, Is.EqualTo(model.Optimizer!.Iterations));
            // Training goes on from the same weights and optimizer state: one more epoch gives the same numbers.
            RandomSeed.Set(4);
            var a = model.Fit(x, y, epochs: 1, verbose: 0);
            RandomSeed.Set(4);
            var b = loaded.Fit(x, y, epochs: 1, verbose: 0);
            Assert.That(b["loss"], Is.EqualTo(a["loss"]));

            var typed = Assert.Throws<InvalidDataException>(() => SequentialModel.Load(file))!;
            Assert.That(typed.Message, Does.Contain("holds a Deep, not a SequentialModel; load it with Model.Load(path)"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void UnregisteredSubclass_SaveSaysToRegisterIt()
    {
        var model = new Unregistered();
        model.Build([4]);
        string file = Path.Combine(Path.GetTempPath(), "seq-unregistered-" + Guid.NewGuid().ToString("N") + ".seqmodel");
        var e = Assert.Throws<NotSupportedException>(() => model.Save(file))!;
        Assert.That(e.Message, Does.Contain("ModelRegistry.Register<Unregistered>()").And.Contain("SaveWeights"));
        Assert.That(File.Exists(file), Is.False);
    }

    [Test]
    public void ApplyOnAnotherShape_NamesTheLayerAndBothShapes()
    {
        var dense = new Dense(3);
        dense.Apply(zeros(2, 4));
        var e = Assert.Throws<ArgumentException>(() => dense.Apply(zeros(2, 5)))!;
        Assert.That(e.Message, Does.Contain("layer \"dense").And.Contain("(None, 4)").And.Contain("(None, 5)"));
    }
}
