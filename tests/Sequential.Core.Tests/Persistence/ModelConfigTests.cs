using System.Text.Json.Nodes;
using Sequential.Layers;
using Sequential.Persistence;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Persistence;

/// <summary>
/// The graph section of model files: what Save writes (Keras 3's functional config), and hostile or corrupted graph
/// sections, which Load rejects with an InvalidDataException naming the file and the node.
/// </summary>
public class ModelConfigTests
{
    private string _dir = "";

    [SetUp]
    public void CreateFolder() => _dir = TestModels.TempDir();

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    /// <summary>Inputs a and b, a Dense "shared" applied to each, their sum, a Dense "out": layers a, b, shared, add, out.</summary>
    private static Model Graph(Layer? shared = null)
    {
        var a = new Input(shape: [4], name: "a");
        var b = new Input(shape: [4], name: "b");
        shared ??= new Dense(3, name: "shared");
        var sum = new Add(name: "add").Apply(shared.Apply(a), shared.Apply(b));
        return new Model([a, b], new Dense(2, name: "out").Apply(sum), name: "graph");
    }

    private string Saved(Model? model = null)
    {
        string path = PathOf("graph.seqmodel");
        (model ?? Graph()).Save(path);
        return path;
    }

    private static JsonNode Tensor(string layer, int node, params long[] shape) => new JsonObject
    {
        ["class_name"] = "__keras_tensor__",
        ["config"] = new JsonObject
        {
            ["shape"] = new JsonArray([null, .. shape.Select(d => (JsonNode)d)]),
            ["keras_history"] = new JsonArray(layer, node, 0),
        },
    };

