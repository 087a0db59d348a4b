using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sequential.Layers;
using static TorchSharp.torch;

namespace Sequential.Persistence;

/// <summary>
/// The architecture section of a model file (<c>config.json</c>'s <c>model</c>), written and read: a SequentialModel's
/// layers, a functional model's graph (Keras 3's functional config: <c>layers</c> with their <c>inbound_nodes</c>,
/// <c>input_layers</c>, <c>output_layers</c>), a registered subclass's configuration, and models nested in any of them.
/// See docs/file-format.md.
/// </summary>
/// <remarks>
/// A model is described by its class name and its fields. At the top of the file they are one object,
/// <c>{"class_name": "Functional", "name": ..., "layers": ...}</c>; a model used as a layer is an entry like any layer's,
/// <c>{"class_name": "Functional", "config": {"name": ..., "layers": ...}, "trainable": ...}</c>.
/// </remarks>
internal static class ModelConfig
{
    /// <summary>How deep models may nest in a file (a model in a model is depth 2).</summary>
    public const int MaxNestingDepth = 16;

    /// <summary>How many layer calls (graph nodes, Inputs and SequentialModel layers) one file may describe in all.</summary>
    public const int MaxNodes = 20_000;

    private const string Sequential = "Sequential";
    private const string Functional = "Functional";
    private const string InputLayerClass = "InputLayer";
    private const string KerasTensor = "__keras_tensor__";

    // ---------------------------------------------------------------- writing

    /// <summary>The top-level <c>model</c> object: the class name, then the model's fields.</summary>
    /// <exception cref="NotSupportedException">The model, or a model inside it, cannot be described (an unregistered
    /// subclass); the message names it and the fix.</exception>
    public static JsonObject ToJson(Model model)
    {
        var (className, fields) = Describe(model);
        return new JsonObject([KeyValuePair.Create<string, JsonNode?>("class_name", className), .. fields]);
    }

    private static (string ClassName, List<KeyValuePair<string, JsonNode?>> Fields) Describe(Model model)
    {
        if (model is SequentialModel sequential)
            return (Sequential,
            [
                new("name", sequential.Name),
                new("input_shape", Shape(sequential.BuiltInputShape)),
                new("layers", new JsonArray([.. sequential.Layers.Select(l => (JsonNode)Entry(l))])),
            ]);
        if (IsPlainFunctional(model)) return (Functional, FunctionalFields(model));
        CheckDescribable(model);
        // A registered subclass made from a graph (Keras's CustomModel(inputs, outputs)) is saved as its graph, as Keras
        // saves a class with a functional-like constructor; other subclasses as their configuration.
        return (model.GetType().Name, model.IsFunctional ? FunctionalFields(model) : SubclassFields(model));
    }

    /// <summary>A model made with <c>new Model(inputs, outputs)</c>, whose graph is its whole description.</summary>
    private static bool IsPlainFunctional(Model model) => model.IsFunctional && model.GetType() == typeof(Model);

    /// <summary>Refuses, naming the fix, a model that the file cannot describe; Save calls it before writing anything.</summary>
    /// <exception cref="NotSupportedException">An unregistered subclass, or a subclass made from a graph whose class has no
    /// public constructor taking the graph's inputs and outputs.</exception>
    public static void CheckDescribable(Model model)
    {
        if (model is SequentialModel || IsPlainFunctional(model)) return;
        string type = model.GetType().Name;
        if (!ModelRegistry.IsRegistered(model.GetType()))
            throw new NotSupportedException(model.IsFunctional
                ? $"Save writes a subclass of Model made from a graph when its class is registered with ModelRegistry.Register<{type}>() " +
                  $"(saved as its graph, and created again by its constructor taking the inputs and outputs). {type} (\"{model.Name}\") is " +
                  "not registered: register it before saving and loading, or use SaveWeights to save its weights."
                : $"Save writes a SequentialModel, a functional Model, or a model class registered with ModelRegistry.Register<{type}>() " +
                  $"(saved as its configuration, GetConfig(), and weights; its layers come from its code). {type} (\"{model.Name}\") is not " +
                  "registered: register it before saving and loading, or use SaveWeights to save its weights.");
        if (model.IsFunctional && GraphConstructor(model.GetType(), model.Inputs.Count, model.Outputs.Count) is null)
            throw new NotSupportedException(
                $"Model \"{model.Name}\" is a {type} made from a graph, which Load creates again by calling a public constructor of {type} " +
                $"with the graph's inputs and outputs: ({(model.Inputs.Count == 1 ? "SymbolicTensor" : "IReadOnlyList<SymbolicTensor>")} inputs, " +
                $"{(model.Outputs.Count == 1 ? "SymbolicTensor" : "IReadOnlyList<SymbolicTensor>")} outputs), optionally followed by string? name " +
                "and parameters with defaults. Add one, or use SaveWeights(path) and rebuild the model in code before LoadWeights(path).");
    }

