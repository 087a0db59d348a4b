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

    /// <summary>Parses and checks a safetensors header; every offset is checked against the data size.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a complete safetensors file; the message names <paramref name="source"/>.</exception>
    public static (List<Entry> entries, Dictionary<string, string> metadata, long dataStart) ReadHeader(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length < 8) throw Corrupt(source, $"it has {bytes.Length} bytes, fewer than the 8-byte header length");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > (ulong)(bytes.Length - 8))
            throw Corrupt(source, $"its header claims {headerLength} bytes but only {bytes.Length - 8} follow (truncated?)");
        JsonObject header;
        try
        {
            header = JsonNode.Parse(bytes.Slice(8, (int)headerLength))?.AsObject() ?? throw Corrupt(source, "its header is not a JSON object");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw Corrupt(source, $"its header is not valid JSON ({e.Message})");
        }
        long dataStart = 8 + (long)headerLength;
        long dataLength = bytes.Length - dataStart;
        var entries = new List<Entry>();
        var metadata = new Dictionary<string, string>();
        try
        {
            foreach (var (name, node) in header)
            {
                if (name == "__metadata__")
                {
                    foreach (var (key, value) in node!.AsObject()) metadata[key] = value!.GetValue<string>();
                    continue;
                }
                var o = node!.AsObject();
                string dtype = o["dtype"]!.GetValue<string>();
                long[] shape = o["shape"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
                var offsets = o["data_offsets"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
                var known = DTypes.FirstOrDefault(d => d.name == dtype);
                if (known.name is null) throw Corrupt(source, $"tensor '{name}' has unsupported dtype {dtype}");
                long expected = shape.Aggregate(1L, (a, b) => a * b) * known.size;
                if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength || offsets[1] - offsets[0] != expected)
                    throw Corrupt(source, $"tensor '{name}' has data offsets [{string.Join(", ", offsets)}] that do not fit its shape or the {dataLength} data bytes (truncated?)");
                entries.Add(new Entry(name, dtype, shape, offsets[0], offsets[1]));
            }
        }
        catch (Exception e) when (e is InvalidOperationException or NullReferenceException or FormatException)
        {
            throw Corrupt(source, $"its header does not follow the safetensors layout ({e.Message})");
        }
        return (entries, metadata, dataStart);
    }

    /// <summary>Reads every tensor into new CPU tensors (nothing existing is touched), in header order.</summary>
    public static (List<(Entry entry, Tensor tensor)> tensors, Dictionary<string, string> metadata) Read(byte[] bytes, string source)
    {
        var (entries, metadata, dataStart) = ReadHeader(bytes, source);
        var result = new List<(Entry, Tensor)>();
        foreach (var entry in entries.OrderBy(e => e.Begin))
        {
            var type = DTypes.First(d => d.name == entry.DType).type;
            var tensor = empty(entry.Shape, type);
            tensor.bytes = bytes.AsSpan((int)(dataStart + entry.Begin), (int)(entry.End - entry.Begin));
            result.Add((entry, tensor));
        }
        return (result, metadata);
    }

    private static InvalidDataException Corrupt(string source, string why) =>
        new($"'{source}' is not a valid safetensors file: {why}. The file may be truncated or corrupted; save it again.");
}
