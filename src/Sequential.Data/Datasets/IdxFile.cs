using Sequential.Layers;
using System.Buffers.Binary;
using System.IO.Compression;
using TorchSharp;

namespace Sequential.Data;

/// <summary>
/// Reads IDX files, the format of MNIST, Fashion-MNIST, EMNIST and KMNIST: a big-endian header
/// <c>00 00 08 r</c> (unsigned bytes, <c>r</c> dimensions), <c>r</c> 32-bit sizes, then the bytes in
/// row-major order. Files may be raw or gzip-compressed; compression is recognised from the content,
/// not the file name.
/// </summary>
/// <remarks>Only unsigned-byte IDX files (type code 0x08) are read; that is what every MNIST-format dataset uses.</remarks>
public static class IdxFile
{
    private const byte UnsignedByteType = 0x08;

    /// <summary>Reads an IDX file of unsigned bytes into its shape and its data, in one bulk read.</summary>
    /// <param name="path">The file, raw (<c>train-images-idx3-ubyte</c>) or gzipped (<c>train-images-idx3-ubyte.gz</c>).</param>
    /// <returns>The sizes from the header (for MNIST images <c>[60000, 28, 28]</c>) and the bytes, row-major.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not an unsigned-byte IDX file, is truncated, has bytes
    /// after the data its header announces, or is a damaged gzip stream; the message names the file.</exception>
    public static (int[] Shape, byte[] Data) Read(string path) => Read(path, expectedRank: null);

    /// <summary>
    /// Reads an IDX file of unsigned bytes into a <c>uint8</c> tensor of the shape its header gives
    /// (for MNIST images <c>[N, 28, 28]</c>, for labels <c>[N]</c>).
    /// </summary>
    /// <param name="path">The file, raw or gzipped.</param>
    /// <returns>A new CPU tensor of dtype <c>uint8</c>; the caller owns it.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">As for <see cref="Read(string)"/>.</exception>
    public static torch.Tensor ReadTensor(string path)
    {
        Backend.EnsureNativeLoaded();
        var (shape, data) = Read(path);
        return ToTensor(shape, data);
    }

    internal static (int[] Shape, byte[] Data) Read(string path, int? expectedRank)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"IDX file '{path}' does not exist.", path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        return Read(file, path, expectedRank);
    }

    /// <summary>Reads from <paramref name="stream"/> (raw or gzipped, seekable); <paramref name="name"/> is used in errors.</summary>
    internal static (int[] Shape, byte[] Data) Read(Stream stream, string name, int? expectedRank)
    {
        try
        {
            if (!IsGzip(stream)) return ReadIdx(stream, name, expectedRank);
            using var gzip = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
            return ReadIdx(gzip, name, expectedRank);
        }
        catch (InvalidDataException e) when (!e.Message.Contains(name, StringComparison.Ordinal))
        {
            // GZipStream's own message does not say which file is damaged.
            throw new InvalidDataException(
                $"'{name}' is not a valid gzip file ({e.Message}). Download it again, or store it uncompressed.", e);
        }
    }

    internal static torch.Tensor ToTensor(int[] shape, byte[] data)
        => torch.tensor(data, Array.ConvertAll(shape, d => (long)d), dtype: torch.ScalarType.Byte);

    private static bool IsGzip(Stream stream)
    {
        if (!stream.CanSeek) return false;
        long start = stream.Position;
        Span<byte> head = stackalloc byte[2];
        int got = ReadFully(stream, head);
        stream.Position = start;
        return got == 2 && head[0] == 0x1F && head[1] == 0x8B;
    }

    private static (int[] Shape, byte[] Data) ReadIdx(Stream stream, string name, int? expectedRank)
    {
        Span<byte> magic = stackalloc byte[4];
        int got = ReadFully(stream, magic);
        int rank = magic[3];
        bool valid = got == 4 && magic[0] == 0 && magic[1] == 0 && magic[2] == UnsignedByteType && rank > 0
                     && (expectedRank is null || rank == expectedRank);
        if (!valid)
            throw new InvalidDataException(
                $"'{name}' is not {(expectedRank is { } r ? $"a {r}-D" : "an")} IDX file of unsigned bytes: " +
                $"its first bytes are {(got == 0 ? "(none, the file is empty)" : Convert.ToHexString(magic[..got]))}, " +
                $"expected the header {ExpectedHeader(expectedRank)}. Check that the file is the one named and " +
                "that the download completed.");

        var sizeBytes = new byte[4 * rank];
        got = ReadFully(stream, sizeBytes);
        if (got < sizeBytes.Length)
            throw new InvalidDataException(
                $"'{name}' is truncated: its {rank}-D IDX header needs {4 + sizeBytes.Length} bytes but the file holds " +
                $"only {4 + got}. Download it again.");
        var shape = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(sizeBytes.AsSpan(4 * i));
            count *= size;
            if (size > int.MaxValue || count > Array.MaxLength)
                throw new InvalidDataException(
                    $"'{name}': the IDX header announces sizes too large to be real ({size} in dimension {i}); " +
                    "the file is damaged or not an IDX file.");
            shape[i] = (int)size;
        }

        long headerLength = 4 + sizeBytes.Length;
        var data = new byte[count];
        got = ReadFully(stream, data);
        if (got < count)
            throw new InvalidDataException(
                $"'{name}' is truncated: its header announces shape {Shapes.Format(shape.Select(d => (long)d))}, that is " +
                $"{headerLength + count} bytes, but the file holds {headerLength + got} bytes" +
                " (after decompression). Download it again.");
        if (stream.ReadByte() >= 0)
            throw new InvalidDataException(
                $"'{name}' holds more bytes than its header announces (shape {Shapes.Format(shape.Select(d => (long)d))}, " +
                $"{headerLength + count} bytes): it is damaged or two files were concatenated.");
        return (shape, data);
    }

    private static string ExpectedHeader(int? rank) => rank switch
    {
        1 => "0x00000801 (00 00 08 01: unsigned bytes, 1-D, as in label files)",
        3 => "0x00000803 (00 00 08 03: unsigned bytes, 3-D, as in image files)",
        { } r => $"0x000008{r:X2} (unsigned bytes, {r}-D)",
        null => "0x000008NN: 00 00 08 then the number of dimensions, e.g. 0x00000801 for labels, 0x00000803 for images",
    };

    private static int ReadFully(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer[total..]);
            if (n == 0) break;
            total += n;
        }
        return total;
    }
}