    /// <summary>
    /// The public constructor through which Load creates a registered subclass made from a graph (Keras calls
    /// <c>cls(inputs=..., outputs=..., name=...)</c>): its first two parameters take the inputs and the outputs (one
    /// <see cref="SymbolicTensor"/> where the graph has one, or a list), an optional third is the string <c>name</c>, and any
    /// others have defaults. Null when there is none.
    /// </summary>
    internal static System.Reflection.ConstructorInfo? GraphConstructor(Type type, int inputs, int outputs) =>
        type.GetConstructors().FirstOrDefault(c => c.GetParameters() is [var i, var o, .. var rest]
            && Takes(i.ParameterType, inputs) && Takes(o.ParameterType, outputs)
            && rest.Select((p, k) => k == 0 && p.ParameterType == typeof(string) && p.Name == "name" || p.HasDefaultValue).All(ok => ok));

    private static bool Takes(Type parameter, int count) =>
        parameter.IsAssignableFrom(typeof(SymbolicTensor)) && count == 1 || parameter.IsAssignableFrom(typeof(SymbolicTensor[]));

    private static Model CreateFromGraph(Type type, IReadOnlyList<SymbolicTensor> inputs, IReadOnlyList<SymbolicTensor> outputs, string name)
    {
        var constructor = GraphConstructor(type, inputs.Count, outputs.Count) ?? throw new InvalidDataException(
            $"{type.Name} has no public constructor taking {inputs.Count} input(s) and {outputs.Count} output(s), through which Load creates it " +
            "from its graph.");
        var parameters = constructor.GetParameters();
        var arguments = new object?[parameters.Length];
        arguments[0] = parameters[0].ParameterType.IsAssignableFrom(typeof(SymbolicTensor)) && inputs.Count == 1 ? inputs[0] : inputs.ToArray();
        arguments[1] = parameters[1].ParameterType.IsAssignableFrom(typeof(SymbolicTensor)) && outputs.Count == 1 ? outputs[0] : outputs.ToArray();
        for (int k = 2; k < parameters.Length; k++)
            arguments[k] = k == 2 && parameters[k].Name == "name" && parameters[k].ParameterType == typeof(string) ? name : parameters[k].DefaultValue;
        try
        {
            var model = (Model)constructor.Invoke(arguments);
            model.Name = name;
            return model;
        }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException is ArgumentException or InvalidOperationException)
        {
            throw new InvalidDataException($"{type.Name}'s constructor refused the graph: {e.InnerException.Message}", e.InnerException);
        }
    }

    /// <summary>
    /// Refuses a layer held by two models of the file (a layer applied in a nested model and in the model around it):
    /// the file describes each model's layers in its own entry, so Load would make two layers with separate weights.
    /// The layers of a registered subclass come from its code, which makes its own sharing again: they are not looked at.
    /// </summary>
    /// <exception cref="NotSupportedException">A layer with two owners; the message names it, both models and the way out.</exception>
    public static void CheckEachLayerHasOneOwner(Model top)
    {
        var owners = new Dictionary<Layer, Model>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<Model>([top]);
        while (pending.TryPop(out var model))
        {
            if (model is not SequentialModel && !model.IsFunctional) continue;
            foreach (var layer in model.Layers)
            {
                if (owners.TryAdd(layer, model))
                {
                    if (layer is Model inner) pending.Push(inner);
                }
                else if (!ReferenceEquals(owners[layer], model))
                {
                    throw new NotSupportedException(
                        $"Layer \"{layer.Name}\" is used by model \"{owners[layer].Name}\" and by model \"{model.Name}\", one inside the other; a " +
                        "model file holds each layer in one model, so Load would give the two uses separate weights. Apply the inner model " +
                        "instead of its layer, or use SaveWeights(path) and rebuild the models in code before LoadWeights(path).");
                }
            }
        }
    }

    /// <summary>
    /// Refuses a model that Load would refuse for its size: more than <see cref="MaxNodes"/> layer calls, counted as Load
    /// counts them, or models nested more than <see cref="MaxNestingDepth"/> deep. Save calls it before writing anything.
    /// </summary>
    /// <exception cref="NotSupportedException">The model exceeds a limit; the message names it and the way out.</exception>
    public static void CheckWithinLimits(Model top)
    {
        long calls = 0;
        Visit(top, 1);

        void Visit(Model model, int depth)
        {
            if (depth > MaxNestingDepth)
                throw new NotSupportedException(
                    $"Model \"{top.Name}\" nests models more than {MaxNestingDepth} deep (\"{model.Name}\" is at depth {depth}); Load reads " +
                    $"files nested at most {MaxNestingDepth} deep. Flatten the nesting, or use SaveWeights(path) and rebuild the model in code.");
            IReadOnlyList<Layer> layers;
            if (model is SequentialModel sequential)
            {
                layers = sequential.Layers;
                calls += layers.Count;
            }
            else if (model.Graph is { } graph)
            {
                layers = graph.Layers;
                calls += graph.Inputs.Count + graph.NodeOutputs.Count();
            }
            else
            {
                return; // a subclass's layers come from its code
            }
            if (calls > MaxNodes)
                throw new NotSupportedException(
                    $"Model \"{top.Name}\" has more than {MaxNodes.ToString("N0", CultureInfo.InvariantCulture)} layer calls (Inputs, graph " +
                    "nodes and the layers of SequentialModels, nested ones included), more than Load reads from a file. Use " +
                    "SaveWeights(path) and rebuild the model in code before LoadWeights(path).");
            foreach (var inner in layers.OfType<Model>()) Visit(inner, depth + 1);
        }
    }

    /// <summary>A registered subclass: its name, input shape and configuration; its layers come from its code.</summary>
    private static List<KeyValuePair<string, JsonNode?>> SubclassFields(Model model)
    {
        CheckDescribable(model);
        IReadOnlyDictionary<string, object?> config;
        try { config = model.GetConfig(); }
        catch (InvalidOperationException e) { throw new InvalidOperationException($"Model \"{model.Name}\" ({model.GetType().Name}): {e.Message}", e); }
        return
        [
            new("name", model.Name),
            new("input_shape", Shape(model.BuiltInputShape)),
            new("config", ModelFile.ConfigObject(config)),
        ];
    }

    /// <summary>
    /// A layer's entry: <c>class_name</c>, (in a graph) <c>name</c>, <c>config</c>, <c>trainable</c> and (in a graph)
    /// <c>inbound_nodes</c>. A model's <c>config</c> holds its fields.
    /// </summary>
    private static JsonObject Entry(Layer layer, JsonArray? inboundNodes = null)
    {
        string className;
        JsonObject config;
        if (layer is Model model)
        {
            var (name, fields) = Describe(model);
            (className, config) = (name, new JsonObject(fields));
        }
        else
        {
            IReadOnlyDictionary<string, object?> values;
            try { values = layer.GetConfig(); }
            catch (InvalidOperationException e) { throw new InvalidOperationException($"Layer \"{layer.Name}\": {e.Message}", e); }
            (className, config) = (layer.GetType().Name, ModelFile.ConfigObject(values));
        }
        var entry = new JsonObject { ["class_name"] = className };
        if (inboundNodes is not null) entry["name"] = layer.Name;
        entry["config"] = config;
        entry["trainable"] = layer.Trainable; // as Keras saves it: a frozen layer loads frozen, fitting the optimizer state
        if (layer is not Model && layer.DtypePolicy.Name != "float32") entry["dtype"] = layer.DtypePolicy.Name; // Keras's "dtype" policy
        if (inboundNodes is not null) entry["inbound_nodes"] = inboundNodes;
        return entry;
    }

    /// <summary>
    /// Keras 3's functional config: the Inputs as <c>InputLayer</c> entries, then each layer once with every call of it
    /// in this graph (a shared layer has several), each call's inputs as <c>[layer, node, 0]</c>. Node indices count the
    /// calls in this graph only (Keras's node re-indexing), so calls of a layer in other graphs do not shift them.
    /// </summary>
    private static List<KeyValuePair<string, JsonNode?>> FunctionalFields(Model model)
    {
        var graph = model.Graph!;
        var calls = graph.NodeOutputs.ToLookup(t => t.Layer!);
        var nodeIndex = new Dictionary<SymbolicTensor, int>(ReferenceEqualityComparer.Instance);
        foreach (var layer in graph.Layers)
        {
            int index = 0;
            foreach (var output in calls[layer].OrderBy(t => t.NodeIndex)) nodeIndex[output] = index++;
        }
        var layerNames = graph.Layers.Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
        if (graph.InputNames.FirstOrDefault(layerNames.Contains) is { } clash)
            throw new NotSupportedException(
                $"Model \"{model.Name}\" has an Input and a layer both named \"{clash}\"; the saved graph names each once. Give one of " +
                "them another name (new Input(shape, name: ...), or the layer's name argument).");

        var layers = new JsonArray();
        for (int i = 0; i < graph.Inputs.Count; i++)
        {
            var input = (Input)graph.Inputs[i];
            layers.Add(new JsonObject
            {
                ["class_name"] = InputLayerClass,
                ["name"] = graph.InputNames[i],
                ["config"] = new JsonObject
                {
                    ["batch_shape"] = BatchShape(input.Shape),
                    ["dtype"] = input.HoldsStrings ? StringDtype : DtypeName(input.Dtype, model, graph.InputNames[i]),
                    ["name"] = graph.InputNames[i],
                },
                ["inbound_nodes"] = new JsonArray(),
            });
        }
        foreach (var layer in graph.Layers)
            layers.Add(Entry(layer, new JsonArray([.. calls[layer].OrderBy(t => t.NodeIndex).Select(t => (JsonNode)Node(t))])));
        return
        [
            new("name", model.Name),
            new("trainable", model.Trainable),
            new("layers", layers),
            new("input_layers", new JsonArray([.. graph.Inputs.Select(t => (JsonNode)History(t))])),
            new("output_layers", new JsonArray([.. graph.Outputs.Select(t => (JsonNode)History(t))])),
        ];

        // Keras's keras_history: the layer (or Input) that made a tensor, which of its calls, which of its outputs.
        JsonArray History(SymbolicTensor t) =>
            t.Layer is null ? [graph.InputName(t), 0, 0] : [t.Layer.Name, nodeIndex[t.CallOutputs[0]], t.OutputIndex];

        // One call, as Keras serialises it: one tensor, or a list of them for a layer called on several (merge layers);
        // a recurrent layer's initial states go under the keyword Keras's call takes them by ("initial_state").
        JsonObject Node(SymbolicTensor output)
        {
            var inbound = output.InboundTensors;
            var kwargs = new JsonObject();
            if (output.Layer!.ExtraInputsArgument is { } keyword && inbound.Count > 1)
            {
                kwargs[keyword] = new JsonArray([.. inbound.Skip(1).Select(t => (JsonNode)Tensor(t))]);
                inbound = [inbound[0]];
            }
            foreach (var (option, value) in output.CallOptions ?? new Dictionary<string, object>())
                kwargs[option] = value switch
                {
                    bool b => JsonValue.Create(b),
                    long l => JsonValue.Create(l),
                    double d => JsonValue.Create(d),
                    _ => JsonValue.Create((string)value),
                };
            JsonNode argument = inbound.Count == 1 ? Tensor(inbound[0]) : new JsonArray([.. inbound.Select(t => (JsonNode)Tensor(t))]);
            return new JsonObject { ["args"] = new JsonArray(argument), ["kwargs"] = kwargs };
        }

        JsonObject Tensor(SymbolicTensor t) => new()
        {
            ["class_name"] = KerasTensor,
            ["config"] = new JsonObject { ["shape"] = BatchShape(t.Shape), ["keras_history"] = History(t) },
        };
    }

    private static JsonArray? Shape(IReadOnlyList<long>? shape) => shape is null ? null : new JsonArray([.. shape.Select(d => d == Shapes.None ? null : (JsonNode)d)]);

    // Keras's batch shape: null for the batch axis and for any axis of unknown size.
    private static JsonArray BatchShape(IReadOnlyList<long> shape) => new([null, .. shape.Select(d => d == Shapes.None ? null : (JsonNode)d)]);

    // Keras's dtype names for the dtypes an Input may have.
    private static readonly (ScalarType Type, string Name)[] Dtypes =
    [
        (ScalarType.Float32, "float32"), (ScalarType.Float64, "float64"), (ScalarType.Float16, "float16"),
        (ScalarType.BFloat16, "bfloat16"), (ScalarType.Int8, "int8"), (ScalarType.Int16, "int16"), (ScalarType.Int32, "int32"),
        (ScalarType.Int64, "int64"), (ScalarType.Byte, "uint8"), (ScalarType.Bool, "bool"),
    ];

    /// <summary>Keras's dtype of a string Input.</summary>
    private const string StringDtype = "string";

    private static string DtypeName(ScalarType dtype, Model model, string input) =>
        Dtypes.FirstOrDefault(d => d.Type == dtype).Name ?? throw new NotSupportedException(
            $"Input \"{input}\" of model \"{model.Name}\" has dtype {dtype}, which a model file cannot record; it records " +
            $"{string.Join(", ", Dtypes.Select(d => d.Name))}.");

    // ---------------------------------------------------------------- reading

    /// <summary>
    /// What one file's load has made so far: a count of layer calls against <see cref="MaxNodes"/>, and the objects not
    /// yet owned by a model, disposed when loading fails.
    /// </summary>
    /// <param name="path">The file, named by every error.</param>
    public sealed class Reader(string path) : IDisposable
    {
        private readonly HashSet<Layer> _unowned = new(ReferenceEqualityComparer.Instance);
        private int _nodes;

        /// <summary>The file.</summary>
        public string Path { get; } = path;

        /// <summary>Counts layer calls the file describes, before they are made.</summary>
        /// <exception cref="InvalidDataException">More than <see cref="MaxNodes"/> in all.</exception>
        public void Count(long calls, string where)
        {
            if (calls > MaxNodes - _nodes)
                throw new InvalidDataException(
                    $"'{Path}': {where} brings the layer calls the file describes to more than {MaxNodes.ToString("N0", CultureInfo.InvariantCulture)}, the most Sequential reads " +
                    "(a hostile file could otherwise make it create layers without end). The file is corrupted or hostile.");
            _nodes += (int)calls;
        }

        /// <summary>Records an object that loading made and nothing owns yet.</summary>
        public T Made<T>(T layer) where T : Layer
        {
            _unowned.Add(layer);
            return layer;
        }

        /// <summary>Records that <paramref name="owner"/> now holds <paramref name="parts"/> (its disposal disposes them).</summary>
        public void Owns(Model owner, IEnumerable<Layer> parts)
        {
            foreach (var part in parts) _unowned.Remove(part);
            _unowned.Add(owner);
        }

        /// <summary>The model the load returns: the caller owns it now.</summary>
        public void Release(Model model) => _unowned.Remove(model);

        /// <summary>Disposes whatever was made and not released (loading failed).</summary>
        public void Dispose()
        {
            foreach (var layer in _unowned) layer.Dispose();
            _unowned.Clear();
        }
    }

    /// <summary>Creates the model that the top-level <c>model</c> object describes, built (weights not yet loaded).</summary>
    /// <exception cref="InvalidDataException">Anything that does not make a model; the message names the file.</exception>
    public static Model FromJson(JsonObject json, Reader reader)
    {
        string className = ModelFile.Text(json["class_name"], "the model's class_name", reader.Path);
        return CreateModel(className, json, reader, depth: 1);
    }

    private static Model CreateModel(string className, JsonObject fields, Reader reader, int depth)
    {
        if (depth > MaxNestingDepth)
            throw new InvalidDataException(
                $"'{reader.Path}' nests models more than {MaxNestingDepth} deep (a model used as a layer of a model ...), the most " +
                "Sequential reads. The file is corrupted or hostile.");
        return className switch
        {
            Sequential => SequentialFromJson(fields, reader, depth),
            Functional => FunctionalFromJson(fields, reader, depth),
            _ when fields["layers"] is not null => FunctionalFromJson(fields, reader, depth, className),
            _ => SubclassFromJson(className, fields, reader),
        };
    }

    private static Model SubclassFromJson(string className, JsonObject fields, Reader reader)
    {
        string path = reader.Path;
        var config = (fields["config"]?.AsObject() ?? []).ToDictionary(kv => kv.Key, kv => (object?)ConfigReflection.ToElement(kv.Value));
        Model model;
        try
        {
            model = reader.Made(ModelRegistry.FromConfig(className, config));
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{path}': {e.Message}", e);
        }
        if (fields["name"] is not null) model.Name = ModelFile.Text(fields["name"], "the model's name", path);
        long[]? inputShape = fields["input_shape"] is null ? null : ModelFile.InputShape(fields["input_shape"], path);
        if (inputShape is not null && !model.Built) model.Build(inputShape);
        return model;
    }

    private static SequentialModel SequentialFromJson(JsonObject fields, Reader reader, int depth)
    {
        string path = reader.Path;
        string name = fields["name"] is null ? "sequential" : ModelFile.Text(fields["name"], "the model's name", path);
        long[]? inputShape = fields["input_shape"] is null ? null : ModelFile.InputShape(fields["input_shape"], path);
        var entries = fields["layers"] as JsonArray ?? throw new InvalidDataException(
            $"'{path}': config.json's model has no layers array{(depth > 1 ? $" (model \"{name}\", inside another)" : "")}.");
        reader.Count(entries.Count, $"model \"{name}\"");
        var layers = new List<Layer>(entries.Count);
        for (int i = 0; i < entries.Count; i++)
            layers.Add(LayerFromJson(entries[i], $"layer {i}", reader, depth));
        var model = new SequentialModel(layers, name);
        reader.Owns(model, layers);
        if (inputShape is not null && !model.Built) model.Build(inputShape);
        return model;
    }

    /// <summary>A layer entry: a model (by its class name: Sequential, Functional or a registered model class), or a layer
    /// from <see cref="LayerRegistry"/>; with its <c>trainable</c> flag.</summary>
    private static Layer LayerFromJson(JsonNode? node, string label, Reader reader, int depth)
    {
        string path = reader.Path;
        if (node is not JsonObject entry)
            throw new InvalidDataException($"'{path}': {label} of config.json is not an object: {Shortened(node)}.");
        string className = ModelFile.Text(entry["class_name"], $"the class_name of {label}", path);
        Layer layer;
        bool recordsTrainable = true;
        if (className is Sequential or Functional || ModelRegistry.IsRegistered(className))
        {
            var fields = entry["config"] as JsonObject
                ?? throw new InvalidDataException($"'{path}': {label} is a {className} model without a config object.");
            layer = CreateModel(className, fields, reader, depth + 1);
            // The layers of a SequentialModel or a graph record their own flags; a subclass's layers come from its code.
            recordsTrainable = fields["layers"] is null;
        }
        else
        {
            var config = (entry["config"]?.AsObject() ?? []).ToDictionary(kv => kv.Key, kv => (object?)ConfigReflection.ToElement(kv.Value));
            try
            {
                layer = reader.Made(LayerRegistry.FromConfig(className, config));
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"'{path}': {e.Message}", e);
            }
        }
        // A layer loads with the policy it was saved with (float32 when the file names none), whatever the global one is now.
        if (layer is not Model)
        {
            string policy = entry["dtype"] is { } dtype ? ModelFile.Text(dtype, $"the dtype of {label}", path) : "float32";
            try { layer.DtypePolicy = policy; }
            catch (ArgumentException e) { throw new InvalidDataException($"'{path}': {label}: {e.Message} The file is corrupted or from a newer version.", e); }
        }
        // Files written before layers saved the flag have none: their layers load trainable.
        if (recordsTrainable && entry["trainable"] is { } trainable)
            layer.Trainable = trainable is JsonValue t && t.TryGetValue<bool>(out bool b) ? b
                : throw new InvalidDataException($"'{path}': {label}'s trainable is {trainable.ToJsonString()}, not true or false. The file is corrupted.");
        return layer;
    }

    /// <summary>A reference to a layer's output, as the file gives it: Keras's <c>keras_history</c> and, for a call's
    /// input, the shape recorded for it.</summary>
    private readonly record struct Ref(int Entry, int Node, int Output, long[]? Shape);

    /// <summary>
    /// Rebuilds a graph as Keras's <c>functional_from_config</c> does: creates every layer and Input, then calls each layer
    /// on its recorded inputs once they exist (a node waits for the nodes it takes, and for the layer's earlier calls, so
    /// a layer shared at different depths is called in its original order), then makes the model of the recorded inputs
    /// and outputs. Every reference is checked first (a known name, a node that exists, output 0), recorded shapes must
    /// equal the shapes the calls give, and a cycle or a node never reached is an error naming it. The order is found
    /// without recursion (Kahn's algorithm), so a long chain cannot exhaust the stack.
    /// </summary>
    /// <param name="fields">The model's fields.</param>
    /// <param name="reader">The load.</param>
    /// <param name="depth">How deep the model is nested.</param>
    /// <param name="subclass">The class name of a registered subclass made from a graph, or null for a Model.</param>
    private static Model FunctionalFromJson(JsonObject fields, Reader reader, int depth, string? subclass = null)
    {
        string path = reader.Path;
        string name = fields["name"] is null ? "functional" : ModelFile.Text(fields["name"], "the model's name", path);
        string model = $"model \"{name}\"";
        var entries = fields["layers"] as JsonArray ?? throw new InvalidDataException($"'{path}': {model} has no layers array.");

        // 1. Every entry: its name, its calls (counted before anything is made), and its layer or Input.
        int count = entries.Count;
        var names = new string[count];
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        var nodesOf = new JsonArray[count];
        var layers = new Layer?[count];
        var inputs = new Input?[count];
        for (int i = 0; i < count; i++)
        {
            if (entries[i] is not JsonObject entry)
                throw new InvalidDataException($"'{path}': layer {i} of {model} is {entries[i]?.ToJsonString() ?? "null"}, not an object.");
            names[i] = ModelFile.Text(entry["name"], $"the name of layer {i} of {model}", path);
            if (!byName.TryAdd(names[i], i))
                throw new InvalidDataException($"'{path}': {model} names two layers \"{names[i]}\"; layer names are unique within a model.");
            nodesOf[i] = entry["inbound_nodes"] as JsonArray
                ?? throw new InvalidDataException($"'{path}': layer \"{names[i]}\" of {model} has no inbound_nodes array.");
            reader.Count(Math.Max(1, nodesOf[i].Count), $"layer \"{names[i]}\" of {model}");
        }
        for (int i = 0; i < count; i++)
        {
            if (nodesOf[i].Count == 0) inputs[i] = InputFromJson((JsonObject)entries[i]!, names[i], model, path);
            else layers[i] = LayerFromJson(entries[i], $"layer \"{names[i]}\" of {model}", reader, depth);
        }

        // 2. Every call's inputs, checked against the entries.
        var first = new int[count + 1]; // the id of entry i's first call; calls of entry i are first[i] .. first[i + 1] - 1
        for (int i = 0; i < count; i++) first[i + 1] = first[i] + (layers[i] is null ? 0 : nodesOf[i].Count);
        int total = first[count];
        var entryOf = new int[total];
        var arguments = new Ref[total][];
        var options = new Dictionary<string, object>[total];
        for (int i = 0; i < count; i++)
            for (int k = 0; layers[i] is not null && k < nodesOf[i].Count; k++)
            {
                entryOf[first[i] + k] = i;
                (arguments[first[i] + k], options[first[i] + k]) =
                    NodeFromJson(nodesOf[i][k], layers[i]!, $"call {k} of layer \"{names[i]}\" of {model}");
            }

        // 3. Each call once its inputs exist, in an order Kahn's algorithm finds: a call waits for the calls whose outputs
        // it takes, and for its layer's previous call (so node k of a layer is its k-th call, as the file numbers them).
        var waitsFor = new int[total];
        var next = new List<int>[total];
        for (int i = 0; i < count; i++)
            for (int k = 0; layers[i] is not null && k < nodesOf[i].Count; k++)
            {
                int id = first[i] + k;
                foreach (var r in arguments[id].Where(r => layers[r.Entry] is not null))
                    Then(first[r.Entry] + r.Node, id);
                if (k > 0) Then(id - 1, id);
            }
        void Then(int before, int after)
        {
            (next[before] ??= []).Add(after);
            waitsFor[after]++;
        }
        var ready = new Queue<int>(Enumerable.Range(0, total).Where(id => waitsFor[id] == 0));
        var outputs = new SymbolicTensor?[total];
        int made = 0;
        while (ready.TryDequeue(out int id))
        {
            outputs[id] = Call(entryOf[id], id - first[entryOf[id]]);
            made++;
            foreach (var after in next[id] ?? [])
                if (--waitsFor[after] == 0) ready.Enqueue(after);
        }
        if (made < total)
        {
            int stuck = Enumerable.Range(0, total).First(id => outputs[id] is null);
            int entry = entryOf[stuck];
            throw new InvalidDataException(
                $"'{path}': the graph of {model} has a cycle: call {stuck - first[entry]} of layer \"{names[entry]}\" takes, directly or " +
                "through other calls, its own output, so it can never run. The file is corrupted or hostile.");
        }

        // 4. The model of the recorded inputs and outputs; every layer the file lists must be part of it.
        var modelInputs = Histories(fields["input_layers"], "input_layers").Select(r => inputs[r.Entry] ?? throw new InvalidDataException(
            $"'{path}': input_layers of {model} lists \"{names[r.Entry]}\", which is a layer, not an Input.")).ToList();
        var modelOutputs = Histories(fields["output_layers"], "output_layers").Select(Tensor).ToList();
        Model functional;
        try
        {
            functional = subclass is null
                ? new Model(modelInputs, modelOutputs, name)
                : CreateFromGraph(ModelRegistry.TypeOf(subclass) ?? throw new InvalidDataException(
                    $"Unknown model class '{subclass}'. If it is your own model, call {typeof(ModelRegistry).FullName}.Register<{subclass}>() " +
                    "before loading."), modelInputs, modelOutputs, name);
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException)
        {
            throw new InvalidDataException($"'{path}': the graph of {model} does not make a model: {e.Message}", e);
        }
        var owned = functional.Layers.ToHashSet();
        reader.Owns(functional, owned);
        // Save writes only the layers a graph runs: any other was added to the file, and would be built for nothing.
        if (layers.FirstOrDefault(l => l is not null && !owned.Contains(l)) is { } unused)
            throw new InvalidDataException(
                $"'{path}': layer \"{unused.Name}\" of {model} does not lead to any of its outputs. The file is corrupted or hostile.");
        return functional;

        SymbolicTensor Tensor(Ref r)
        {
            if (layers[r.Entry] is null) return r.Output == 0 ? inputs[r.Entry]! : throw new InvalidDataException(
                $"'{path}': {model} takes output {r.Output} of Input \"{names[r.Entry]}\", which has one output (index 0). The file is corrupted or hostile.");
            var made = outputs[first[r.Entry] + r.Node]!.CallOutputs;
            return r.Output < made.Count ? made[r.Output] : throw new InvalidDataException(
                $"'{path}': {model} takes output {r.Output} of call {r.Node} of layer \"{names[r.Entry]}\", but that call returns " +
                $"{made.Count} output(s) (indices 0 to {made.Count - 1}). The file is corrupted or hostile.");
        }

        SymbolicTensor Call(int entry, int node)
        {
            var layer = layers[entry]!;
            var refs = arguments[first[entry] + node];
            var tensors = refs.Select(Tensor).ToArray();
            for (int j = 0; j < refs.Length; j++)
                if (refs[j].Shape is { } recorded && !recorded.SequenceEqual(tensors[j].ShapeArray))
                    throw new InvalidDataException(
                        $"'{path}': call {node} of layer \"{names[entry]}\" of {model} records input {j} ({names[refs[j].Entry]}[{refs[j].Node}]) " +
                        $"with shape {Shapes.FormatBatch(recorded)}, but that tensor has shape {Shapes.FormatBatch(tensors[j].ShapeArray)}. " +
                        "The file is corrupted or hostile.");
            try
            {
                return layer.ApplyCall(tensors, options[first[entry] + node]);
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or InvalidOperationException)
            {
                throw new InvalidDataException(
                    $"'{path}': call {node} of layer \"{names[entry]}\" of {model} does not fit its inputs ({string.Join(", ", tensors.Select(t => Shapes.FormatBatch(t.ShapeArray)))}): " +
                    $"{e.Message}", e);
            }
        }

        // One call's arguments: {"args": [tensor]} or {"args": [[tensor, tensor, ...]]}, each tensor Keras's __keras_tensor__;
        // for a layer that takes further inputs by keyword (a recurrent layer's "initial_state"), those follow the first.
        // Other kwargs are the layer's call options (bool, number or text), each one the layer takes.
        (Ref[] Inputs, Dictionary<string, object> Options) NodeFromJson(JsonNode? node, Layer layer, string what)
        {
            if (node is not JsonObject call || call["args"] is not JsonArray { Count: 1 } args || args[0] is JsonArray { Count: 0 })
                throw new InvalidDataException(
                    $"'{path}': {what} is {Shortened(node)}, not {{\"args\": [input]}} with one input or one list of inputs.");
            Ref[] inputs = args[0] is JsonArray many
                ? [.. many.Select((t, j) => TensorFromJson(t, $"{what}, input {j}"))]
                : [TensorFromJson(args[0], what)];
            var callOptions = new Dictionary<string, object>(StringComparer.Ordinal);
            if (call["kwargs"] is null) return (inputs, callOptions);
            if (call["kwargs"] is not JsonObject kwargs)
                throw new InvalidDataException($"'{path}': {what} has kwargs {Shortened(call["kwargs"])}, not an object.");
            string? keyword = layer.ExtraInputsArgument;
            foreach (var (name, value) in kwargs)
            {
                if (name == keyword && value is not null)
                {
                    if (inputs.Length != 1 || value is not JsonArray { Count: > 0 } extra)
                        throw new InvalidDataException(
                            $"'{path}': {what} gives {keyword} as {Shortened(value)} with {inputs.Length} positional input(s); " +
                            $"it takes one input and a list of tensors for {keyword}.");
                    inputs = [.. inputs, .. extra.Select((t, j) => TensorFromJson(t, $"{what}, {keyword}[{j}]"))];
                    continue;
                }
                object? option = value is JsonValue v ? v.GetValueKind() switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    JsonValueKind.String => v.GetValue<string>(),
                    JsonValueKind.Number => v.TryGetValue<long>(out long l) ? l : v.GetValue<double>(),
                    _ => null,
                } : null;
                if (!layer.CallOptionNames.Contains(name) || option is null)
                    throw new InvalidDataException(
                        $"'{path}': {what} passes {name}={Shortened(value)}, which layer \"{layer.Name}\" ({layer.TypeName}) does not take" +
                        (layer.CallOptionNames.Count == 0 ? "." : $" (it takes {string.Join(", ", layer.CallOptionNames)}: a bool, number or text)."));
                callOptions[name] = option;
            }
            return (inputs, callOptions);
        }

        Ref TensorFromJson(JsonNode? node, string what)
        {
            if (node is not JsonObject tensor || tensor["config"] is not JsonObject config
                || (tensor["class_name"] is { } cn && (cn is not JsonValue v || !v.TryGetValue<string>(out var s) || s != KerasTensor)))
                throw new InvalidDataException($"'{path}': {what} is {Shortened(node)}, not a {KerasTensor} object with a config.");
            var r = HistoryFromJson(config["keras_history"], what);
            long[]? shape = config["shape"] is null ? null : BatchShapeFromJson(config["shape"], what, path);
            return r with { Shape = shape };
        }

        Ref HistoryFromJson(JsonNode? node, string what)
        {
            if (node is not JsonArray { Count: 3 } history)
                throw new InvalidDataException($"'{path}': {what} refers to {Shortened(node)}, not [layer name, node index, tensor index].");
            string layer = ModelFile.Text(history[0], $"the layer name in {what}", path);
            long nodeIndex = ModelFile.Integer(history[1], $"the node index in {what}", path);
            long tensorIndex = ModelFile.Integer(history[2], $"the tensor index in {what}", path);
            if (!byName.TryGetValue(layer, out int entry))
                throw new InvalidDataException(
                    $"'{path}': {what} takes an output of layer \"{layer}\", but {model} has no layer of that name. The file is corrupted or hostile.");
            int calls = layers[entry] is null ? 1 : nodesOf[entry].Count;
            if (nodeIndex < 0 || nodeIndex >= calls)
                throw new InvalidDataException(
                    $"'{path}': {what} takes the output of call {nodeIndex} of layer \"{layer}\", but {model} calls it {calls} time(s) " +
                    "(node indices 0 to " + (calls - 1) + "). The file is corrupted or hostile.");
            // How many outputs the call has is known once it is made (see Tensor); here only the range of an int.
            if (tensorIndex is < 0 or > int.MaxValue)
                throw new InvalidDataException(
                    $"'{path}': {what} takes output {tensorIndex} of layer \"{layer}\"; an output index is 0 or more. The file is corrupted or hostile.");
            return new Ref(entry, (int)nodeIndex, (int)tensorIndex, null);
        }

        // input_layers and output_layers: one [name, node, tensor] (Keras's form for one tensor), or a list of them.
        IEnumerable<Ref> Histories(JsonNode? node, string key)
        {
            if (node is JsonArray { Count: 3 } leaf && leaf[0] is JsonValue) return [HistoryFromJson(leaf, $"{key} of {model}")];
            if (node is not JsonArray { Count: > 0 } list)
                throw new InvalidDataException($"'{path}': {key} of {model} is {Shortened(node)}, not a list of [layer name, node index, tensor index].");
            return [.. list.Select((h, j) => HistoryFromJson(h, $"{key}[{j}] of {model}"))];
        }
    }

    /// <summary>An Input from its InputLayer entry: <c>batch_shape</c> (<c>[null, ...]</c>), <c>dtype</c>.</summary>
    private static Input InputFromJson(JsonObject entry, string name, string model, string path)
    {
        string className = ModelFile.Text(entry["class_name"], $"the class_name of layer \"{name}\" of {model}", path);
        if (className != InputLayerClass || entry["config"] is not JsonObject config)
            throw new InvalidDataException(
                $"'{path}': layer \"{name}\" of {model} has no inbound nodes, so it must be an {InputLayerClass} with a config, but it is " +
                $"{(className != InputLayerClass ? $"a {className}" : "without a config")}. The file is corrupted or hostile.");
        long[] shape = BatchShapeFromJson(config["batch_shape"], $"the batch_shape of Input \"{name}\" of {model}", path);
        var dtype = ScalarType.Float32;
        if (config["dtype"] is not null)
        {
            string dtypeName = ModelFile.Text(config["dtype"], $"the dtype of Input \"{name}\" of {model}", path);
            if (dtypeName == StringDtype) return new Input(shape, StringDtype, name);
            dtype = Dtypes.FirstOrDefault(d => d.Name == dtypeName).Name is null
                ? throw new InvalidDataException(
                    $"'{path}': Input \"{name}\" of {model} has dtype \"{dtypeName}\"; Sequential reads {string.Join(", ", Dtypes.Select(d => d.Name))} and {StringDtype}.")
                : Dtypes.First(d => d.Name == dtypeName).Type;
        }
        return new Input(shape, name, dtype);
    }

    /// <summary>A recorded batch shape, <c>[null, d1, d2, ...]</c>: the per-sample shape, checked as an input shape.</summary>
    private static long[] BatchShapeFromJson(JsonNode? node, string what, string path)
    {
        if (node is not JsonArray { Count: >= 2 } shape || shape[0] is not null)
            throw new InvalidDataException($"'{path}': {what} is {Shortened(node)}, not a batch shape [null, size, ...].");
        return ModelFile.InputShape(new JsonArray([.. shape.Skip(1).Select(d => d?.DeepClone())]), path);
    }

    /// <summary>A JSON value for a message, cut short (a hostile file's values can be long).</summary>
    private static string Shortened(JsonNode? node)
    {
        string text = node?.ToJsonString() ?? "null";
        return text.Length <= 120 ? text : text[..117] + "...";
    }
}
