using System.Buffers.Binary;
using System.IO.Compression;

namespace Sequential.Data.Tests.Datasets;

/// <summary>Writes small IDX files (and temporary folders for them) for the tests.</summary>
internal static class IdxTestFiles
{
    public static byte[] Idx(byte[] data, params int[] shape)
    {
        var bytes = new byte[4 + 4 * shape.Length + data.Length];
        bytes[2] = 0x08;
        bytes[3] = (byte)shape.Length;
        for (int i = 0; i < shape.Length; i++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), shape[i]);
        data.CopyTo(bytes, 4 + 4 * shape.Length);
        return bytes;
    }

    public static byte[] Gzip(byte[] bytes)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest))
            gzip.Write(bytes);
        return memory.ToArray();
    }

    /// <summary>Deterministic pseudo-random pixels.</summary>
    public static byte[] Pixels(int count, int seed)
    {
        var data = new byte[count];
        new Random(seed).NextBytes(data);
        return data;
    }

    /// <summary>Writes the four MNIST files for <paramref name="train"/> and <paramref name="test"/> images
    /// (labels are i % 10), gzipped or raw as asked.</summary>
    public static void WriteDataset(string folder, int train, int test, bool gzip, int seed = 1)
    {
        Directory.CreateDirectory(folder);
        foreach (var (prefix, n) in new[] { ("train", train), ("t10k", test) })
        {
            Write(Path.Combine(folder, $"{prefix}-images-idx3-ubyte"), Idx(Pixels(n * 784, seed + n), n, 28, 28), gzip);
            Write(Path.Combine(folder, $"{prefix}-labels-idx1-ubyte"),
                Idx([.. Enumerable.Range(0, n).Select(i => (byte)(i % 10))], n), gzip);
        }
    }

    public static void Write(string pathWithoutGz, byte[] bytes, bool gzip)
    {
        if (gzip) File.WriteAllBytes(pathWithoutGz + ".gz", Gzip(bytes));
        else File.WriteAllBytes(pathWithoutGz, bytes);
    }

    public static string NewTempFolder()
    {
        string folder = Path.Combine(Path.GetTempPath(), "sequential-data-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }
}
