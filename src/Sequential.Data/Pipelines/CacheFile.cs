using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sequential.Persistence;
using static TorchSharp.torch;

namespace Sequential.Data;

/// <summary>
/// The file <see cref="Dataset.Cache(string)"/> writes: a header, then one record per element. The file is read as
/// hostile: every size is checked against the bytes that are really there before anything is allocated, and each
/// record carries a SHA-256 of its bytes, so a truncated, corrupted or forged file is refused, never read as numbers.
/// </summary>
/// <remarks>
/// <para>Header (24 bytes): <c>SQDCACHE</c>, format version (int32 LE, 1), zero (int32), element count (int64 LE).</para>
/// <para>Record: payload length (int64 LE), the payload, the payload's SHA-256 (32 bytes). The payload is a safetensors
/// document (the format model files use, read by the same checked reader) holding the element's tensors, named by
/// their path (<c>x</c>, <c>x['age']</c>, <c>y</c>), and in its metadata under <c>structure</c> the element's shape as
/// JSON: <c>{"x": node, "y": node or null}</c>, a node being <c>{"tensor": name}</c>,
/// <c>{"strings": {"shape": [...], "values": [...]}}</c> or <c>{"dict": [[name, node], ...]}</c>.</para>
/// </remarks>
internal static class CacheFile
{
    public static ReadOnlySpan<byte> Magic => "SQDCACHE"u8;

    public const int Version = 1;

    public const int HeaderBytes = 24;

    /// <summary>Offset of the element count in the header (written last, when the pass is complete).</summary>
    public const int CountOffset = 16;

    public const int HashBytes = 32;

    /// <summary>Nesting of dictionaries a file may describe (JSON depth, well above any real element).</summary>
    private const int MaxDepth = 32;

    /// <summary>The payload of one element.</summary>
    public static byte[] Encode(Element element)
    {
        var tensors = new List<(string, Tensor)>();
        var made = new List<Tensor>();
        try
        {
            var structure = new JsonObject
            {
                ["x"] = Node(element.X, "x", tensors, made),
                ["y"] = element.Y is null ? null : Node(element.Y, "y", tensors, made),
            };
            try
            {
                return SafeTensors.Write(tensors, new Dictionary<string, string> { ["structure"] = structure.ToJsonString() });
            }
            catch (NotSupportedException e)
            {
                throw new InvalidOperationException($"Cache(filename) cannot store this element {element}: {e.Message} Cache it in memory with Cache() instead.", e);
            }
        }
        finally
        {
            foreach (var t in made) t.Dispose();
        }
    }

    private static JsonNode Node(Component component, string path, List<(string, Tensor)> tensors, List<Tensor> made)
    {
        switch (component.Kind)
        {
            case ComponentKind.Tensor:
                Tensor t;
                if (component.IsSlice)
                {
                    t = component.Source.select(0, component.Row);
                    made.Add(t);
                }
                else t = component.Tensor;
                tensors.Add((path, t));
                return new JsonObject { ["tensor"] = path };
            case ComponentKind.Strings:
                return new JsonObject
                {
                    ["strings"] = new JsonObject
                    {
                        ["shape"] = new JsonArray([.. component.Strings.Shape.Select(d => (JsonNode)d)]),
                        ["values"] = new JsonArray([.. component.Strings.Select(s => (JsonNode)s)]),
                    },
                };
            default:
                return new JsonObject
                {
                    ["dict"] = new JsonArray([.. component.Dictionary.Select(p =>
                        (JsonNode)new JsonArray(p.Key, Node(p.Value, $"{path}['{p.Key}']", tensors, made)))]),
                };
        }
    }

    /// <summary>The element of a payload whose hash was checked; its tensors are new CPU tensors owned by the caller.</summary>
    /// <exception cref="InvalidDataException">The payload is not a valid element; the message names <paramref name="source"/>.</exception>
    public static Element Decode(byte[] payload, string source)
    {
        var (tensors, metadata) = SafeTensors.Read(payload, source);
        var byName = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (entry, tensor) in tensors) byName[entry.Name] = Owned.Detach(tensor);
        var used = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            if (!metadata.TryGetValue("structure", out var text))
                throw new InvalidDataException($"{source} has no element structure");
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = MaxDepth * 3 + 2 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("x", out var x) || !root.TryGetProperty("y", out var y))
                throw new InvalidDataException($"{source} has an element structure without x and y");
            var element = new Element(Read(x, byName, used, source, 0),
                y.ValueKind == JsonValueKind.Null ? null : Read(y, byName, used, source, 0));
            if (used.Count != byName.Count)
                throw new InvalidDataException($"{source} holds tensors its structure does not use ({string.Join(", ", byName.Keys.Except(used))})");
            return element;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException or FormatException or OverflowException or KeyNotFoundException)
        {
            foreach (var t in byName.Values) t.Dispose();
            throw new InvalidDataException($"{source} has an invalid element structure ({e.Message})", e);
        }
        catch
        {
            foreach (var t in byName.Values) t.Dispose();
            throw;
        }
    }

    private static Component Read(JsonElement node, Dictionary<string, Tensor> tensors, HashSet<string> used, string source, int depth)
    {
        if (depth > MaxDepth) throw new InvalidDataException($"{source} nests dictionaries deeper than {MaxDepth}");
        if (node.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{source} has a structure node that is not an object");
        if (node.TryGetProperty("tensor", out var name))
        {
            string key = name.GetString() ?? "";
            if (!tensors.TryGetValue(key, out var tensor)) throw new InvalidDataException($"{source} refers to a tensor '{key}' it does not hold");
            if (!used.Add(key)) throw new InvalidDataException($"{source} uses the tensor '{key}' twice");
            return new Component(tensor);
        }
        if (node.TryGetProperty("strings", out var strings))
        {
            long[] shape = [.. strings.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64())];
            var values = strings.GetProperty("values");
            if (shape.Any(d => d < 0) || SafeTensors.Elements(shape) != values.GetArrayLength())
                throw new InvalidDataException($"{source} has strings whose shape [{string.Join(", ", shape)}] does not match their {values.GetArrayLength()} values");
            return new Component(StringTensor.Wrap([.. values.EnumerateArray().Select(v => v.GetString() ?? throw new InvalidDataException($"{source} has a null string"))], shape));
        }
        if (node.TryGetProperty("dict", out var entries))
        {
            var list = new List<KeyValuePair<string, Component>>();
            foreach (var entry in entries.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Array || entry.GetArrayLength() != 2)
                    throw new InvalidDataException($"{source} has a dictionary entry that is not [name, node]");
                list.Add(new(entry[0].GetString() ?? "", Read(entry[1], tensors, used, source, depth + 1)));
            }
            return new Component(list);
        }
        throw new InvalidDataException($"{source} has a structure node of no known kind");
    }

    /// <summary>Writes the 24-byte header with <paramref name="count"/> elements.</summary>
    public static byte[] Header(long count)
    {
        var header = new byte[HeaderBytes];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), Version);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(CountOffset), count);
        return header;
    }
}
