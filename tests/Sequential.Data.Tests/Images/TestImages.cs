using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using SkiaSharp;

namespace Sequential.Data.Tests;

/// <summary>Writes small real image files with predictable pixels.</summary>
internal static class TestImages
{
    /// <summary>A fresh temporary folder.</summary>
    public static string TempDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "seq-img-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Encodes an image whose pixel (x, y) is <paramref name="color"/>(x, y); PNG, JPEG or WebP.</summary>
    public static byte[] Encode(int w, int h, Func<int, int, SKColor> color, SKEncodedImageFormat format, int quality = 100)
    {
        using var bmp = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                bmp.SetPixel(x, y, color(x, y));
        using var image = SKImage.FromBitmap(bmp);
        using var data = image.Encode(format, quality);
        return data.ToArray();
    }

    /// <summary>Writes a solid-colour image file, creating its folder.</summary>
    public static string Solid(string path, int w, int h, SKColor color, SKEncodedImageFormat format = SKEncodedImageFormat.Png)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, Encode(w, h, (_, _) => color, format));
        return path;
    }

    /// <summary>A 24-bit BMP written by hand (Skia encodes no BMP).</summary>
    public static byte[] Bmp(int w, int h, Func<int, int, (byte r, byte g, byte b)> color)
    {
        int stride = (w * 3 + 3) / 4 * 4, size = 54 + stride * h;
        var b = new byte[size];
        b[0] = (byte)'B'; b[1] = (byte)'M';
        BitConverter.GetBytes(size).CopyTo(b, 2);
        BitConverter.GetBytes(54).CopyTo(b, 10);
        BitConverter.GetBytes(40).CopyTo(b, 14);
        BitConverter.GetBytes(w).CopyTo(b, 18);
        BitConverter.GetBytes(h).CopyTo(b, 22);   // positive: rows stored bottom-up
        BitConverter.GetBytes((short)1).CopyTo(b, 26);
        BitConverter.GetBytes((short)24).CopyTo(b, 28);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                var (r, g, bl) = color(x, y);
                int o = 54 + (h - 1 - y) * stride + x * 3;
                b[o] = bl; b[o + 1] = g; b[o + 2] = r;
            }
        return b;
    }

    /// <summary>A 1x1 GIF89a whose only pixel is pure red (palette [red, black]).</summary>
    public static readonly byte[] RedGif =
    [
        (byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'9', (byte)'a', 1, 0, 1, 0, 0x80, 0, 0,
        0xFF, 0, 0, 0, 0, 0,
        (byte)',', 0, 0, 0, 0, 1, 0, 1, 0, 0,
        2, 2, 0x44, 0x01, 0,
        (byte)';',
    ];

    /// <summary>Inserts an EXIF APP1 segment with the given orientation right after a JPEG's SOI marker.</summary>
    public static byte[] WithExifOrientation(byte[] jpeg, ushort orientation)
    {
        byte[] tiff =
        [
            (byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8,          // big-endian TIFF header, IFD at 8
            0, 1,                                             // one entry
            0x01, 0x12, 0, 3, 0, 0, 0, 1,                     // Orientation, SHORT, count 1
            (byte)(orientation >> 8), (byte)orientation, 0, 0,
            0, 0, 0, 0,                                       // no next IFD
        ];
        byte[] payload = [.. "Exif\0\0"u8.ToArray(), .. tiff];
        int len = payload.Length + 2;
        byte[] app1 = [0xFF, 0xE1, (byte)(len >> 8), (byte)len, .. payload];
        return [.. jpeg[..2], .. app1, .. jpeg[2..]];
    }

    /// <summary>
    /// A PNG of a few hundred bytes whose IHDR claims <paramref name="w"/> x <paramref name="h"/> 8-bit grey pixels,
    /// followed by four rows of zeros: a header-only decompression bomb (the limit is checked before decoding).
    /// </summary>
    public static byte[] PngClaiming(int w, int h)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, w);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), h);
        ihdr[8] = 8;   // bit depth; colour type 0 (grey), deflate, filter 0, not interlaced
        var idat = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionLevel.SmallestSize, leaveOpen: true))
            z.Write(new byte[((long)w + 1) * 4]);
        return [137, 80, 78, 71, 13, 10, 26, 10, .. PngChunk("IHDR", ihdr), .. PngChunk("IDAT", idat.ToArray()), .. PngChunk("IEND", [])];
    }

    /// <summary>A 24-bit BMP header claiming <paramref name="w"/> x <paramref name="h"/>, with 64 bytes of pixels.</summary>
    public static byte[] BmpClaiming(int w, int h)
    {
        var b = new byte[54 + 64];
        b[0] = (byte)'B'; b[1] = (byte)'M';
        BitConverter.GetBytes(b.Length).CopyTo(b, 2);
        BitConverter.GetBytes(54).CopyTo(b, 10);
        BitConverter.GetBytes(40).CopyTo(b, 14);
        BitConverter.GetBytes(w).CopyTo(b, 18);
        BitConverter.GetBytes(h).CopyTo(b, 22);
        BitConverter.GetBytes((short)1).CopyTo(b, 26);
        BitConverter.GetBytes((short)24).CopyTo(b, 28);
        return b;
    }

    /// <summary>One PNG chunk: length, type, data, CRC-32 of type and data.</summary>
    private static byte[] PngChunk(string type, byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        System.Text.Encoding.ASCII.GetBytes(type).CopyTo(chunk, 4);
        data.CopyTo(chunk, 8);
        // PNG's CRC is zlib's CRC-32; eight lines here rather than a package in the tests for it.
        uint crc = ~0u;
        foreach (byte v in chunk.AsSpan(4, 4 + data.Length))
        {
            crc ^= v;
            for (int k = 0; k < 8; k++)
                crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
        }
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), ~crc);
        return chunk;
    }

    /// <summary>Makes a FIFO (named pipe) at <paramref name="path"/>; false where the platform has none.</summary>
    public static bool MakeFifo(string path)
    {
        if (OperatingSystem.IsWindows())
            return false;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return MkFifo(path, 0b110_100_100) == 0;
    }

    [DllImport("libc", EntryPoint = "mkfifo")]
    private static extern int MkFifo([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);

    /// <summary>
    /// Runs <paramref name="action"/> and returns its result, failing the test (not hanging it) if it has not
    /// finished after a minute; a reader stuck opening <paramref name="fifo"/> is then released by opening it for
    /// writing, so the test run goes on.
    /// </summary>
    public static T WithoutHanging<T>(string fifo, Func<T> action)
    {
        var task = Task.Run(action);
        if (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(TimeSpan.FromMinutes(1)))
        {
            Task.Run(() => { using var writer = File.OpenWrite(fifo); });
            Assert.Fail($"still blocked after a minute: the FIFO '{fifo}' was opened for reading");
        }
        return task.GetAwaiter().GetResult();
    }
}