    [Test]
    public void Save_WritesKeras3sFunctionalConfig()
    {
        string path = Saved();

        var model = JsonNode.Parse(ModelFileEdits.ReadEntry(path, "config.json"))!["model"]!;

        Assert.That(model["class_name"]!.GetValue<string>(), Is.EqualTo("Functional"));
        Assert.That(model["layers"]!.AsArray().Select(l => (string)l!["name"]!), Is.EqualTo(new[] { "a", "b", "shared", "add", "out" }));
        Assert.That(model["layers"]![0]!.ToJsonString(), Is.EqualTo(
            """{"class_name":"InputLayer","name":"a","config":{"batch_shape":[null,4],"dtype":"float32","name":"a"},"inbound_nodes":[]}"""));
        Assert.That(model["layers"]![2]!["inbound_nodes"]!.ToJsonString(), Is.EqualTo(new JsonArray(
            new JsonObject { ["args"] = new JsonArray(Tensor("a", 0, 4)), ["kwargs"] = new JsonObject() },
            new JsonObject { ["args"] = new JsonArray(Tensor("b", 0, 4)), ["kwargs"] = new JsonObject() }).ToJsonString()));
        Assert.That(model["layers"]![3]!["inbound_nodes"]![0]!["args"]!.ToJsonString(), Is.EqualTo(
            new JsonArray(new JsonArray(Tensor("shared", 0, 3), Tensor("shared", 1, 3))).ToJsonString()), "a merge layer takes one list");
        Assert.That(model["layers"]![4]!["config"]!["units"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(model["input_layers"]!.ToJsonString(), Is.EqualTo("""[["a",0,0],["b",0,0]]"""));
        Assert.That(model["output_layers"]!.ToJsonString(), Is.EqualTo("""[["out",0,0]]"""));
        var manifest = JsonNode.Parse(ModelFileEdits.ReadEntry(path, "manifest.json"))!;
        Assert.That(manifest["format_version"]!.GetValue<int>(), Is.EqualTo(2));
    }

    [Test]
    public void Save_NumbersOnlyTheCallsOfThisGraph_AsKerasReindexesNodes()
    {
        // The layer's first call belongs to another graph: in this model's file its calls are nodes 0 and 1.
        var shared = new Dense(3, name: "shared");
        shared.Apply(new Input(shape: [4], name: "elsewhere"));
        var model = Graph(shared);
        string path = Saved(model);

        var add = JsonNode.Parse(ModelFileEdits.ReadEntry(path, "config.json"))!["model"]!["layers"]![3]!;

        Assert.That(add["inbound_nodes"]![0]!["args"]![0]!.AsArray().Select(t => t!["config"]!["keras_history"]!.ToJsonString()),
            Is.EqualTo(new[] { """["shared",0,0]""", """["shared",1,0]""" }));
        var loaded = Model.Load(path);
        var x = randn(3, 4, generator: new Generator(1));
        Assert.That(TestModels.Flat(loaded.Predict([x, x], verbose: 0)[0]), Is.EqualTo(TestModels.Flat(model.Predict([x, x], verbose: 0)[0])));
    }

    private InvalidDataException LoadFails(Action<JsonObject> edit)
    {
        string path = Saved();
        ModelFileEdits.RewriteJson(path, "config.json", c => edit(c["model"]!.AsObject()));
        var e = Assert.Throws<InvalidDataException>(() => Model.Load(path))!;
        Assert.That(e.Message, Does.Contain(path));
        return e;
    }

    private static JsonNode History(JsonObject model, int layer, int node = 0, int input = 0)
    {
        var argument = model["layers"]![layer]!["inbound_nodes"]![node]!["args"]![0]!;
        return (argument is JsonArray list ? list[input]! : argument)["config"]!["keras_history"]!;
    }

    [Test]
    public void AnInboundNodeNamingAnUnknownLayer_IsRejected_NamingTheCall()
    {
        var e = LoadFails(m => History(m, 4)[0] = "nowhere");
        Assert.That(e.Message, Does.Contain("call 0 of layer \"out\" of model \"graph\" takes an output of layer \"nowhere\", " +
                                            "but model \"graph\" has no layer of that name"));
    }

    [TestCase(7)]
    [TestCase(-1)]
    public void ANodeIndexOutOfRange_IsRejected(int index)
    {
        var e = LoadFails(m => History(m, 4)[1] = index);
        Assert.That(e.Message, Does.Contain($"call 0 of layer \"out\" of model \"graph\" takes the output of call {index} of layer \"add\", " +
                                            "but model \"graph\" calls it 1 time(s) (node indices 0 to 0)"));
    }

    [Test]
    public void ATensorIndexBeyondTheCallsOutputs_IsRejected()
    {
        var e = LoadFails(m => History(m, 4)[2] = 1);
        Assert.That(e.Message, Does.Contain("model \"graph\" takes output 1 of call 0 of layer \"add\", but that call returns 1 output(s) " +
                                            "(indices 0 to 0)"));
        var input = LoadFails(m => History(m, 2)[2] = 2);
        Assert.That(input.Message, Does.Contain("takes output 2 of Input \"a\", which has one output (index 0)"));
        var negative = LoadFails(m => History(m, 4)[2] = -1);
        Assert.That(negative.Message, Does.Contain("takes output -1 of layer \"add\"; an output index is 0 or more"));
    }

    [Test]
    public void ACycle_IsRejected_NamingACallThatCanNeverRun()
    {
        // add takes out's output, and out takes add's.
        var e = LoadFails(m =>
        {
            History(m, 3, input: 0)[0] = "out";
            m["layers"]![3]!["inbound_nodes"]![0]!["args"]![0]![0]!["config"]!["shape"] = new JsonArray(null, 2);
        });
        Assert.That(e.Message, Does.Contain("the graph of model \"graph\" has a cycle: call 0 of layer \"add\" takes, directly or through " +
                                            "other calls, its own output"));
    }

    [Test]
    public void ALayerTakingItsOwnOutput_IsACycle()
    {
        var e = LoadFails(m => History(m, 4)[0] = "out");
        Assert.That(e.Message, Does.Contain("has a cycle: call 0 of layer \"out\""));
    }

    [Test]
    [SetCulture("de-DE")] // the limit is written the same way whatever the culture
    public void MoreCallsThanTheLimit_AreRejectedBeforeAnyLayerIsMade()
    {
        var e = LoadFails(m =>
        {
            var nodes = m["layers"]![2]!["inbound_nodes"]!.AsArray();
            for (int i = 0; i < ModelConfig.MaxNodes; i++) nodes.Add(nodes[0]!.DeepClone());
        });
        Assert.That(e.Message, Does.Contain("layer \"shared\" of model \"graph\" brings the layer calls the file describes to more than 20,000"));
    }

    [Test]
    public void ModelsNestedDeeperThanTheLimit_AreRejected()
    {
        var e = LoadFails(m =>
        {
            JsonObject level = new() { ["class_name"] = "Dense", ["config"] = new JsonObject { ["units"] = 1 } };
            for (int i = 0; i < ModelConfig.MaxNestingDepth; i++)
                level = new JsonObject { ["class_name"] = "Sequential", ["config"] = new JsonObject { ["name"] = $"s{i}", ["layers"] = new JsonArray(level) } };
            m.Clear();
            m["class_name"] = "Sequential";
            m["name"] = "top";
            m["layers"] = new JsonArray(level);
        });
        Assert.That(e.Message, Does.Contain("nests models more than 16 deep"));
    }

    [Test]
    public void ARecordedShapeThatDiffersFromTheGraphs_IsRejected()
    {
        var e = LoadFails(m => m["layers"]![4]!["inbound_nodes"]![0]!["args"]![0]!["config"]!["shape"] = new JsonArray(null, 5));
        Assert.That(e.Message, Does.Contain("call 0 of layer \"out\" of model \"graph\" records input 0 (add[0]) with shape (None, 5), " +
                                            "but that tensor has shape (None, 3)"));
    }

    [Test]
    public void ALayerWithoutCallsThatIsNotAnInput_IsRejected()
    {
        var e = LoadFails(m => m["layers"]![3]!["inbound_nodes"] = new JsonArray());
        Assert.That(e.Message, Does.Contain("layer \"add\" of model \"graph\" has no inbound nodes, so it must be an InputLayer with a config, " +
                                            "but it is a Add"));
    }

    [Test]
    public void TwoLayersWithOneName_AreRejected()
    {
        var e = LoadFails(m => m["layers"]![3]!["name"] = "shared");
        Assert.That(e.Message, Does.Contain("model \"graph\" names two layers \"shared\""));
    }

    [Test]
    public void ALayerThatLeadsToNoOutput_IsRejected()
    {
        var e = LoadFails(m => m["layers"]!.AsArray().Add(new JsonObject
        {
            ["class_name"] = "Dropout",
            ["name"] = "extra",
            ["config"] = new JsonObject { ["rate"] = 0.5, ["name"] = "extra" },
            ["inbound_nodes"] = new JsonArray(new JsonObject { ["args"] = new JsonArray(Tensor("a", 0, 4)) }),
        }));
        Assert.That(e.Message, Does.Contain("layer \"extra\" of model \"graph\" does not lead to any of its outputs"));
    }

    [Test]
    public void InputLayersNamingALayer_AreRejected()
    {
        var e = LoadFails(m => m["input_layers"]![0] = new JsonArray("shared", 0, 0));
        Assert.That(e.Message, Does.Contain("input_layers of model \"graph\" lists \"shared\", which is a layer, not an Input"));
    }

    [Test]
    public void InputLayersMissingAnInputTheOutputsNeed_AreRejected()
    {
        var e = LoadFails(m => m["input_layers"]!.AsArray().RemoveAt(1));
        Assert.That(e.Message, Does.Contain("the graph of model \"graph\" does not make a model").And.Contain("depends on Input \"b\""));
    }

    [TestCase("[null, -1]", "records the input shape [-1]")]
    [TestCase("[4]", "the batch_shape of Input \"a\" of model \"graph\" is [4], not a batch shape [null, size, ...]")]
    [TestCase("\"wide\"", "is \"wide\", not a batch shape")]
    public void ABadBatchShape_IsRejected(string shape, string message)
    {
        var e = LoadFails(m => m["layers"]![0]!["config"]!["batch_shape"] = JsonNode.Parse(shape));
        Assert.That(e.Message, Does.Contain(message));
    }

    [Test]
    public void AnUnknownInputDtype_IsRejected()
    {
        var e = LoadFails(m => m["layers"]![0]!["config"]!["dtype"] = "complex128");
        Assert.That(e.Message, Does.Contain("Input \"a\" of model \"graph\" has dtype \"complex128\"; Sequential reads float32, float64"));
    }

    [TestCase("""{"args": []}""")]
    [TestCase("""{"args": [[]]}""")]
    [TestCase("""{"kwargs": {}}""")]
    [TestCase("7")]
    public void AMalformedCall_IsRejected(string call)
    {
        var e = LoadFails(m => m["layers"]![4]!["inbound_nodes"]![0] = JsonNode.Parse(call));
        Assert.That(e.Message, Does.Contain("call 0 of layer \"out\" of model \"graph\" is").And.Contain("not {\"args\": [input]}"));
    }

    [Test]
    public void AMalformedKerasHistory_IsRejected()
    {
        var e = LoadFails(m => m["layers"]![4]!["inbound_nodes"]![0]!["args"]![0]!["config"]!["keras_history"] = new JsonArray("add", 0));
        Assert.That(e.Message, Does.Contain("call 0 of layer \"out\" of model \"graph\" refers to [\"add\",0], not [layer name, node index, tensor index]"));
    }

    [Test]
    public void AHugeLayerInANestedModel_IsRefusedByTheLoadBudget_BeforeAllocating()
    {
        var inner = new SequentialModel([new Dense(4, name: "wide")], name: "inner");
        var inputs = new Input(shape: [4], name: "x");
        string path = Saved(new Model(inputs, inner.Apply(inputs), name: "graph"));
        ModelFileEdits.RewriteJson(path, "config.json",
            c => c["model"]!["layers"]![1]!["config"]!["layers"]![0]!["config"]!["units"] = 300_000_000);

        var e = Assert.Throws<InvalidDataException>(() => Model.Load(path))!;

        Assert.That(e.Message, Does.Contain(path).And.Contain("layer \"wide\" (Dense) would create \"kernel\" with shape (300000000, 4)"));
    }

    [Test]
    public void ANestedModelWithoutItsConfig_IsRejected()
    {
        var inner = new SequentialModel([new Dense(4)], name: "inner");
        var inputs = new Input(shape: [4], name: "x");
        string path = Saved(new Model(inputs, inner.Apply(inputs), name: "graph"));
        ModelFileEdits.RewriteJson(path, "config.json", c => c["model"]!["layers"]![1]!.AsObject().Remove("config"));

        var e = Assert.Throws<InvalidDataException>(() => Model.Load(path))!;

        Assert.That(e.Message, Does.Contain(path).And.Contain("layer \"inner\" of model \"graph\" is a Sequential model without a config object"));
    }

    [Test]
    public void AGraphUnderAnUnregisteredClassName_IsRejected_WithTheFix()
    {
        var e = LoadFails(m => m["class_name"] = "Stranger");
        Assert.That(e.Message, Does.Contain("the graph of model \"graph\" does not make a model: Unknown model class 'Stranger'. " +
                                            "If it is your own model, call Sequential.ModelRegistry.Register<Stranger>() before loading."));
    }

    /// <summary>A registered subclass whose layers come from its code: it has no constructor taking a graph.</summary>
    public sealed class CodeOnly : Model
    {
        private readonly Dense _dense = new(1);

        /// <inheritdoc/>
        public override Tensor Call(Tensor x, bool training) => _dense.Apply(x, training);
    }

    [Test]
    public void AGraphUnderAClassWithoutAGraphConstructor_IsRejected()
    {
        ModelRegistry.Register<CodeOnly>();
        var e = LoadFails(m => m["class_name"] = nameof(CodeOnly));
        Assert.That(e.Message, Does.Contain("CodeOnly has no public constructor taking 2 input(s) and 1 output(s)"));
    }

    [Test]
    public void ALongChainOfCalls_SavesAndLoadsWithoutExhaustingTheStack()
    {
        // 19,000 calls of one layer in a chain: building the graph walked it recursively, which a file could make overflow
        // the stack (the process dies); graphs are now walked with an explicit stack.
        var inputs = new Input(shape: [2], name: "x");
        var step = new Identity(name: "step");
        SymbolicTensor x = inputs;
        for (int i = 0; i < 19_000; i++) x = step.Apply(x);
        var model = new Model(inputs, new Dense(1, name: "out").Apply(x), name: "chain");
        string path = Saved(model);

        var loaded = Model.Load(path);

        Assert.That(loaded.Layers.Select(l => l.Name), Is.EqualTo(new[] { "step", "out" }));
        var data = randn(2, 2, generator: new Generator(3));
        Assert.That(TestModels.Flat(loaded.Predict(data, verbose: 0)), Is.EqualTo(TestModels.Flat(model.Predict(data, verbose: 0))));
    }

    [Test]
    public void Save_OfAModelLargerThanLoadReads_IsRefusedBeforeWriting()
    {
        var inputs = new Input(shape: [2]);
        var step = new Identity(name: "step");
        SymbolicTensor x = inputs;
        for (int i = 0; i < ModelConfig.MaxNodes; i++) x = step.Apply(x);
        var calls = Assert.Throws<NotSupportedException>(() => new Model(inputs, x, name: "long").Save(PathOf("long.seqmodel")))!;
        Assert.That(calls.Message, Does.Contain("Model \"long\" has more than 20,000 layer calls"));

        Layer nested = new Dense(1);
        for (int i = 0; i <= ModelConfig.MaxNestingDepth; i++) nested = new SequentialModel([nested], name: $"s{i}");
        ((Model)nested).Build([2]);
        var deep = Assert.Throws<NotSupportedException>(() => ((Model)nested).Save(PathOf("deep.seqmodel")))!;
        Assert.That(deep.Message, Does.Contain("Model \"s16\" nests models more than 16 deep (\"s0\" is at depth 17)"));
        Assert.That(Directory.EnumerateFileSystemEntries(_dir), Is.Empty);
    }
}
