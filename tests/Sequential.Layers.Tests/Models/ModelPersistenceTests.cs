using System.IO.Compression;
using System.Text.Json.Nodes;
using Sequential.Losses;
using static TorchSharp.torch;

namespace Sequential.Layers.Tests.Models;

/// <summary>
/// Save/Load of every kind of model through the public API: functional graphs (an MLP, DESIGN.md's small Xception, the
/// "shop" model with two inputs and two outputs, a siamese model with a shared layer), nested models (a graph in a stack,
/// a stack in a graph applied twice, a registered subclass in a stack, three levels deep): identical predictions, and
/// training that continues with identical numbers. Models that cannot be saved are refused before anything is written.
/// </summary>
public class ModelPersistenceTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("seq-persistence-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private static float[] Values(Tensor t) => t.detach().cpu().contiguous().data<float>().ToArray();

    private string PathOf(string name) => Path.Combine(_folder, name);

    private Model SaveAndLoad(Model model, string name = "m.seqmodel")
    {
        string path = PathOf(name);
        model.Save(path);
        return Model.Load(path);
    }

    /// <summary>The model section of a saved file's config.json.</summary>
    private static JsonObject SavedModelJson(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        using var stream = zip.GetEntry("config.json")!.Open();
        return JsonNode.Parse(stream)!["model"]!.AsObject();
    }

    private static (Tensor x, Tensor y) Blobs(int n, int features = 4)
    {
        var generator = new Generator(5);
        var y = randint(0, 3, [n], generator: generator);
        var x = randn(new long[] { n, features }, generator: generator) * 0.3 + y.unsqueeze(1).to_type(ScalarType.Float32);
        return (x, y);
    }

    /// <summary>Fits the original and the loaded model from the same seed: their Histories must be equal, key by key.</summary>
    private static void AssertTrainsOnIdentically(Func<Model, History> fit, Model original, Model loaded)
    {
        RandomSeed.Set(21);
        var expected = fit(original);
        RandomSeed.Set(21);
        var actual = fit(loaded);
        Assert.That(actual.Keys, Is.EqualTo(expected.Keys));
        foreach (var key in expected.Keys)
            Assert.That(actual[key], Is.EqualTo(expected[key]), key);
    }

    [Test]
    public void FunctionalMlp_LoadsWithItsPredictionsSummaryAndOptimizer_AndTrainsOnIdentically()
    {
        var inputs = new Input(shape: [4], name: "features");
        var x = new Dense(16, activation: "relu").Apply(inputs);
        x = new Dropout(0.2).Apply(x);
        var model = new Model(inputs, new Dense(3).Apply(x), name: "mlp");
        model.Compile(optimizer: "adam", loss: new SparseCategoricalCrossentropy(fromLogits: true), metrics: ["accuracy"], device: "cpu");
        var (xs, ys) = Blobs(48);
        model.Fit(xs, ys, batchSize: 16, epochs: 1, verbose: 0);

        var loaded = SaveAndLoad(model);

        Assert.That(loaded.GetType(), Is.EqualTo(typeof(Model)));
        Assert.That((loaded.IsFunctional, loaded.TypeName, loaded.Name), Is.EqualTo((true, "Functional", "mlp")));
        Assert.That(loaded.Summary(), Is.EqualTo(model.Summary()));
        Assert.That(loaded.InputNames, Is.EqualTo(new[] { "features" }));
        Assert.That(Values(loaded.Predict(xs, verbose: 0)), Is.EqualTo(Values(model.Predict(xs, verbose: 0))));
        Assert.That(loaded.Optimizer!.Iterations, Is.EqualTo(3));
        AssertTrainsOnIdentically(m => m.Fit(xs, ys, batchSize: 16, epochs: 2, verbose: 0, validationSplit: 0.25), model, loaded);
        var typed = Assert.Throws<InvalidDataException>(() => SequentialModel.Load(PathOf("m.seqmodel")))!;
        Assert.That(typed.Message, Does.Contain("holds a Functional model, not a SequentialModel; load it with Model.Load(path)."));
    }

    /// <summary>DESIGN.md's small Xception block: a residual connection merged by Add.</summary>
    private static Model SmallXception()
    {
        var inputs = new Input(shape: [16, 16, 3], name: "image");
        SymbolicTensor x = new Rescaling(1.0 / 255).Apply(inputs);
        x = new Conv2D(8, 3, strides: 2, padding: "same", activation: "relu").Apply(x);
        var previous = x;
        x = new SeparableConv2D(16, 3, padding: "same", activation: "relu").Apply(x);
        x = new BatchNormalization().Apply(x);
        x = new MaxPooling2D((3, 3), strides: (2, 2), padding: "same").Apply(x);
        var residual = new Conv2D(16, 1, strides: 2, padding: "same").Apply(previous);
        x = new Add().Apply(x, residual);
        x = new GlobalAveragePooling2D().Apply(x);
        var outputs = new Dense(1, activation: "sigmoid", name: "cat").Apply(x);
        return new Model(inputs, outputs, name: "small_xception");
    }

    [Test]
    public void SmallXception_LoadsWithItsPredictions_LayersAndFeatureExtractor_AndTrainsOnIdentically()
    {
        var model = SmallXception();
        model.Compile(optimizer: "rmsprop", loss: "binary_crossentropy", metrics: ["accuracy"], device: "cpu");
        var generator = new Generator(2);
        var x = rand(new long[] { 12, 16, 16, 3 }, generator: generator) * 255;
        var y = randint(0, 2, new long[] { 12, 1 }, generator: generator).to_type(ScalarType.Float32);
        model.Fit(x, y, batchSize: 4, epochs: 1, verbose: 0);

        var loaded = SaveAndLoad(model);

        Assert.That(loaded.Layers.Select(l => l.Name), Is.EqualTo(model.Layers.Select(l => l.Name)));
        Assert.That(loaded.CountParams(), Is.EqualTo(model.CountParams()));
        Assert.That(loaded.Summary(), Is.EqualTo(model.Summary()));
        Assert.That(Values(loaded.Predict(x, verbose: 0)), Is.EqualTo(Values(model.Predict(x, verbose: 0))));
        // The loaded graph is a graph like the original: a feature extractor can be cut from it.
        var features = new Model(loaded.Inputs, loaded.GetLayer("add").Output);
        var original = new Model(model.Inputs, model.GetLayer("add").Output);
        Assert.That(Values(features.Predict(x, verbose: 0)), Is.EqualTo(Values(original.Predict(x, verbose: 0))));
        AssertTrainsOnIdentically(m => m.Fit(x, y, batchSize: 4, epochs: 2, verbose: 0), model, loaded);
    }

    [Test]
    public void ShopModel_WithALossWeightAndMetricsPerOutput_LoadsThemAll_AndTrainsOnIdentically()
    {
        var shop = ShopModel.Build();
        shop.Compile(optimizer: "adam",
            loss: new Dictionary<string, Loss> { ["kind"] = new SparseCategoricalCrossentropy(fromLogits: true), ["price"] = new Huber(delta: 0.5) },
            lossWeights: new Dictionary<string, double> { ["kind"] = 1.0, ["price"] = 0.25 },
            metrics: new Dictionary<string, IEnumerable<object>> { ["kind"] = ["accuracy"], ["price"] = ["mae", new Metrics.MeanSquaredError(name: "sq")] },
            device: "cpu");
        var (x, y) = ShopModel.Data(40);
        shop.Fit(x, y, batchSize: 8, epochs: 1, verbose: 0);

        var loaded = SaveAndLoad(shop);

        Assert.That((loaded.InputNames, loaded.OutputNames), Is.EqualTo((shop.InputNames, shop.OutputNames)));
        Assert.That(loaded.OutputLosses.Select(l => l?.GetType()), Is.EqualTo(new[] { typeof(SparseCategoricalCrossentropy), typeof(Huber) }));
        Assert.That(((Huber)loaded.OutputLosses[1]!).Delta, Is.EqualTo(0.5));
        Assert.That(loaded.Loss, Is.Null, "a loss per output, as compiled");
        var expected = shop.Predict(x, verbose: 0);
        var actual = loaded.Predict(x, verbose: 0);
        foreach (var name in new[] { "kind", "price" })
            Assert.That(Values(actual[name]), Is.EqualTo(Values(expected[name])), name);
        // The loss weight shows in the total: loss = kind_loss + 0.25 price_loss, on both.
        var logs = loaded.Evaluate(x, y, batchSize: 40, verbose: 0);
        Assert.That(logs["loss"], Is.EqualTo(logs["kind_loss"] + 0.25 * logs["price_loss"]).Within(1e-5));
        Assert.That(logs.Keys, Is.EqualTo(new[] { "loss", "kind_accuracy", "price_mae", "price_sq", "kind_loss", "price_loss" }));
        AssertTrainsOnIdentically(m => m.Fit(x, y, batchSize: 8, epochs: 2, verbose: 0, validationSplit: 0.2), shop, loaded);
    }

    [Test]
    public void ShopModel_WithOneLossForBothOutputs_LoadsItAsOne()
    {
        var shop = ShopModel.Build();
        shop.Compile(optimizer: "sgd", loss: "mse", metrics: ["mae", "mse"], device: "cpu");
        var (x, _) = ShopModel.Data(16);
        var y = new Dictionary<string, Tensor> { ["kind"] = randn(16, 3), ["price"] = randn(16, 1) };

        var loaded = SaveAndLoad(shop);

        Assert.That(loaded.Loss, Is.TypeOf<MeanSquaredError>(), "Compile's broadcast loss");
        AssertTrainsOnIdentically(m => m.Fit(x, y, batchSize: 8, epochs: 2, verbose: 0), shop, loaded);
        Assert.That(loaded.Evaluate(x, y, verbose: 0).Keys, Is.EqualTo(new[] { "loss", "kind_mae", "price_mse", "kind_loss", "price_loss" }));
    }

    [Test]
    public void SiameseModel_WithASharedLayer_LoadsOneLayerCalledTwice()
    {
        var left = new Input(shape: [4], name: "left");
        var right = new Input(shape: [4], name: "right");
        var shared = new Dense(6, activation: "tanh", name: "shared");
        var merged = new Subtract().Apply(shared.Apply(left), shared.Apply(right));
        var siamese = new Model([left, right], new Dense(1, name: "score").Apply(merged), name: "siamese");
        siamese.Compile(optimizer: "adam", loss: "mse", device: "cpu");
        string path = PathOf("siamese.seqmodel");
        siamese.Save(path);

        var loaded = Model.Load(path);

        // One layer with two calls in the file, and one set of weights in the model.
        var entry = SavedModelJson(path)["layers"]!.AsArray().Single(l => (string?)l!["name"] == "shared")!;
        Assert.That(entry["inbound_nodes"]!.AsArray().Count, Is.EqualTo(2));
        Assert.That(loaded.CountParams(), Is.EqualTo(siamese.CountParams()).And.EqualTo(4 * 6 + 6 + 6 + 1));
        var a = randn(5, 4, generator: new Generator(1));
        var b = randn(5, 4, generator: new Generator(2));
        Assert.That(Values(loaded.Predict([a, b], verbose: 0)[0]), Is.EqualTo(Values(siamese.Predict([a, b], verbose: 0)[0])));
        // The same input on both sides gives equal features (one layer): the score is the bias alone.
        var bias = Values(loaded.GetLayer("score").Weights[1])[0];
        Assert.That(Values(loaded.Predict([a, a], verbose: 0)[0]), Is.All.EqualTo(bias).Within(1e-6));
        var y = randn(5, 1, generator: new Generator(3));
        AssertTrainsOnIdentically(m => m.Fit([a, b], [y], batchSize: 5, epochs: 3, verbose: 0), siamese, loaded);
    }

    private static Model Encoder(string name = "encoder")
    {
        var inputs = new Input(shape: [4], name: "features");
        var x = new Dense(8, activation: "relu", name: "hidden").Apply(inputs);
        return new Model(inputs, new BatchNormalization(name: "norm").Apply(x), name: name);
    }

    [Test]
    public void FunctionalModel_InsideASequentialModel_LoadsNested_AndTrainsOnIdentically()
    {
        var encoder = Encoder();
        encoder.GetLayer("hidden").Trainable = false;
        var classifier = new SequentialModel(encoder, new Dense(3, name: "head"));
        classifier.Compile(optimizer: "adam", loss: new SparseCategoricalCrossentropy(fromLogits: true), metrics: ["accuracy"], device: "cpu");
        var (x, y) = Blobs(24);
        classifier.Fit(x, y, batchSize: 8, epochs: 1, verbose: 0);

        var loaded = SequentialModel.Load(Save(classifier));

        var inner = (Model)loaded.Layers[0];
        Assert.That((inner.TypeName, inner.Name, inner.Layers.Select(l => l.Name)), Is.EqualTo(("Functional", "encoder", new[] { "hidden", "norm" })));
        Assert.That(inner.GetLayer("hidden").Trainable, Is.False, "the nested model's frozen layer stays frozen");
        Assert.That(loaded.Summary(), Is.EqualTo(classifier.Summary()));
        Assert.That(Values(loaded.Predict(x, verbose: 0)), Is.EqualTo(Values(classifier.Predict(x, verbose: 0))));
        AssertTrainsOnIdentically(m => m.Fit(x, y, batchSize: 8, epochs: 2, verbose: 0), classifier, loaded);
    }

    private string Save(Model model)
    {
        string path = PathOf($"{model.Name}.seqmodel");
        model.Save(path);
        return path;
    }

    [Test]
    public void SequentialModel_AppliedTwiceInAGraph_LoadsSharingItsWeights_AndTrainsOnIdentically()
    {
        var tower = new SequentialModel([new Dense(5, activation: "relu"), new Dense(3)], name: "tower");
        var a = new Input(shape: [4], name: "a");
        var b = new Input(shape: [4], name: "b");
        var joined = new Concatenate().Apply(tower.Apply(a), tower.Apply(b));
        var model = new Model([a, b], new Dense(1, name: "out").Apply(joined), name: "two_towers");
        model.Compile(optimizer: "adam", loss: "mse", device: "cpu");

        var loaded = Model.Load(Save(model));

        var loadedTower = (SequentialModel)loaded.GetLayer("tower");
        Assert.That(loadedTower.Layers.Select(l => l.Name), Is.EqualTo(new[] { "dense", "dense_1" }));
        Assert.That(loaded.CountParams(), Is.EqualTo(model.CountParams()).And.EqualTo(4 * 5 + 5 + 5 * 3 + 3 + 6 + 1));
        var xa = randn(6, 4, generator: new Generator(4));
        var xb = randn(6, 4, generator: new Generator(5));
        var y = randn(6, 1, generator: new Generator(6));
        Assert.That(Values(loaded.Predict([xa, xb], verbose: 0)[0]), Is.EqualTo(Values(model.Predict([xa, xb], verbose: 0)[0])));
        AssertTrainsOnIdentically(m => m.Fit([xa, xb], [y], batchSize: 3, epochs: 2, verbose: 0), model, loaded);
        // Trained through both calls, the tower's weights are still one set.
        Assert.That(loaded.CountParams(), Is.EqualTo(model.CountParams()));
    }

    [Test]
    public void FunctionalModel_AppliedTwiceInAGraph_ThreeLevelsDeep_Loads()
    {
        // functional (outer) > functional "encoder" applied twice > SequentialModel "inner" inside the encoder.
        var inner = new SequentialModel([new Dense(6, activation: "relu", name: "d1")], name: "inner");
        var features = new Input(shape: [4], name: "features");
        var encoder = new Model(features, new Dense(2, name: "proj").Apply(inner.Apply(features)), name: "encoder");
        var a = new Input(shape: [4], name: "a");
        var b = new Input(shape: [4], name: "b");
        var model = new Model([a, b], new Subtract().Apply(encoder.Apply(a), encoder.Apply(b)), name: "outer");

        var loaded = SaveAndLoad(model);

        var loadedEncoder = (Model)loaded.GetLayer("encoder");
        Assert.That(((Model)loadedEncoder.GetLayer("inner")).Layers.Select(l => l.Name), Is.EqualTo(new[] { "d1" }));
        Assert.That(loaded.state_dict().Keys, Is.EqualTo(model.state_dict().Keys));
        var xa = randn(3, 4, generator: new Generator(7));
        var xb = randn(3, 4, generator: new Generator(8));
        Assert.That(Values(loaded.Predict([xa, xb], verbose: 0)[0]), Is.EqualTo(Values(model.Predict([xa, xb], verbose: 0)[0])));
        Assert.That(Values(loaded.Predict([xa, xa], verbose: 0)[0]), Is.All.EqualTo(0f), "one encoder on both sides");
    }

    /// <summary>A registered subclass used as a layer.</summary>
    public sealed class Scaled : Model
    {
        private readonly Dense _dense;

        /// <summary>Creates it.</summary>
        public Scaled(int units = 3, double factor = 2.0, string? name = null) : base(name)
        {
            (Units, Factor) = (units, factor);
            _dense = new Dense(units, name: "inside");
        }

        /// <summary>The width.</summary>
        public int Units { get; }

        /// <summary>The factor applied to the output.</summary>
        public double Factor { get; }

        /// <inheritdoc/>
        public override Tensor Call(Tensor x, bool training) => _dense.Apply(x, training) * Factor;
    }

    [Test]
    public void RegisteredSubclass_InsideASequentialModel_LoadsWithItsConfig()
    {
        ModelRegistry.Register<Scaled>();
        var model = new SequentialModel(new Dense(4, inputShape: [2]), new Scaled(units: 5, factor: 0.5, name: "scaled"), new Dense(1));

        var loaded = (SequentialModel)SaveAndLoad(model);

        var scaled = (Scaled)loaded.Layers[1];
        Assert.That((scaled.Units, scaled.Factor, scaled.Name), Is.EqualTo((5, 0.5, "scaled")));
        var x = randn(4, 2, generator: new Generator(9));
        Assert.That(Values(loaded.Predict(x, verbose: 0)), Is.EqualTo(Values(model.Predict(x, verbose: 0))));
    }

    /// <summary>An unregistered subclass: its layers live in code that a file cannot name.</summary>
    private sealed class Hidden : Model
    {
        private readonly Dense _dense = new(2);

        public override Tensor Call(Tensor x, bool training) => _dense.Apply(x, training);
    }

    [Test]
    public void UnregisteredSubclass_InsideAGraph_IsRefusedBeforeWriting_WithTheFix()
    {
        var inputs = new Input(shape: [3]);
        var model = new Model(inputs, new Hidden().Apply(inputs));

        var e = Assert.Throws<NotSupportedException>(() => model.Save(PathOf("m.seqmodel")))!;

        Assert.That(e.Message, Does.Contain("Hidden (\"hidden\") is not registered").And.Contain("ModelRegistry.Register<Hidden>()")
            .And.Contain("SaveWeights"));
        Assert.That(Directory.EnumerateFileSystemEntries(_folder), Is.Empty);
    }

    [Test]
    public void AnonymousLambda_InANestedModel_IsRefusedBeforeWriting_WithTheFix()
    {
        var inner = new SequentialModel([new Lambda(x => x * 2, name: "double")], name: "inner");
        var inputs = new Input(shape: [3]);
        var model = new Model(inputs, new Dense(1).Apply(inner.Apply(inputs)));

        var e = Assert.Throws<InvalidOperationException>(() => model.Save(PathOf("m.seqmodel")))!;

        Assert.That(e.Message, Does.Contain("Layer \"double\" (Lambda) wraps an anonymous C# function").And.Contain("Lambda.Register("));
        Assert.That(Directory.EnumerateFileSystemEntries(_folder), Is.Empty);
    }

    [Test]
    public void ALayerUsedInANestedModelAndAroundIt_IsRefused_AsItWouldLoseItsSharing()
    {
        var shared = new Dense(4, name: "shared");
        var features = new Input(shape: [4], name: "features");
        var encoder = new Model(features, shared.Apply(features), name: "encoder");
        var inputs = new Input(shape: [4], name: "x");
        var model = new Model(inputs, new Add().Apply(encoder.Apply(inputs), shared.Apply(inputs)), name: "outer");

        var e = Assert.Throws<NotSupportedException>(() => model.Save(PathOf("m.seqmodel")))!;

        Assert.That(e.Message, Does.Contain("Layer \"shared\" is used by model \"outer\" and by model \"encoder\"").And.Contain("SaveWeights"));
        Assert.That(Directory.EnumerateFileSystemEntries(_folder), Is.Empty);
    }

    [Test]
    public void AnInputAndALayerWithOneName_AreRefused_NamingIt()
    {
        var inputs = new Input(shape: [2], name: "dense");
        var model = new Model(inputs, new Dense(1, name: "dense").Apply(inputs));

        var e = Assert.Throws<NotSupportedException>(() => model.Save(PathOf("m.seqmodel")))!;

        Assert.That(e.Message, Does.Contain("has an Input and a layer both named \"dense\""));
        Assert.That(Directory.EnumerateFileSystemEntries(_folder), Is.Empty);
    }

    [Test]
    public void IntegerInput_KeepsItsDtype()
    {
        Lambda.Register("to_float", x => x.to_type(ScalarType.Float32));
        var ids = new Input(shape: [3], name: "ids", dtype: ScalarType.Int64);
        var model = new Model(ids, new Dense(2).Apply(new Lambda("to_float", name: "to_float").Apply(ids)));

        var loaded = SaveAndLoad(model);

        Assert.That(((Input)loaded.Inputs[0]).Dtype, Is.EqualTo(ScalarType.Int64));
        var x = tensor(new long[] { 1, 2, 3, 4, 5, 6 }).reshape(2, 3);
        Assert.That(Values(loaded.Predict(x, verbose: 0)), Is.EqualTo(Values(model.Predict(x, verbose: 0))));
    }

    /// <summary>Keras's CustomModel(inputs, outputs): a graph with its own training step.</summary>
    public sealed class GraphWithStep(SymbolicTensor inputs, SymbolicTensor outputs, string? name = null) : Model(inputs, outputs, name)
    {
        /// <summary>How many times the step ran.</summary>
        public int Steps { get; private set; }

        /// <inheritdoc/>
        public override IReadOnlyDictionary<string, double> TrainStep(Batch batch)
        {
            Steps++;
            return base.TrainStep(batch);
        }
    }

    [Test]
    public void RegisteredSubclassMadeFromAGraph_IsSavedAsItsGraph_AndLoadsThroughItsConstructor()
    {
        ModelRegistry.Register<GraphWithStep>();
        var inputs = new Input(shape: [4], name: "x");
        var model = new GraphWithStep(inputs, new Dense(1, name: "y").Apply(new Dense(5, activation: "relu").Apply(inputs)), name: "custom");
        model.Compile(optimizer: "adam", loss: "mse", metrics: ["mae"], device: "cpu");
        var x = randn(12, 4, generator: new Generator(10));
        var y = randn(12, 1, generator: new Generator(11));
        model.Fit(x, y, batchSize: 4, epochs: 1, verbose: 0);
        string path = Save(model);

        var loaded = (GraphWithStep)Model.Load(path);

        var json = SavedModelJson(path);
        Assert.That(((string?)json["class_name"], json["layers"]!.AsArray().Count), Is.EqualTo(("GraphWithStep", 3)), "saved as its graph");
        Assert.That((loaded.Name, loaded.IsFunctional, loaded.Summary()), Is.EqualTo(("custom", true, model.Summary())));
        Assert.That(Values(loaded.Predict(x, verbose: 0)), Is.EqualTo(Values(model.Predict(x, verbose: 0))));
        AssertTrainsOnIdentically(m => m.Fit(x, y, batchSize: 4, epochs: 2, verbose: 0), model, loaded);
        Assert.That(loaded.Steps, Is.EqualTo(6), "the loaded model trains with its own step");
    }

    /// <summary>A subclass made from a graph that it builds itself: no constructor takes inputs and outputs.</summary>
    public sealed class BuildsItsOwnGraph : Model
    {
        /// <summary>Creates it.</summary>
        public BuildsItsOwnGraph(int units = 2) : this(Graph(units)) { }

        private BuildsItsOwnGraph((SymbolicTensor Inputs, SymbolicTensor Outputs) graph) : base(graph.Inputs, graph.Outputs) { }

        private static (SymbolicTensor, SymbolicTensor) Graph(int units)
        {
            var inputs = new Input(shape: [3]);
            return (inputs, new Dense(units).Apply(inputs));
        }
    }

    /// <summary>An unregistered subclass made from a graph.</summary>
    private sealed class Unlisted(SymbolicTensor inputs, SymbolicTensor outputs) : Model(inputs, outputs);

    [Test]
    public void SubclassesMadeFromAGraph_ThatLoadCouldNotCreate_AreRefusedBeforeWriting_WithTheFix()
    {
        var inputs = new Input(shape: [3]);
        var unlisted = Assert.Throws<NotSupportedException>(() => new Unlisted(inputs, new Dense(1).Apply(inputs)).Save(PathOf("a.seqmodel")))!;
        Assert.That(unlisted.Message, Does.Contain("ModelRegistry.Register<Unlisted>()").And.Contain("created again by its constructor"));

        ModelRegistry.Register<BuildsItsOwnGraph>();
        var own = Assert.Throws<NotSupportedException>(() => new BuildsItsOwnGraph().Save(PathOf("b.seqmodel")))!;
        Assert.That(own.Message, Does.Contain("calling a public constructor of BuildsItsOwnGraph with the graph's inputs and outputs: " +
                                              "(SymbolicTensor inputs, SymbolicTensor outputs), optionally followed by string? name"));
        Assert.That(Directory.EnumerateFileSystemEntries(_folder), Is.Empty);
    }
}
