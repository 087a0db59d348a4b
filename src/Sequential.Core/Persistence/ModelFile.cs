using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sequential.IO;
using Sequential.Layers;
using Sequential.Losses;
using Sequential.Metrics;
using Sequential.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Persistence;

/// <summary>
/// The <c>.seqmodel</c> file: one zip archive holding <c>config.json</c> (architecture and compile settings),
/// <c>model.safetensors</c> (weights), <c>optimizer.safetensors</c> (optimizer state), <c>training_state.json</c> and
/// <c>manifest.json</c> (format, version, SHA-256 of every other entry). See docs/file-format.md.
/// </summary>
internal static class ModelFile
{
    public const string FormatName = "sequential.model";
    public const int FormatVersion = 1;
    public const string WeightsFormatName = "sequential.weights";

    private const string ConfigEntry = "config.json";
    private const string WeightsEntry = "model.safetensors";
    private const string OptimizerEntry = "optimizer.safetensors";
    // Files written before Sequential had its own optimizers kept TorchSharp's optimizer state under this name.
    private const string LegacyOptimizerEntry = "optimizer.bin";
    private const string TrainingEntry = "training_state.json";
    private const string ManifestEntry = "manifest.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>What a model file holds, read and checked, with nothing applied to any model yet.</summary>
    public sealed class Contents
    {
        public required string Source { get; init; }
        public required JsonObject Config { get; init; }
        public required byte[] Weights { get; init; }
        public byte[]? OptimizerState { get; init; }
        public TrainingState? Training { get; init; }
    }

    // ---------------------------------------------------------------- writing

