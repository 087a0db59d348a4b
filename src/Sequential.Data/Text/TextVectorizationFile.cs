using System.Text.Json;
using System.Text.Json.Nodes;
using Sequential.IO;
using Sequential.Layers;

namespace Sequential.Data;

/// <summary>
/// Saves and loads a <see cref="TextVectorization"/> with its vocabulary, so that a model trained on its output can be
/// used on raw text later: save the model with <c>model.Save</c> and the layer with <see cref="Save"/>, load both, and call
/// <c>model.Predict(vectorize.Apply(texts))</c> (Keras keeps the layer inside the model; here tensors cannot hold strings).
/// </summary>
/// <remarks>
/// The file is one JSON object, <c>{"format": "sequential.text_vectorization",
/// "format_version": 1, "config": {...}}</c>, whose config has Keras's <c>get_config</c> keys (<c>max_tokens</c>,
/// <c>standardize</c>, <c>split</c>, <c>ngrams</c>, <c>output_mode</c>, <c>output_sequence_length</c>,
/// <c>pad_to_max_tokens</c>) and the state Keras keeps in its assets: <c>vocabulary</c> (with the special entries) and
/// <c>idf_weights</c> (one per vocabulary entry, tf_idf only), plus <c>has_input_vocabulary</c>.
/// </remarks>
/// <example>
/// <code>
/// model.Save("sentiment.seqmodel");
/// vectorize.Save("sentiment.vectorize.json");
/// // later, elsewhere:
/// var model = Model.Load("sentiment.seqmodel");
/// var vectorize = TextVectorizationFile.Load("sentiment.vectorize.json");
/// Tensor scores = model.Predict(vectorize.Apply(["The movie was great!"]));
/// </code>
/// </example>
public static class TextVectorizationFile
{
    /// <summary>The <c>format</c> value of the file.</summary>
    public const string FormatName = "sequential.text_vectorization";

    /// <summary>The <c>format_version</c> this library writes and reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>The largest file <see cref="Load"/> reads (1 GiB; a vocabulary of millions of tokens is tens of MB).</summary>
    public const long MaxFileBytes = 1L << 30;

