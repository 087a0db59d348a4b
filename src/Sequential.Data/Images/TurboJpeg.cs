using System.Runtime.InteropServices;

namespace Sequential.Data;

/// <summary>
/// JPEG decoding through the system's libjpeg-turbo TurboJPEG library (Debian's <c>libturbojpeg0</c>), which is built
/// with its SIMD code; SkiaSharp's bundled libjpeg-turbo is not, and decodes the same file about 1.5-1.8x slower. The
/// same libjpeg-turbo (2.1) with the same settings (accurate integer DCT, fancy upsampling) gives the same pixels, so
/// this is only a faster route to <see cref="ImageDecoder"/>'s result; the tests compare the two pixel for pixel.
/// </summary>
/// <remarks>
/// Security: the library is loaded only by absolute path from the distribution's library folders, and only when the
/// file, the link to it and every folder above them belong to root and are writable by nobody else, so no user-writable
/// place (the working folder, <c>LD_LIBRARY_PATH</c>, the application folder) can put code into the process. Without such
/// a library, or with <c>SEQUENTIAL_JPEG_DECODER=skia</c> in the environment, every JPEG goes through SkiaSharp as before.
/// A file TurboJPEG refuses or warns about (corrupt data, more than 500 progressive scans) is decoded again by SkiaSharp,
/// so errors and their messages are SkiaSharp's.
/// </remarks>
internal static unsafe class TurboJpeg
{
    /// <summary>Where Debian, Ubuntu and Fedora-style systems install TurboJPEG; nowhere else is looked at.</summary>
    private static readonly string[] Candidates =
    [
        "/usr/lib/x86_64-linux-gnu/libturbojpeg.so.0",
        "/usr/lib/aarch64-linux-gnu/libturbojpeg.so.0",
        "/usr/lib64/libturbojpeg.so.0",
        "/usr/lib/libturbojpeg.so.0",
    ];

    private const int PixelFormatRgba = 7;          // TJPF_RGBA: alpha filled with 0xFF
    private const int ColorspaceRgb = 0, ColorspaceYCbCr = 1, ColorspaceGray = 2;
    private const int FlagStopOnWarning = 8192;     // TJFLAG_STOPONWARNING: a warning fails the call (SkiaSharp retries)
    private const int FlagLimitScans = 32768;       // TJFLAG_LIMITSCANS: refuse more than 500 progressive scans

    /// <summary>The loaded library's entry points (TurboJPEG 2.x API, still exported by 3.x).</summary>
    private sealed class Api(IntPtr library, string path)
    {
        public readonly string Path = path;
        public readonly delegate* unmanaged<IntPtr> InitDecompress = (delegate* unmanaged<IntPtr>)NativeLibrary.GetExport(library, "tjInitDecompress");
        public readonly delegate* unmanaged<IntPtr, byte*, nuint, int*, int*, int*, int*, int> DecompressHeader3 =
            (delegate* unmanaged<IntPtr, byte*, nuint, int*, int*, int*, int*, int>)NativeLibrary.GetExport(library, "tjDecompressHeader3");
        public readonly delegate* unmanaged<IntPtr, byte*, nuint, byte*, int, int, int, int, int, int> Decompress2 =
            (delegate* unmanaged<IntPtr, byte*, nuint, byte*, int, int, int, int, int, int>)NativeLibrary.GetExport(library, "tjDecompress2");
        public readonly delegate* unmanaged<IntPtr, int> Destroy = (delegate* unmanaged<IntPtr, int>)NativeLibrary.GetExport(library, "tjDestroy");
    }

    private static readonly Lazy<Api?> Loaded = new(Load);

    /// <summary>Off switch for tests and benchmarks (the SkiaSharp path, as before); on by default.</summary>
    internal static bool Enabled { get; set; } =
        !string.Equals(Environment.GetEnvironmentVariable("SEQUENTIAL_JPEG_DECODER"), "skia", StringComparison.OrdinalIgnoreCase);

    /// <summary>The library's resolved path when it was found and trusted, else null.</summary>
    internal static string? LibraryPath => Loaded.Value?.Path;

    /// <summary>
    /// Decodes <paramref name="jpeg"/> into <paramref name="rgba"/> (<paramref name="width"/> x <paramref name="height"/>
    /// 8-bit RGBA rows, the stored frame: no EXIF orientation), at the DCT scale that gives exactly that size.
    /// </summary>
    /// <returns>False, with nothing promised about <paramref name="rgba"/>, when TurboJPEG is absent, disabled, or does not
    /// decode this file cleanly at that size: the caller then decodes with SkiaSharp.</returns>
    internal static bool TryDecode(byte* jpeg, long length, byte* rgba, int width, int height)
    {
        if (!Enabled || length <= 0 || Loaded.Value is not { } api)
            return false;
        IntPtr handle = api.InitDecompress();
        if (handle == IntPtr.Zero)
            return false;
        try
        {
            int fullWidth, fullHeight, subsampling, colorspace;
            if (api.DecompressHeader3(handle, jpeg, (nuint)length, &fullWidth, &fullHeight, &subsampling, &colorspace) != 0)
                return false;
            // CMYK and YCCK (Adobe's inverted conventions) stay with SkiaSharp, which converts them to RGB.
            if (colorspace is not (ColorspaceYCbCr or ColorspaceGray or ColorspaceRgb) || !ScaleGives(fullWidth, fullHeight, width, height))
                return false;
            return api.Decompress2(handle, jpeg, (nuint)length, rgba, width, checked(width * 4), height, PixelFormatRgba,
                FlagStopOnWarning | FlagLimitScans) == 0;
        }
        finally
        {
            api.Destroy(handle);
        }
    }

    /// <summary>Whether one of libjpeg-turbo's scales n/8 (TJSCALED: rounded up) turns the full size into exactly the wanted one.</summary>
    private static bool ScaleGives(int fullWidth, int fullHeight, int width, int height)
    {
        for (int n = 1; n <= 8; n++)
            if ((fullWidth * (long)n + 7) / 8 == width && (fullHeight * (long)n + 7) / 8 == height)
                return true;
        return false;
    }

    private static Api? Load() => Sequential.IO.SystemLibrary.Load(Candidates, (library, path) => new Api(library, path));

    /// <summary>Whether only root could have put <paramref name="path"/> there or can change it (Core's check, shared with
    /// the MPI loader).</summary>
    internal static bool RootOwned(string path) => Sequential.IO.Posix.RootOwned(path);
}
