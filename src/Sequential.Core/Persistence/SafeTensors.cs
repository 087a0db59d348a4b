using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Persistence;

/// <summary>
/// Reads and writes the safetensors format (Hugging Face; readable by Python's <c>safetensors.torch.load_file</c>):
/// an 8-byte little-endian header length, a JSON header <c>{name: {dtype, shape, data_offsets}}</c> padded with
/// spaces to a multiple of 8 bytes, then the raw little-endian tensor data.
/// </summary>
internal static class SafeTensors
{
    private static readonly (ScalarType type, string name, int size)[] DTypes =
    [
        (ScalarType.Float32, "F32", 4), (ScalarType.Float64, "F64", 8), (ScalarType.Float16, "F16", 2),
        (ScalarType.BFloat16, "BF16", 2), (ScalarType.Int64, "I64", 8), (ScalarType.Int32, "I32", 4),
        (ScalarType.Int16, "I16", 2), (ScalarType.Int8, "I8", 1), (ScalarType.Byte, "U8", 1), (ScalarType.Bool, "BOOL", 1),
    ];

    /// <summary>The safetensors name of a dtype, e.g. <c>F32</c>.</summary>
    public static string DTypeName(ScalarType type) =>
        DTypes.FirstOrDefault(d => d.type == type).name ?? throw new NotSupportedException($"dtype {type} cannot be saved as safetensors.");