    /// <summary>Saves the layer's settings, vocabulary and tf_idf weights to one JSON file, atomically.</summary>
    /// <param name="layer">The layer.</param>
    /// <param name="path">The file, e.g. <c>vectorize.json</c>.</param>
    /// <exception cref="NotSupportedException">The layer has a standardizeFunction or splitFunction (code is not saved).</exception>
    /// <exception cref="InvalidOperationException">No vocabulary yet.</exception>
    /// <exception cref="IOException">The file could not be written; a previous file is unchanged.</exception>
    /// <example><code>vectorize.Save("vectorize.json");</code></example>
    public static void Save(this TextVectorization layer, string path)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (layer.StandardizeFunction is not null || layer.SplitFunction is not null)
            throw new NotSupportedException(
                "This TextVectorization has a custom standardize or split function, which a file cannot hold. Save its vocabulary " +
                "(GetVocabulary(), and IdfWeights for tf_idf) and create the layer again with the same function and that vocabulary.");
        layer.EnsureVocabulary();
        var config = new JsonObject
        {
            ["max_tokens"] = layer.MaxTokens,
            ["standardize"] = layer.Standardize,
            ["split"] = layer.Split,
            ["ngrams"] = layer.Ngrams is { } n ? new JsonArray([.. n.Select(w => (JsonNode?)w)]) : null,
            ["output_mode"] = layer.OutputMode,
            ["output_sequence_length"] = layer.OutputSequenceLength,
            ["pad_to_max_tokens"] = layer.PadToMaxTokens,
            ["has_input_vocabulary"] = layer.HasInputVocabulary,
            ["vocabulary"] = new JsonArray([.. layer.GetVocabulary().Select(t => (JsonNode?)t)]),
            ["idf_weights"] = layer.IdfWeights is { } idf
                ? new JsonArray([.. idf.Take(layer.VocabularySize()).Select(w => (JsonNode?)w)])
                : null,
        };
        var file = new JsonObject { ["format"] = FormatName, ["format_version"] = FormatVersion, ["config"] = config };
        AtomicFile.Write(path, stream =>
        {
            using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
            file.WriteTo(writer);
        });
    }

    /// <summary>Loads a layer saved by <see cref="Save"/>: the same settings, vocabulary and weights, ready to Apply.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The layer. An adapted layer can be adapted again; one made with a vocabulary cannot (as before saving).</returns>
    /// <exception cref="InvalidDataException">The file is not one <see cref="Save"/> wrote, is larger than
    /// <see cref="MaxFileBytes"/>, or holds settings the constructor refuses; the message names the file and why.</exception>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <example><code>var vectorize = TextVectorizationFile.Load("vectorize.json");</code></example>
    public static TextVectorization Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        byte[] bytes;
        using (var handle = File.OpenHandle(path))
        {
            long length = RandomAccess.GetLength(handle);
            if (length > MaxFileBytes)
                throw new InvalidDataException(
                    $"'{path}' has {length:N0} bytes, more than a TextVectorization file may ({MaxFileBytes:N0}); it is not one this library wrote.");
            bytes = new byte[length];
            int read = 0;
            while (read < bytes.Length)
            {
                int n = RandomAccess.Read(handle, bytes.AsSpan(read), read);
                if (n == 0) break;
                read += n;
            }
            if (read != bytes.Length) throw Bad(path, "the file ended early");
        }
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not a TextVectorization file: it is not valid JSON ({e.Message}).", e);
        }
        if (root is not JsonObject file || Text(file, "format", path) != FormatName)
            throw Bad(path, $"its \"format\" is not \"{FormatName}\"");
        if (file["format_version"] is not JsonValue version || !version.TryGetValue(out int v) || v != FormatVersion)
            throw Bad(path, $"its format_version is {file["format_version"]?.ToJsonString() ?? "missing"}; this library reads version {FormatVersion} " +
                "(a newer file needs a newer Sequential)");
        if (file["config"] is not JsonObject config) throw Bad(path, "it has no \"config\" object");
        try
        {
            var vocabulary = Strings(config, "vocabulary", path) ?? throw Bad(path, "its config has no \"vocabulary\"");
            var idf = config["idf_weights"] is JsonArray weights ? weights.Select(w => Number(w, "idf_weights", path)).ToList() : null;
            bool given = Flag(config, "has_input_vocabulary", path);
            var layer = new TextVectorization(
                maxTokens: Integer(config, "max_tokens", path),
                standardize: Text(config, "standardize", path),
                split: Text(config, "split", path),
                outputMode: Text(config, "output_mode", path) ?? throw Bad(path, "its config has no \"output_mode\""),
                outputSequenceLength: Integer(config, "output_sequence_length", path),
                padToMaxTokens: Flag(config, "pad_to_max_tokens", path),
                ngramWidths: config["ngrams"] is JsonArray widths
                    ? [.. widths.Select(w => w is JsonValue x && x.TryGetValue(out int i) ? i : throw Bad(path, "\"ngrams\" holds a value that is not an integer"))]
                    : null,
                vocabulary: given ? vocabulary : null,
                idfWeights: given ? idf : null);
            if (!given) layer.SetVocabulary(vocabulary, idf);
            return layer;
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"'{path}' holds a TextVectorization that cannot be made again: {e.Message}", e);
        }
    }

    private static InvalidDataException Bad(string path, string why) =>
        new($"'{path}' is not a TextVectorization file this library reads: {why}.");

    private static string? Text(JsonObject o, string key, string path) => o[key] switch
    {
        null => null,
        JsonValue value when value.TryGetValue(out string? s) => s,
        _ => throw Bad(path, $"\"{key}\" is not a string"),
    };

    private static int? Integer(JsonObject o, string key, string path) => o[key] switch
    {
        null => null,
        JsonValue value when value.TryGetValue(out int i) => i,
        _ => throw Bad(path, $"\"{key}\" is not an integer"),
    };

    private static bool Flag(JsonObject o, string key, string path) => o[key] switch
    {
        null => false,
        JsonValue value when value.TryGetValue(out bool b) => b,
        _ => throw Bad(path, $"\"{key}\" is not true or false"),
    };

    private static double Number(JsonNode? node, string key, string path) =>
        node is JsonValue value && value.TryGetValue(out double d) && double.IsFinite(d) ? d : throw Bad(path, $"\"{key}\" holds a value that is not a finite number");

    private static List<string>? Strings(JsonObject o, string key, string path) => o[key] switch
    {
        null => null,
        JsonArray array => [.. array.Select(t => t is JsonValue value && value.TryGetValue(out string? s) ? s : throw Bad(path, $"\"{key}\" holds a value that is not a string"))],
        _ => throw Bad(path, $"\"{key}\" is not a list"),
    };
}
