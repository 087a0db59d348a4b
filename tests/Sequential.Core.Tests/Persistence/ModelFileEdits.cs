using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sequential.Core.Tests.Persistence;

/// <summary>Edits saved model files the way a corrupted disk or a hostile author would, for the loading tests.</summary>
internal static class ModelFileEdits
{
    public static byte[] ReadEntry(string path, string name)
    {
        using var zip = ZipFile.OpenRead(path);
        using var stream = zip.GetEntry(name)!.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>Replaces (or adds) an entry; with <paramref name="updateManifest"/> its size and SHA-256 in the manifest
    /// are made to match, so that only the content itself can be what a loader rejects.</summary>
    public static void WriteEntry(string path, string name, byte[] data, bool updateManifest = true,
        CompressionLevel level = CompressionLevel.Fastest)
    {
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            zip.GetEntry(name)?.Delete();
            using var stream = zip.CreateEntry(name, level).Open();
            stream.Write(data);
        }
        if (updateManifest)
            RewriteJson(path, "manifest.json", manifest => manifest["entries"]![name] = new JsonObject
            {
                ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(data)),
                ["size"] = data.Length,
            }, updateManifest: false);
    }

    public static void RewriteJson(string path, string name, Action<JsonObject> change, bool updateManifest = true)
    {
        var json = JsonNode.Parse(ReadEntry(path, name))!.AsObject();
        change(json);
        WriteEntry(path, name, Encoding.UTF8.GetBytes(json.ToJsonString(new JsonSerializerOptions { WriteIndented = true })),
            updateManifest && name != "manifest.json");
    }

    /// <summary>
    /// Makes the zip's central directory and local header declare <paramref name="size"/> uncompressed bytes for an entry
    /// (what a zip bomb does: the data stays small), and with <paramref name="method"/> its compression method.
    /// </summary>
    public static void PatchEntryHeaders(string path, string name, uint? size = null, ushort? method = null)
    {
        byte[] bytes = File.ReadAllBytes(path);
        byte[] wanted = Encoding.ASCII.GetBytes(name);
        int patched = 0;
        for (int i = 0; i + 46 < bytes.Length; i++)
        {
            uint signature = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i));
            if (signature == 0x02014b50 && bytes.AsSpan(i + 46, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(i + 28))).SequenceEqual(wanted))
            {
                if (size is { } s) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i + 24), s);
                if (method is { } m) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i + 10), m);
                patched++;
            }
            else if (signature == 0x04034b50 && bytes.AsSpan(i + 30, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(i + 26))).SequenceEqual(wanted))
            {
                if (size is { } s) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i + 22), s);
                if (method is { } m) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i + 8), m);
                patched++;
            }
        }
        Assert.That(patched, Is.EqualTo(2), $"{name}: its local header and its central directory record");
        File.WriteAllBytes(path, bytes);
    }
}