    /// <summary>Serialises tensors, in the given order, to safetensors bytes.</summary>
    public static byte[] Write(IEnumerable<(string name, Tensor tensor)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("Saving tensors needs a little-endian machine.");
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
            header["__metadata__"] = new JsonObject(metadata.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value))));
        var blobs = new List<byte[]>();
        long offset = 0;
        foreach (var (name, tensor) in tensors)
        {
            using var cpu = tensor.detach().cpu().contiguous();
            byte[] data = cpu.bytes.ToArray();
            header[name] = new JsonObject
            {
                ["dtype"] = DTypeName(cpu.dtype),
                ["shape"] = new JsonArray(cpu.shape.Select(d => (JsonNode?)JsonValue.Create(d)).ToArray()),
                ["data_offsets"] = new JsonArray(JsonValue.Create(offset), JsonValue.Create(offset + data.Length)),
            };
            offset += data.Length;
            blobs.Add(data);
        }
        byte[] json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8;
        var output = new byte[8 + padded + offset];
        BinaryPrimitives.WriteUInt64LittleEndian(output, (ulong)padded);
        json.CopyTo(output, 8);
        output.AsSpan(8 + json.Length, padded - json.Length).Fill((byte)' ');
        long position = 8 + padded;
        foreach (var blob in blobs)
        {
            blob.CopyTo(output, position);
            position += blob.Length;
        }
        return output;
    }

    /// <summary>A tensor entry of a safetensors header.</summary>
    public sealed record Entry(string Name, string DType, long[] Shape, long Begin, long End);

    /// <summary>A checked safetensors header: its tensors (in header order), metadata, where the data starts, and how
    /// many values the tensors hold in all.</summary>
    public sealed record Header(List<Entry> Entries, Dictionary<string, string> Metadata, long DataStart, long TotalValues);

    /// <summary>The largest header read, as Hugging Face's reference reader allows: a header beyond it is refused
    /// before it is parsed.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>
    /// Parses and checks a safetensors header without allocating any tensor: a header of at most
    /// <see cref="MaxHeaderBytes"/>; unique tensor names; known dtypes; shapes of non-negative sizes whose element
    /// and byte counts fit in 64 bits (checked arithmetic); offsets that match each tensor's byte size and that
    /// tile the data section exactly, without gaps or overlaps (as the reference reader requires).
    /// </summary>
    /// <exception cref="InvalidDataException">The bytes are not a valid safetensors file; the message names
    /// <paramref name="source"/> and, where one is at fault, the tensor.</exception>
    public static Header ReadHeader(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length < 8) throw Corrupt(source, $"it has {bytes.Length} bytes, fewer than the 8-byte header length");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > MaxHeaderBytes)
            throw Corrupt(source, $"its header claims {headerLength} bytes, more than the {MaxHeaderBytes} a safetensors header may have");
        if (headerLength > (ulong)(bytes.Length - 8))
            throw Corrupt(source, $"its header claims {headerLength} bytes but only {bytes.Length - 8} follow (truncated?)");
        long dataStart = 8 + (long)headerLength;
        long dataLength = bytes.Length - dataStart;
        var entries = new List<Entry>();
        var metadata = new Dictionary<string, string>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            // JsonDocument, not JsonNode: it keeps duplicate names, which are then refused by name below.
            using var document = JsonDocument.Parse(bytes.Slice(8, (int)headerLength).ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw Corrupt(source, "its header is not a JSON object");
            foreach (var property in document.RootElement.EnumerateObject())
            {
                string name = property.Name;
                if (!names.Add(name))
                    throw Corrupt(source, name == "__metadata__" ? "its header has __metadata__ twice" : $"tensor '{name}' appears twice in its header");
                if (name == "__metadata__")
                {
                    if (property.Value.ValueKind != JsonValueKind.Object) throw Corrupt(source, "its __metadata__ is not an object of strings");
                    foreach (var item in property.Value.EnumerateObject())
                        metadata[item.Name] = item.Value.ValueKind == JsonValueKind.String
                            ? item.Value.GetString()!
                            : throw Corrupt(source, $"its __metadata__ value '{item.Name}' is not a string");
                    continue;
                }
                entries.Add(ReadEntry(name, property.Value, dataLength, source));
            }
        }
        catch (JsonException e)
        {
            throw Corrupt(source, $"its header is not valid JSON ({e.Message})");
        }
        // The tensors must tile the data section: sorted by offset, each starts where the previous one ended.
        long position = 0;
        foreach (var entry in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (entry.Begin != position)
                throw Corrupt(source, entry.Begin < position
                    ? $"tensor '{entry.Name}' has data offsets [{entry.Begin}, {entry.End}] that overlap another tensor's data"
                    : $"tensor '{entry.Name}' starts at data offset {entry.Begin}, leaving bytes {position} to {entry.Begin} unused");
            position = entry.End;
        }
        if (position != dataLength)
            throw Corrupt(source, $"its tensors hold {position} bytes but {dataLength} data bytes follow the header");
        long total = 0;
        foreach (var entry in entries) total += Elements(entry.Shape); // each fits, and all of them fit in the data bytes
        return new Header(entries, metadata, dataStart, total);
    }

    private static Entry ReadEntry(string name, JsonElement json, long dataLength, string source)
    {
        if (json.ValueKind != JsonValueKind.Object) throw Corrupt(source, $"tensor '{name}' is not described by an object");
        if (!json.TryGetProperty("dtype", out var dtypeJson) || dtypeJson.ValueKind != JsonValueKind.String)
            throw Corrupt(source, $"tensor '{name}' has no dtype");
        string dtype = dtypeJson.GetString()!;
        var known = DTypes.FirstOrDefault(d => d.name == dtype);
        if (known.name is null) throw Corrupt(source, $"tensor '{name}' has unsupported dtype {dtype}");
        long[] shape = Integers(json, "shape", name, source);
        if (shape.Any(d => d < 0))
            throw Corrupt(source, $"tensor '{name}' has shape [{string.Join(", ", shape)}] with a negative size");
        long byteCount;
        try
        {
            byteCount = checked(Elements(shape) * known.size);
        }
        catch (OverflowException)
        {
            throw Corrupt(source, $"tensor '{name}' has shape [{string.Join(", ", shape)}], whose size does not fit in 64 bits");
        }
        long[] offsets = Integers(json, "data_offsets", name, source);
        if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength || offsets[1] - offsets[0] != byteCount)
            throw Corrupt(source,
                $"tensor '{name}' has data offsets [{string.Join(", ", offsets)}] that do not fit its {byteCount} bytes ({dtype} " +
                $"[{string.Join(", ", shape)}]) or the {dataLength} data bytes (truncated?)");
        return new Entry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] Integers(JsonElement json, string property, string tensor, string source)
    {
        if (!json.TryGetProperty(property, out var array) || array.ValueKind != JsonValueKind.Array)
            throw Corrupt(source, $"tensor '{tensor}' has no {property} array");
        var values = new long[array.GetArrayLength()];
        int i = 0;
        foreach (var item in array.EnumerateArray())
            values[i++] = item.ValueKind == JsonValueKind.Number && item.TryGetInt64(out long value)
                ? value
                : throw Corrupt(source, $"tensor '{tensor}' has {property} value {item.GetRawText()}, not a 64-bit integer");
        return values;
    }

    /// <summary>
    /// The element count of a shape of non-negative sizes, with checked arithmetic. A zero size does not hide an
    /// overflow of the others (libtorch checks the product of all sizes itself and would fail inside native code).
    /// </summary>
    /// <exception cref="OverflowException">The product of the non-zero sizes does not fit in a long.</exception>
    public static long Elements(IReadOnlyList<long> shape)
    {
        long product = 1;
        bool zero = false;
        foreach (long size in shape)
        {
            if (size == 0) zero = true;
            else product = checked(product * size);
        }
        return zero ? 0 : product;
    }

    /// <summary>Reads every tensor into new CPU tensors (nothing existing is touched), in header order.</summary>
    public static (List<(Entry entry, Tensor tensor)> tensors, Dictionary<string, string> metadata) Read(byte[] bytes, string source)
    {
        var header = ReadHeader(bytes, source);
        var result = new List<(Entry, Tensor)>();
        try
        {
            foreach (var entry in header.Entries) result.Add((entry, ReadTensor(bytes, header, entry)));
        }
        catch
        {
            foreach (var (_, tensor) in result) tensor.Dispose();
            throw;
        }
        return (result, header.Metadata);
    }

    /// <summary>Reads one tensor of a checked header into a new CPU tensor.</summary>
    public static Tensor ReadTensor(byte[] bytes, Header header, Entry entry)
    {
        var type = DTypes.First(d => d.name == entry.DType).type;
        var tensor = empty(entry.Shape, type);
        // ReadHeader checked that the offsets lie inside the array, so these fit in an int.
        tensor.bytes = bytes.AsSpan(checked((int)(header.DataStart + entry.Begin)), checked((int)(entry.End - entry.Begin)));
        return tensor;
    }

    private static InvalidDataException Corrupt(string source, string why) =>
        new($"'{source}' is not a valid safetensors file: {why}. The file may be truncated or corrupted; save it again.");
}
