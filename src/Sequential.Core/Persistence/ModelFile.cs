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
    // Version 2: snake_case configuration keys, graph sections (functional and nested models), per-output compile
    // settings. A version 1 reader would stop at the first of these with a misleading message (an unknown key or class),
    // so it is told instead that the file is newer than it. Version 1 files load unchanged.
    public const int FormatVersion = 2;
    public const string WeightsFormatName = "sequential.weights";
    // The safetensors layout did not change with the model file's version 2.
    public const int WeightsFormatVersion = 1;

    private const string ConfigEntry = "config.json";
    private const string WeightsEntry = "model.safetensors";
    private const string OptimizerEntry = "optimizer.safetensors";
    // Files written before Sequential had its own optimizers kept TorchSharp's optimizer state under this name.
    private const string LegacyOptimizerEntry = "optimizer.bin";

    /// <summary>The entry of a subclass's other optimizer: <c>optimizer.{field}.safetensors</c>.</summary>
    private static string OtherOptimizerEntry(string field) => $"optimizer.{field}.safetensors";
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
        /// <summary>The states of a subclass's other optimizers (a GAN's second one), by field name.</summary>
        public IReadOnlyDictionary<string, byte[]> OtherOptimizerStates { get; init; } = new Dictionary<string, byte[]>();
        public TrainingState? Training { get; init; }
    }

    // ---------------------------------------------------------------- writing

    /// <summary>Writes the whole model (architecture, weights, optimizer and training state) atomically.</summary>
    public static void Save(Model model, string path, TrainingState training)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var entries = new List<(string name, byte[] data)>
        {
            (ConfigEntry, Json(ConfigJson(model))),
            (WeightsEntry, WeightsBytes(model)),
        };
        if (model.Optimizer?.SaveState(model.named_parameters()) is { } optimizerState) entries.Add((OptimizerEntry, optimizerState));
        foreach (var (name, other) in model.OtherOptimizers())
            if (other.SaveState(model.named_parameters(), withProgress: true) is { } state) entries.Add((OtherOptimizerEntry(name), state));
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
        AtomicFile.Write(path, stream =>
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
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    private static byte[] WeightsBytes(Model model)
    {
        var metadata = new Dictionary<string, string> { ["format"] = WeightsFormatName, ["format_version"] = WeightsFormatVersion.ToString() };
        if (model.BuiltInputShape is { } shape) // null for an axis of unknown size, as config.json writes it
            metadata["input_shape"] = new JsonArray([.. shape.Select(d => d == Shapes.None ? null : (JsonNode)d)]).ToJsonString();
        return SafeTensors.Write(model.state_dict().Select(kv => (kv.Key, kv.Value)), metadata);
    }

    private static byte[] Json(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString(Indented));

    private static JsonObject ConfigJson(Model model)
    {
        var json = new JsonObject
        {
            ["format"] = FormatName,
            ["format_version"] = FormatVersion,
            ["model"] = ModelConfig.ToJson(model),
            ["compile"] = model.IsCompiled ? CompileConfig(model) : null,
        };
        return json;
    }

    /// <summary>
    /// What Compile was given (Keras's compile_config), each object by its class and configuration, so arguments survive
    /// and a registered custom class loads; a metric given as a string stays a string, resolved again from the shapes on
    /// Fit. One loss (for every output) with one flat metrics list, as version 1 wrote it; or, when outputs have their own
    /// losses or loss weights, one loss (or null), weight and metrics list per output, in the outputs' order. The
    /// <c>weighted_metrics</c>, in the shape of the <c>metrics</c>, are written only when Compile was given some.
    /// </summary>
    private static JsonObject CompileConfig(Model model)
    {
        var compiled = model.CompiledMetrics;
        var optimizer = ClassConfig(model.Optimizer!, model.Optimizer!.GetConfig());
        bool perOutput = (model.Loss is null && compiled.Losses.Any(l => l is not null)) || compiled.LossWeights.Any(w => w != 1.0);
        bool weighted = compiled.WeightedSpecsPerOutput.Any(s => s.Count > 0);
        if (!perOutput)
        {
            var flat = new JsonObject
            {
                ["optimizer"] = optimizer,
                ["loss"] = model.Loss is null ? null : ClassConfig(model.Loss, model.Loss.GetConfig()),   // null: compiled without a loss
                ["metrics"] = Specs(compiled.SpecsPerOutput.SelectMany(s => s)), // several outputs: one each (Compile's broadcast)
            };
            if (weighted) flat["weighted_metrics"] = Specs(compiled.WeightedSpecsPerOutput.SelectMany(s => s));
            return flat;
        }
        var json = new JsonObject
        {
            ["optimizer"] = optimizer,
            ["loss"] = new JsonArray([.. compiled.Losses.Select(l => l is null ? null : (JsonNode)ClassConfig(l, l.GetConfig()))]),
            ["loss_weights"] = new JsonArray([.. compiled.LossWeights.Select(w => (JsonNode)w)]),
            ["metrics"] = new JsonArray([.. compiled.SpecsPerOutput.Select(s => (JsonNode)Specs(s))]),
        };
        if (weighted) json["weighted_metrics"] = new JsonArray([.. compiled.WeightedSpecsPerOutput.Select(s => (JsonNode)Specs(s))]);
        return json;

        static JsonArray Specs(IEnumerable<object> specs) =>
            new([.. specs.Select(s => s is Metric m ? ClassConfig(m, MetricConfig(m)) : (JsonNode?)JsonValue.Create((string)s))]);
    }

    private static JsonObject ClassConfig(object instance, IReadOnlyDictionary<string, object?> config) => new()
    {
        ["class_name"] = instance.GetType().Name,
        ["config"] = ConfigObject(config),
    };

    private static IReadOnlyDictionary<string, object?> MetricConfig(Metric metric)
    {
        try { return metric.GetConfig(); }
        catch (InvalidOperationException e) { throw new InvalidOperationException($"Metric \"{metric.Name}\": {e.Message}", e); }
    }

    internal static JsonObject ConfigObject(IReadOnlyDictionary<string, object?> config) =>
        new(config.Select(kv => KeyValuePair.Create(kv.Key, JsonSerializer.SerializeToNode(ConfigReflection.ToElement(kv.Value)))));

    // ---------------------------------------------------------------- reading

    // What a file may make this library read (docs/file-format.md, "Limits"): checked against each entry's declared
    // size before anything is decompressed, and again while reading, since the zip directory can lie.
    internal const long MaxJsonEntryBytes = 16 << 20;
    internal const long MaxTensorEntryBytes = 0x7FFFFFC7; // Array.MaxLength: one entry becomes one byte array
    internal const long MaxCompressionRatio = 100;
    private const long RatioExemptBytes = 1 << 20; // small entries may compress better (JSON of zeros)

    /// <summary>
    /// Reads a model file and checks its format, version, entry sizes and checksums. Touches no model. Only the entries
    /// the manifest lists and this version uses are decompressed, each within its size limit.
    /// </summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a complete, intact model file; the message names it.</exception>
    public static Contents Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"No model file at '{path}'.", path);
        using var zip = OpenZip(path);
        var manifestEntry = zip.GetEntry(ManifestEntry)
            ?? throw new InvalidDataException($"'{path}' has no {ManifestEntry}; it is not a Sequential model file (written by model.Save).");
        var manifest = ParseObject(ReadEntry(manifestEntry, path, null, null), ManifestEntry, path);
        CheckFormat(manifest, path);
        var listed = manifest["entries"] as JsonObject ?? throw new InvalidDataException($"'{path}': {ManifestEntry} lists no entries.");
        foreach (var (name, _) in listed)
            if (zip.GetEntry(name) is null)
                throw new InvalidDataException($"'{path}' lacks the entry {name} that its manifest lists; the file is incomplete.");
        foreach (var required in new[] { ConfigEntry, WeightsEntry })
            if (!listed.ContainsKey(required))
                throw new InvalidDataException($"'{path}' has no {required}; it is not a complete Sequential model file.");
        byte[]? Listed(string name)
        {
            if (!listed.TryGetPropertyValue(name, out var info)) return null;
            if (info is not JsonObject)
                throw new InvalidDataException(
                    $"'{path}': {ManifestEntry} describes {name} as {info?.ToJsonString() ?? "null"}, not an object. The file is corrupted.");
            return ReadEntry(zip.GetEntry(name)!, path,
                Integer(info["size"], $"the size of {name} in {ManifestEntry}", path),
                Text(info["sha256"], $"the sha256 of {name} in {ManifestEntry}", path));
        }

        var config = ParseObject(Listed(ConfigEntry)!, ConfigEntry, path);
        byte[] weights = Listed(WeightsEntry)!;
        byte[]? optimizerState = Listed(OptimizerEntry);
        var others = new Dictionary<string, byte[]>();
        foreach (var (name, _) in listed)
            if (name != OptimizerEntry && name.StartsWith("optimizer.", StringComparison.Ordinal) && name.EndsWith(".safetensors", StringComparison.Ordinal))
            {
                string field = name["optimizer.".Length..^".safetensors".Length];
                if (field.Length == 0 || field.Length > 128 || !field.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
                    throw new InvalidDataException($"'{path}' lists an optimizer entry named {name}, which Save does not write. The file is corrupted.");
                var state = Listed(name)!;
                SafeTensors.ReadHeader(state, $"{path} ({name})");
                others[field] = state;
            }
        // Their headers are checked now (no tensor is allocated), so that a file read without error is usable as a whole:
        // BackupAndRestore falls back to an older backup on any error here, before it touches the model.
        SafeTensors.ReadHeader(weights, path);
        if (optimizerState is not null) SafeTensors.ReadHeader(optimizerState, $"{path} (optimizer state)");
        var training = Listed(TrainingEntry) is { } trainingBytes
            ? TrainingState.FromJson(ParseObject(trainingBytes, TrainingEntry, path), path)
            : null;
        if (listed.ContainsKey(LegacyOptimizerEntry) && optimizerState is null)
            Console.Error.WriteLine(
                $"Warning: '{path}' keeps its optimizer state in {LegacyOptimizerEntry}, TorchSharp's format used by Sequential " +
                "before its own optimizers, which this version does not read. Weights and settings are loaded; the optimizer " +
                "starts again from zero moments, so training from here will not repeat an uninterrupted run exactly.");
        return new Contents
        {
            Source = path, Config = config, Weights = weights, OptimizerState = optimizerState, OtherOptimizerStates = others, Training = training,
        };
    }

    private static ZipArchive OpenZip(string path)
    {
        try
        {
            return ZipFile.OpenRead(path);
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException || e is IOException and not FileNotFoundException)
        {
            throw Unreadable(path, e);
        }
    }

    private static InvalidDataException Unreadable(string path, Exception e) => new(
        $"'{path}' is not a readable Sequential model file (a zip archive): {e.Message} The file is truncated or corrupted; " +
        "use a previous copy or save the model again.", e);

    /// <summary>
    /// Reads one entry, refusing before decompressing anything an entry whose declared size differs from the manifest's,
    /// exceeds the limit for its kind, or expands more than <see cref="MaxCompressionRatio"/> times; then reads exactly
    /// the declared bytes (more or fewer is corruption) and checks the SHA-256 the manifest lists.
    /// </summary>
    /// <param name="entry">The entry.</param>
    /// <param name="path">The file, for messages.</param>
    /// <param name="size">Its size as the manifest lists it, or null for the manifest itself.</param>
    /// <param name="sha256">Its SHA-256 as the manifest lists it, or null for the manifest itself.</param>
    private static byte[] ReadEntry(ZipArchiveEntry entry, string path, long? size, string? sha256)
    {
        string name = entry.FullName;
        long declared = entry.Length;
        long limit = name.EndsWith(".json", StringComparison.Ordinal) ? MaxJsonEntryBytes : MaxTensorEntryBytes;
        if (size is not null && declared != size)
            throw new InvalidDataException(
                $"'{path}': the zip directory says {name} holds {declared} bytes, but the manifest says {size}. The file is corrupted; " +
                "use a previous copy or save the model again.");
        if (declared > limit)
            throw new InvalidDataException(
                $"'{path}': {name} would expand to {declared} bytes, more than the {limit} bytes Sequential reads for it. " +
                "The file is corrupted or was not written by Sequential.");
        if (declared > RatioExemptBytes && declared / MaxCompressionRatio > entry.CompressedLength)
            throw new InvalidDataException(
                $"'{path}': {name} would expand from {entry.CompressedLength} to {declared} bytes, more than {MaxCompressionRatio} times " +
                "(Save stores tensors uncompressed). The file is corrupted or hostile (a zip bomb).");
        var data = new byte[declared];
        int read;
        bool more;
        try
        {
            using var stream = entry.Open();
            read = stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
            more = stream.ReadByte() >= 0;
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException || e is IOException and not FileNotFoundException)
        {
            throw Unreadable(path, e);
        }
        if (read != declared || more)
            throw new InvalidDataException(
                $"'{path}': {name} holds {(more ? "more" : $"only {read}")} bytes than the {declared} its zip directory declares. " +
                "The file is corrupted; use a previous copy or save the model again.");
        if (sha256 is not null)
        {
            string actual = Convert.ToHexStringLower(SHA256.HashData(data));
            if (!string.Equals(sha256, actual, StringComparison.OrdinalIgnoreCase))
                throw new InvalidDataException(
                    $"'{path}': checksum mismatch in {name} (SHA-256 {actual}, manifest says {sha256}). The file is corrupted; " +
                    "use a previous copy or save the model again.");
        }
        return data;
    }

    private static void CheckFormat(JsonObject manifest, string path)
    {
        string? format = manifest["format"] is JsonValue f && f.TryGetValue<string>(out var s) ? s : null;
        if (format != FormatName)
            throw new InvalidDataException($"'{path}' is a '{format}' file, not a '{FormatName}' file written by model.Save.");
        long version = Integer(manifest["format_version"], "format_version", path);
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
            // A name given twice is refused here rather than by JsonObject's first lookup (an ArgumentException).
            return JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false }) as JsonObject
                ?? throw new InvalidDataException($"'{path}': {entry} is not a JSON object.");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new InvalidDataException($"'{path}': {entry} is not valid JSON ({e.Message}).", e);
        }
    }

    /// <summary>An integer of a file's JSON, or an error naming the file and what was read.</summary>
    internal static long Integer(JsonNode? node, string what, string path) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out long result)
            ? result
            : throw new InvalidDataException($"'{path}': {what} is {node?.ToJsonString() ?? "missing"}, not an integer. The file is corrupted.");

    /// <summary>A string of a file's JSON, or an error naming the file and what was read.</summary>
    internal static string Text(JsonNode? node, string what, string path) =>
        node is JsonValue value && value.TryGetValue<string>(out var result)
            ? result
            : throw new InvalidDataException($"'{path}': {what} is {node?.ToJsonString() ?? "missing"}, not a string. The file is corrupted.");

    /// <summary>A per-sample input shape recorded in a file: positive sizes whose product fits in 64 bits.</summary>
    internal static long[] InputShape(JsonNode? node, string path)
    {
        // A size is a positive integer, or null (Keras's None: any length); anything else is marked 0 and refused.
        var shape = node is JsonArray array && array.Count > 0
            ? array.Select(d => d is null ? Shapes.None
                : d is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out long n) && n > 0 ? n : 0).ToArray()
            : null;
        bool fits = true;
        try { if (shape is not null) SafeTensors.Elements([.. shape.Where(d => d > 0)]); }
        catch (OverflowException) { fits = false; }
        if (shape is null || shape.Any(d => d == 0) || !fits)
            throw new InvalidDataException(
                $"'{path}' records the input shape {node?.ToJsonString() ?? "null"}; an input shape lists positive sizes or null " +
                "(without the batch dimension) whose product fits in 64 bits. The file is corrupted.");
        return shape;
    }

    /// <summary>
    /// Creates the model a file describes, with its weights, compile settings and optimizer state. The layers are built
    /// under a <see cref="LoadBudget"/>: they may create no more values than the file's weights hold.
    /// </summary>
    /// <exception cref="InvalidDataException">Anything in the file that does not make a model; the message names the file.</exception>
    public static Model Load(string path)
    {
        var contents = Read(path);
        var header = SafeTensors.ReadHeader(contents.Weights, path);
        using var reader = new ModelConfig.Reader(path);
        try
        {
            var modelJson = contents.Config["model"] as JsonObject ?? throw new InvalidDataException($"'{path}': config.json has no model.");
            Model model;
            using (LoadBudget.Begin(path, header))
                model = ModelConfig.FromJson(modelJson, reader);
            AssignWeights(model, contents.Weights, path);
            if (contents.Config["compile"] is JsonObject compile)
            {
                var optimizer = Compile(model, compile, path);
                if (model.Built && contents.OptimizerState is { } state)
                    model.Optimizer!.RestoreState(state, OptimizerVariables(model, state, path), contents.Training?.Iterations ?? 0,
                        contents.Training?.LearningRate ?? optimizer.LearningRate, path);
            }
            if (model.Built) RestoreOtherOptimizers(model, contents);
            reader.Release(model);
            return model;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or OverflowException
                                      or JsonException or NotSupportedException or KeyNotFoundException
                                      or System.Runtime.InteropServices.ExternalException)
        {
            // (ExternalException: an error libtorch reported for a layer the configuration made.)
            throw new InvalidDataException($"'{path}' describes a model that cannot be created: {e.Message} The file is corrupted or hostile.", e);
        }
    }

    /// <summary>Compiles a loaded model as its file's <c>compile</c> section says (<see cref="CompileConfig"/>).</summary>
    /// <returns>The optimizer.</returns>
    private static Optimizer Compile(Model model, JsonObject compile, string path)
    {
        var optimizer = Create(compile["optimizer"], "optimizer", path, OptimizerRegistry.FromConfig, n => OptimizerRegistry.Get(n));
        try
        {
            if (compile["loss"] is JsonArray losses)
            {
                var weights = compile["loss_weights"] is null ? null
                    : (compile["loss_weights"] as JsonArray ?? throw new InvalidDataException($"'{path}': the saved loss_weights are not a list."))
                        .Select(w => w is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.GetValue<double>()
                            : throw new InvalidDataException($"'{path}': a saved loss weight is {w?.ToJsonString() ?? "null"}, not a number.")).ToList();
                model.Compile(optimizer, [.. losses.Select(l => l is null ? null : Create(l, "loss", path, LossRegistry.FromConfig, null))],
                    weights, PerOutput("metrics"), weightedMetrics: PerOutput("weighted_metrics"));
            }
            else
            {
                var loss = compile["loss"] is null ? null : Create(compile["loss"], "loss", path, LossRegistry.FromConfig, n => LossRegistry.Get(n));
                model.Compile(optimizer, loss, Metrics(List("metrics") ?? []), weightedMetrics: Metrics(List("weighted_metrics") ?? []));
            }
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"'{path}': the saved compile settings are not valid here: {e.Message}", e);
        }
        return optimizer;

        JsonArray? List(string key) => compile[key] is null ? null
            : compile[key] as JsonArray ?? throw new InvalidDataException($"'{path}': the saved {key} are not a list.");

        List<IEnumerable<object>>? PerOutput(string key) => List(key)?
            .Select(m => (IEnumerable<object>)Metrics(m as JsonArray ?? throw new InvalidDataException(
                $"'{path}': the saved {key} of an output are {m?.ToJsonString() ?? "null"}, not a list."))).ToList();

        List<object> Metrics(JsonArray specs) => [.. specs.Select(m => m is JsonObject
            ? Create(m, "metric", path, MetricRegistry.FromConfig, null)
            : (object)Text(m, "a metric", path))];
    }

    /// <summary>Restores weights, optimizer state and the random generator into an existing model (BackupAndRestore).</summary>
    public static TrainingState? Restore(Model model, Contents contents)
    {
        AssignWeights(model, contents.Weights, contents.Source);
        if (contents.OptimizerState is { } state && model.Optimizer is { } optimizer && optimizer.IsBound)
            optimizer.RestoreState(state, OptimizerVariables(model, state, contents.Source), contents.Training?.Iterations ?? 0,
                contents.Training?.LearningRate ?? optimizer.LearningRate, contents.Source);
        RestoreOtherOptimizers(model, contents);
        return contents.Training;
    }

    /// <summary>
    /// Restores the states of a subclass's other optimizers (a GAN's generator optimizer) into the optimizers its fields
    /// hold by the same names, with their own iteration counts and learning rates. A saved state whose field the model
    /// does not have, or holds no optimizer in, is skipped with a warning.
    /// </summary>
    private static void RestoreOtherOptimizers(Model model, Contents contents)
    {
        var held = model.OtherOptimizers().ToDictionary(o => o.Name, o => o.Optimizer);
        foreach (var (field, state) in contents.OtherOptimizerStates)
        {
            if (!held.TryGetValue(field, out var optimizer))
            {
                Console.Error.WriteLine(
                    $"Warning: '{contents.Source}' holds the state of an optimizer in field '{field}', but model \"{model.Name}\" " +
                    $"({model.GetType().Name}) has no optimizer there (set it before loading); that state is not restored.");
                continue;
            }
            var (iterations, learningRate) = Optimizer.SavedProgress(state, $"{contents.Source} (optimizer.{field})");
            optimizer.RestoreState(state, OptimizerVariables(model, state, contents.Source), iterations,
                learningRate ?? optimizer.LearningRate, $"{contents.Source} (optimizer.{field})");
        }
    }

    /// <summary>
    /// The parameters a saved optimizer state belongs to: those its metadata names (the ones it was bound to when saved,
    /// trainable or not by now), or, in files that name none, the trainable ones.
    /// </summary>
    /// <exception cref="InvalidDataException">The names are not a JSON list of strings, or name a weight the model lacks.</exception>
    internal static IEnumerable<TorchSharp.Modules.Parameter> OptimizerVariables(Model model, byte[] state, string source)
    {
        var metadata = SafeTensors.ReadHeader(state, $"{source} (optimizer state)").Metadata;
        if (!metadata.TryGetValue(Optimizer.VariablesKey, out var json))
            return model.parameters().Where(p => p.requires_grad);
        string[]? names;
        try { names = JsonSerializer.Deserialize<string[]>(json); }
        catch (JsonException) { names = null; }
        if (names is null || names.Any(n => n is null))
            throw new InvalidDataException($"'{source}': the optimizer state's list of variables is not a JSON list of weight names. The file is corrupted.");
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        return names.Select(n => parameters.TryGetValue(n, out var p) ? p : throw new InvalidDataException(
            $"'{source}': the optimizer state belongs to weight \"{n}\", which model \"{model.Name}\" does not have.")).ToList();
    }

    /// <summary>
    /// Recreates a saved optimizer, loss or metric from <c>{"class_name": ..., "config": {...}}</c>, looking the class up
    /// in its registry only. Files written before class names were saved hold <c>{"name": keras_name, "config": ...}</c>,
    /// read through <paramref name="legacy"/> (the Keras string's default object gives the type).
    /// </summary>
    private static T Create<T>(JsonNode? node, string what, string path,
        Func<string, IReadOnlyDictionary<string, object?>, T> fromConfig, Func<string, T>? legacy) where T : class
    {
        if (node is not JsonObject saved)
            throw new InvalidDataException($"'{path}': the saved {what} is {node?.ToJsonString() ?? "missing"}, not an object. The file is corrupted.");
        var config = (saved["config"]?.AsObject() ?? []).ToDictionary(kv => kv.Key, kv => (object?)ConfigReflection.ToElement(kv.Value));
        if (saved["class_name"] is not null || legacy is null)
        {
            string className = Text(saved["class_name"], $"the class_name of the saved {what}", path);
            try { return fromConfig(className, config); }
            catch (InvalidDataException e) { throw new InvalidDataException($"'{path}': {e.Message}", e); }
        }
        string name = saved["name"] is null
            ? throw new InvalidDataException($"'{path}': the saved {what} has neither a class_name nor a name.")
            : Text(saved["name"], $"the name of the saved {what}", path);
        Type type;
        try { type = legacy(name).GetType(); }
        catch (ArgumentException e) { throw new InvalidDataException($"'{path}': unknown {what} '{name}'. {e.Message}", e); }
        return (T)ConfigReflection.Create(type, config, $"{what} {name} in '{path}'");
    }

    /// <summary>
    /// Checks every name, dtype and shape in a safetensors header against the model, and only then reads the tensors and
    /// copies them in: a file that does not fit leaves the model untouched. An unbuilt model is built for the input shape
    /// the file records, within what the file's weights hold (<see cref="LoadBudget"/>), and is unbuilt again when the
    /// file does not fit it.
    /// </summary>
    /// <exception cref="InvalidDataException">The bytes are not valid safetensors, or do not fit the model; the message
    /// names <paramref name="source"/>, and for a misfit the layer, the weight and both shapes.</exception>
    public static void AssignWeights(Model model, byte[] bytes, string source)
    {
        var header = SafeTensors.ReadHeader(bytes, source);
        if (!model.Built)
        {
            if (header.Entries.Count == 0) return;
            if (!header.Metadata.TryGetValue("input_shape", out var shapeJson))
                throw new InvalidOperationException(
                    $"Model \"{model.Name}\" is not built, and '{source}' does not record an input shape. Build it first: model.Build([...]).");
            JsonNode? shapeNode;
            try { shapeNode = JsonNode.Parse(shapeJson); }
            catch (JsonException) { shapeNode = JsonValue.Create(shapeJson); }
            long[] inputShape = InputShape(shapeNode, source);
            try
            {
                using (LoadBudget.Begin(source, header))
                    model.BuildChecked(inputShape, () => CheckFits(model, header, source));
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException(
                    $"'{source}' does not fit model \"{model.Name}\": built for the input shape {Shapes.Format(inputShape)} the file records, " +
                    $"{e.Message}", e);
            }
            Copy(model, bytes, header);
            if (model.IsCompiled) model.Place();
            return;
        }
        CheckFits(model, header, source);
        Copy(model, bytes, header);
    }

    private static void CheckFits(Model model, SafeTensors.Header header, string source)
    {
        var targets = model.state_dict();
        var byName = header.Entries.ToDictionary(e => e.Name);
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
            var entry = byName[name];
            string dtype = SafeTensors.DTypeName(target.dtype);
            if (!entry.Shape.SequenceEqual(target.shape) || entry.DType != dtype)
                throw new InvalidDataException(
                    $"'{source}' does not fit model \"{model.Name}\": {Describe(name)} has shape {Shapes.Format(target.shape)} " +
                    $"({dtype}) in the model but shape {Shapes.Format(entry.Shape)} ({entry.DType}) in the file.");
        }

        static string Describe(string key)
        {
            int dot = key.LastIndexOf('.');
            return dot < 0 ? $"weight \"{key}\"" : $"layer \"{key[..dot]}\" weight \"{key[(dot + 1)..]}\"";
        }
    }

    /// <summary>Copies checked tensors in, one at a time (a new CPU tensor each, so at most one extra copy is held).</summary>
    private static void Copy(Model model, byte[] bytes, SafeTensors.Header header)
    {
        var byName = header.Entries.ToDictionary(e => e.Name);
        using var noGrad = no_grad();
        foreach (var (name, target) in model.state_dict())
        {
            using var value = SafeTensors.ReadTensor(bytes, header, byName[name]);
            target.copy_(value);
        }
    }

    /// <summary>Loads a weights file (safetensors, or the weights of a model file) into a model.</summary>
    public static void LoadWeights(Model model, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var file = new FileInfo(path);
        if (!file.Exists) throw new FileNotFoundException($"No weights file at '{path}'.", path);
        if (file.Length > MaxTensorEntryBytes)
            throw new InvalidDataException(
                $"'{path}' has {file.Length} bytes; Sequential reads weights files of up to {MaxTensorEntryBytes} bytes (one .NET array).");
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length >= 4 && bytes[0] == (byte)'P' && bytes[1] == (byte)'K')
        {
            // A whole model file: take its weights (after its sizes and checksums are verified).
            bytes = Read(path).Weights;
        }
        AssignWeights(model, bytes, path);
    }
}
