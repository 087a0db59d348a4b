using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;

namespace Sequential.Data.Tests.Datasets;

/// <summary>
/// Writes <c>.npy</c>/<c>.npz</c> files and CIFAR batches in the formats Keras's datasets come in: numpy 1.24's
/// <c>write_array</c> byte for byte (checked against numpy in <see cref="NpyFileTests"/>), zip members as
/// <c>np.savez</c> names them, CIFAR's batches as the dictionaries cPickle protocol 2 wrote.
/// </summary>
internal static class NumpyTestFiles
{
    /// <summary>numpy's version 1.0 header: the dict literal padded with spaces so data starts at a multiple of 64.</summary>
    public static byte[] NpyHeader(string descriptor, long[] shape, bool fortranOrder = false)
    {
        string shapeText = shape.Length == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape) + ")";
        string dict = $"{{'descr': '{descriptor}', 'fortran_order': {(fortranOrder ? "True" : "False")}, 'shape': {shapeText}, }}";
        int padding = 64 - (dict.Length + 1 + 10) % 64;
        string header = dict + new string(' ', padding) + "\n";
        var bytes = new byte[10 + header.Length];
        byte[] magic = [0x93, .. "NUMPY"u8];
        magic.CopyTo(bytes, 0);
        bytes[6] = 1;
        bytes[7] = 0;
        BitConverter.TryWriteBytes(bytes.AsSpan(8, 2), (ushort)header.Length);
        Encoding.Latin1.GetBytes(header).CopyTo(bytes, 10);
        return bytes;
    }

    public static byte[] Npy(string descriptor, long[] shape, byte[] data) => [.. NpyHeader(descriptor, shape), .. data];

    public static byte[] Float64Npy(double[] values, params long[] shape)
        => Npy("<f8", shape.Length == 0 ? [values.Length] : shape, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    public static byte[] Float32Npy(float[] values, params long[] shape)
        => Npy("<f4", shape.Length == 0 ? [values.Length] : shape, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    public static byte[] Int64Npy(long[] values) => Npy("<i8", [values.Length], MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    /// <summary><c>np.save</c> of a 1-D object array of lists of ints, as numpy 1.24 on Python 3 writes it (protocol 3).</summary>
    public static byte[] ObjectNpy(IReadOnlyList<long[]> sequences, bool python2 = false)
    {
        var pickle = (python2 ? PickleBuilder.Start(2, python2: true) : PickleBuilder.Start())
            .Array("O8", '|', [sequences.Count], b => b.List(sequences, (items, s) => items.IntList(s)))
            .Stop();
        return [.. NpyHeader("|O", [sequences.Count]), .. pickle];
    }

    public static byte[] ObjectNpy(IReadOnlyList<int[]> sequences)
        => ObjectNpy([.. sequences.Select(s => s.Select(v => (long)v).ToArray())]);

    /// <summary>A zip of <c>NAME.npy</c> members, stored (<c>np.savez</c>) or deflated (<c>np.savez_compressed</c>).</summary>
    public static byte[] Npz(bool compressed, params (string Name, byte[] Npy)[] members)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, npy) in members)
            {
                var entry = zip.CreateEntry(name + ".npy", compressed ? CompressionLevel.Fastest : CompressionLevel.NoCompression);
                using var stream = entry.Open();
                stream.Write(npy);
            }
        return memory.ToArray();
    }

    public static byte[] ImdbNpz(int[][] xTrain, long[] yTrain, int[][] xTest, long[] yTest)
        => Npz(true, ("x_train", ObjectNpy(xTrain)), ("y_train", Int64Npy(yTrain)), ("x_test", ObjectNpy(xTest)),
            ("y_test", Int64Npy(yTest)));

    /// <summary>
    /// A CIFAR python batch: <c>{'batch_label': ..., labelKey: [labels], 'data': uint8 array (N, 3072), 'filenames': [...]}</c>
    /// as cPickle protocol 2 on Python 2 wrote it (or as Python 3's protocol 3 when <paramref name="python2"/> is false).
    /// </summary>
    public static byte[] CifarPickle(byte[] pixels, IReadOnlyList<(string Key, long[] Labels)> labelLists, bool python2 = true)
    {
        int count = pixels.Length / 3072;
        var builder = python2 ? PickleBuilder.Start(2, python2: true) : PickleBuilder.Start();
        builder.Op('}').Put().Op('(');
        builder.Text("data").Array("u1", '|', [count, 3072], b => b.Bytes(pixels));
        foreach (var (key, labels) in labelLists) builder.Text(key).IntList(labels);
        builder.Text("batch_label").Text("training batch 1 of 5");
        builder.Text("filenames").List(Enumerable.Range(0, count).ToArray(), (b, i) => b.Text($"image_{i}.png"));
        return builder.Op('u').Stop();
    }

    /// <summary>CIFAR's binary version: per image the label byte(s) then 3,072 pixel bytes.</summary>
    public static byte[] CifarBinary(byte[] pixels, params long[][] labelColumns)
    {
        int count = pixels.Length / 3072;
        var bytes = new List<byte>();
        for (int i = 0; i < count; i++)
        {
            foreach (var column in labelColumns) bytes.Add((byte)column[i]);
            bytes.AddRange(pixels.AsSpan(i * 3072, 3072).ToArray());
        }
        return [.. bytes];
    }

    public static string NewTempFolder() => IdxTestFiles.NewTempFolder();

    public static string Write(string folder, string relativePath, byte[] bytes)
    {
        string path = Path.Combine(folder, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