    /// <summary>Writes the whole model (architecture, weights, optimizer and training state) atomically.</summary>
    public static void Save(Model model, string path, TrainingState training)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var entries = new List<(string name, byte[] data)>
        {
            (ConfigEntry, Json(ModelConfig(model))),
            (WeightsEntry, WeightsBytes(model)),
        };
        if (model.Optimizer?.SaveState() is { } optimizerState) entries.Add((OptimizerEntry, optimizerState));
        entries.Add((TrainingEntry, Json(training.ToJson())));
        var manifest = new JsonObject
        {
            ["format"] = FormatName,
            ["format_version"] = FormatVersion,
            ["entries"] = new JsonObject(entries.Select(e => KeyValuePair.Create(e.name, (JsonNode?)new JsonObject
            {
                ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(e.data)),
                ["size"] = e.data.Length,
            }))),
        };
        entries.Add((ManifestEntry, Json(manifest)));
        WriteAtomically(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            foreach (var (name, data) in entries)
            {
                var entry = zip.CreateEntry(name, name.EndsWith(".json", StringComparison.Ordinal) ? CompressionLevel.Fastest : CompressionLevel.NoCompression);
                using var entryStream = entry.Open();
                entryStream.Write(data);
            }
        });
    }

    /// <summary>Writes the weights alone as a safetensors file, atomically.</summary>
    public static void SaveWeights(Model model, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        byte[] bytes = WeightsBytes(model);
        WriteAtomically(path, stream => stream.Write(bytes));
    }

    private static void WriteAtomically(string path, Action<Stream> write)
    {
        try
        {
            AtomicFile.Write(path, write);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new IOException(AtomicFile.DescribeFailure(path, e), e);
        }
    }

    private static byte[] WeightsBytes(Model model)
    {
        var metadata = new Dictionary<string, string> { ["format"] = WeightsFormatName, ["format_version"] = FormatVersion.ToString() };
        if (model.BuiltInputShape is { } shape) metadata["input_shape"] = JsonSerializer.Serialize(shape);
        return SafeTensors.Write(model.state_dict().Select(kv => (kv.Key, kv.Value)), metadata);
    }

    private static byte[] Json(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString(Indented));

    private static JsonObject ModelConfig(Model model)
    {
        if (model is not SequentialModel sequential)
            throw new NotSupportedException(
                $"Save writes the architecture of SequentialModel only; {model.GetType().Name} is not one. Use SaveWeights to save its weights.");
        var layers = new JsonArray();
        foreach (var layer in sequential.Layers)
        {
            IReadOnlyDictionary<string, object?> config;
            try { config = layer.GetConfig(); }
            catch (InvalidOperationException e) { throw new InvalidOperationException($"Layer \"{layer.Name}\": {e.Message}", e); }
            layers.Add(new JsonObject
            {
                ["class_name"] = layer.GetType().Name,
                ["config"] = ConfigObject(config),
            });
        }
        var json = new JsonObject
        {
            ["format"] = FormatName,
            ["format_version"] = FormatVersion,
            ["model"] = new JsonObject
            {
                ["class_name"] = "Sequential",
                ["name"] = sequential.Name,
                ["input_shape"] = sequential.BuiltInputShape is { } shape ? new JsonArray(shape.Select(d => (JsonNode?)d).ToArray()) : null,
                ["layers"] = layers,
            },
            ["compile"] = null,
        };
        if (model.IsCompiled)
        {
            json["compile"] = new JsonObject
            {
                ["optimizer"] = NamedConfig(model.Optimizer!.Name, model.Optimizer),
                ["loss"] = NamedConfig(model.Loss!.Name, model.Loss),
                ["metrics"] = new JsonArray(model.CompiledMetrics.Specs
                    .Select(s => (JsonNode?)JsonValue.Create(s is Metric m ? m.Name : (string)s)).ToArray()),
            };
        }
        return json;
    }

    private static JsonObject NamedConfig(string name, object instance) => new()
    {
        ["name"] = name,
        ["config"] = ConfigObject(ConfigReflection.GetConfig(instance)),
    };

    private static JsonObject ConfigObject(IReadOnlyDictionary<string, object?> config) =>
        new(config.Select(kv => KeyValuePair.Create(kv.Key, JsonSerializer.SerializeToNode(ConfigReflection.ToElement(kv.Value)))));

    // ---------------------------------------------------------------- reading

    /// <summary>Reads a model file and checks its format, version and checksums. Touches no model.</summary>
    public static Contents Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"No model file at '{path}'.", path);
        var data = new Dictionary<string, byte[]>();
        try
        {
            using var zip = ZipFile.OpenRead(path);
            foreach (var entry in zip.Entries)
            {
                using var stream = entry.Open();
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                data[entry.FullName] = buffer.ToArray();
            }
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException(
                $"'{path}' is not a readable Sequential model file (a zip archive): {e.Message} The file is truncated or corrupted; " +
                "use a previous copy or save the model again.", e);
        }
        if (!data.TryGetValue(ManifestEntry, out var manifestBytes))
            throw new InvalidDataException($"'{path}' has no {ManifestEntry}; it is not a Sequential model file (written by model.Save).");
        var manifest = ParseObject(manifestBytes, ManifestEntry, path);
        CheckFormat(manifest, path);
        var listed = manifest["entries"]?.AsObject() ?? throw new InvalidDataException($"'{path}': {ManifestEntry} lists no entries.");
        foreach (var (name, info) in listed)
        {
            if (!data.TryGetValue(name, out var bytes))
                throw new InvalidDataException($"'{path}' lacks the entry {name} that its manifest lists; the file is incomplete.");
            string expected = info?["sha256"]?.GetValue<string>() ?? "";
            string actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
            if (!string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase))
                throw new InvalidDataException(
                    $"'{path}': checksum mismatch in {name} (SHA-256 {actual}, manifest says {expected}). The file is corrupted; " +
                    "use a previous copy or save the model again.");
        }
        foreach (var required in new[] { ConfigEntry, WeightsEntry })
            if (!listed.ContainsKey(required))
                throw new InvalidDataException($"'{path}' has no {required}; it is not a complete Sequential model file.");
        var config = ParseObject(data[ConfigEntry], ConfigEntry, path);
        if (listed.ContainsKey(LegacyOptimizerEntry) && !listed.ContainsKey(OptimizerEntry))
            Console.Error.WriteLine(
                $"Warning: '{path}' keeps its optimizer state in {LegacyOptimizerEntry}, TorchSharp's format used by Sequential " +
                "before its own optimizers, which this version does not read. Weights and settings are loaded; the optimizer " +
                "starts again from zero moments, so training from here will not repeat an uninterrupted run exactly.");
        return new Contents
        {
            Source = path,
            Config = config,
            Weights = data[WeightsEntry],
            OptimizerState = listed.ContainsKey(OptimizerEntry) ? data[OptimizerEntry] : null,
            Training = listed.ContainsKey(TrainingEntry) ? TrainingState.FromJson(ParseObject(data[TrainingEntry], TrainingEntry, path), path) : null,
        };
    }

    private static void CheckFormat(JsonObject manifest, string path)
    {
        string? format = manifest["format"]?.GetValue<string>();
        if (format != FormatName)
            throw new InvalidDataException($"'{path}' is a '{format}' file, not a '{FormatName}' file written by model.Save.");
        int version = manifest["format_version"]?.GetValue<int>() ?? 0;
        if (version > FormatVersion)
            throw new InvalidDataException(
                $"'{path}' uses format version {version}, but this version of Sequential reads format version {FormatVersion} and older. " +
                "Upgrade Sequential to load it.");
        if (version < 1)
            throw new InvalidDataException($"'{path}' has an invalid format version {version}.");
    }

    private static JsonObject ParseObject(byte[] bytes, string entry, string path)
    {
        try
        {
            return JsonNode.Parse(bytes)?.AsObject() ?? throw new InvalidDataException($"'{path}': {entry} is empty.");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new InvalidDataException($"'{path}': {entry} is not valid JSON ({e.Message}).", e);
        }
    }

    /// <summary>Creates the model a file describes, with its weights, compile settings and optimizer state.</summary>
    public static Model Load(string path)
    {
        var contents = Read(path);
        var modelJson = contents.Config["model"]?.AsObject() ?? throw new InvalidDataException($"'{path}': config.json has no model.");
        string? className = modelJson["class_name"]?.GetValue<string>();
        if (className != "Sequential")
            throw new InvalidDataException($"'{path}' holds a model of class '{className}'; this version of Sequential loads 'Sequential' models.");
        var layers = new List<Layer>();
        foreach (var layerJson in modelJson["layers"]?.AsArray() ?? [])
        {
            string layerClass = layerJson?["class_name"]?.GetValue<string>() ?? throw new InvalidDataException($"'{path}': a layer has no class_name.");
            var config = (layerJson["config"]?.AsObject() ?? [])
                .ToDictionary(kv => kv.Key, kv => (object?)ConfigReflection.ToElement(kv.Value));
            try
            {
                layers.Add(Sequential.Layers.Layers.FromConfig(layerClass, config));
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"'{path}': {e.Message}", e);
            }
        }
        var model = new SequentialModel(layers, modelJson["name"]?.GetValue<string>() ?? "sequential");
        if (modelJson["input_shape"] is JsonArray shape && !model.Built)
            model.Build(shape.Select(d => d!.GetValue<long>()).ToArray());
        AssignWeights(model, contents.Weights, path);
        if (contents.Config["compile"] is JsonObject compile)
        {
            var optimizer = (Optimizer)Create(compile["optimizer"], n => Optimizers.Optimizers.Get(n).GetType(), "optimizer", path);
            var loss = (Loss)Create(compile["loss"], n => Losses.Losses.Get(n).GetType(), "loss", path);
            var metrics = (compile["metrics"]?.AsArray() ?? []).Select(m => (object)m!.GetValue<string>()).ToList();
            try
            {
                model.Compile(optimizer, loss, metrics);
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"'{path}': the saved compile settings are not valid here: {e.Message}", e);
            }
            if (model.Built && contents.OptimizerState is { } state)
                model.Optimizer!.RestoreState(state, TrainableParameters(model), contents.Training?.Iterations ?? 0,
                    contents.Training?.LearningRate ?? optimizer.LearningRate, path);
        }
        return model;
    }

    /// <summary>Restores weights, optimizer state and the random generator into an existing model (BackupAndRestore).</summary>
    public static TrainingState? Restore(Model model, Contents contents)
    {
        AssignWeights(model, contents.Weights, contents.Source);
        if (contents.OptimizerState is { } state && model.Optimizer is { } optimizer && optimizer.IsBound)
            optimizer.RestoreState(state, TrainableParameters(model), contents.Training?.Iterations ?? 0,
                contents.Training?.LearningRate ?? optimizer.LearningRate, contents.Source);
        return contents.Training;
    }

    internal static IEnumerable<TorchSharp.Modules.Parameter> TrainableParameters(Model model) => model.parameters().Where(p => p.requires_grad);

    private static object Create(JsonNode? node, Func<string, Type> lookup, string what, string path)
    {
        string name = node?["name"]?.GetValue<string>() ?? throw new InvalidDataException($"'{path}': the saved {what} has no name.");
        Type type;
        try { type = lookup(name); }
        catch (ArgumentException e) { throw new InvalidDataException($"'{path}': unknown {what} '{name}'. {e.Message}", e); }
        var config = (node["config"]?.AsObject() ?? []).ToDictionary(kv => kv.Key, kv => (object?)ConfigReflection.ToElement(kv.Value));
        return ConfigReflection.Create(type, config, $"{what} {name} in '{path}'");
    }

    /// <summary>
    /// Reads safetensors weights into new tensors, checks every name, dtype and shape against the model, and only
    /// then copies them in: a file that does not fit leaves the model untouched.
    /// </summary>
    public static void AssignWeights(Model model, byte[] bytes, string source)
    {
        var (loaded, metadata) = SafeTensors.Read(bytes, source);
        try
        {
            if (!model.Built)
            {
                if (loaded.Count == 0) return;
                if (!metadata.TryGetValue("input_shape", out var shapeJson))
                    throw new InvalidOperationException(
                        $"Model \"{model.Name}\" is not built, and '{source}' does not record an input shape. Build it first: model.Build([...]).");
                model.Build(JsonSerializer.Deserialize<long[]>(shapeJson)!);
                if (model.IsCompiled) model.Place();
            }
            var targets = model.state_dict();
            var byName = loaded.ToDictionary(l => l.entry.Name, l => l);
            var missing = targets.Keys.Where(k => !byName.ContainsKey(k)).ToList();
            if (missing.Count > 0)
                throw new InvalidDataException(
                    $"'{source}' does not fit model \"{model.Name}\": it lacks {string.Join(", ", missing.Select(Describe))}. " +
                    $"It holds {string.Join(", ", byName.Keys)}.");
            var extra = byName.Keys.Where(k => !targets.ContainsKey(k)).ToList();
            if (extra.Count > 0)
                throw new InvalidDataException(
                    $"'{source}' does not fit model \"{model.Name}\": it holds {string.Join(", ", extra.Select(Describe))}, which the model does not have.");
            foreach (var (name, target) in targets)
            {
                var (entry, tensor) = byName[name];
                if (!entry.Shape.SequenceEqual(target.shape) || tensor.dtype != target.dtype)
                    throw new InvalidDataException(
                        $"'{source}' does not fit model \"{model.Name}\": {Describe(name)} has shape {Shapes.Format(target.shape)} " +
                        $"({SafeTensors.DTypeName(target.dtype)}) in the model but shape {Shapes.Format(entry.Shape)} ({entry.DType}) in the file.");
            }
            using var noGrad = no_grad();
            foreach (var (name, target) in targets)
                target.copy_(byName[name].tensor);
        }
        finally
        {
            foreach (var (_, tensor) in loaded) tensor.Dispose();
        }

        static string Describe(string key)
        {
            int dot = key.LastIndexOf('.');
            return dot < 0 ? $"weight \"{key}\"" : $"layer \"{key[..dot]}\" weight \"{key[(dot + 1)..]}\"";
        }
    }

    /// <summary>Loads a weights file (safetensors) into a model.</summary>
    public static void LoadWeights(Model model, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"No weights file at '{path}'.", path);
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length >= 4 && bytes[0] == (byte)'P' && bytes[1] == (byte)'K')
        {
            // A whole model file: take its weights (after its checksums are verified).
            bytes = Read(path).Weights;
        }
        AssignWeights(model, bytes, path);
    }
}
