using System.Globalization;
using System.Runtime.InteropServices;
using SkiaSharp;

namespace Sequential.Data;

/// <summary>
/// Decodes one image file with SkiaSharp into channels-last floats in [0, 255], resized to the target size the
/// way Keras's <c>load_img</c> does (no aspect-ratio preservation), honouring the EXIF orientation.
/// </summary>
/// <remarks>
/// JPEG, PNG, BMP, GIF (first frame) and WebP; palette, grayscale, CMYK and alpha inputs are converted by Skia
/// to RGBA first. A JPEG at least twice as large as the target in both directions is decoded at 1/2, 1/4 or 1/8
/// scale (libjpeg's DCT scaling, as PIL's <c>draft</c>) so a huge photo never costs its full size in memory;
/// the result can differ from Keras's full-size decode by the resampling. JPEG pixels come from the system's SIMD
/// libjpeg-turbo when a trusted one is installed (<see cref="TurboJpeg"/>: the same pixels, faster), else from SkiaSharp.
/// Every file is hostile: <see cref="ImageFile"/> reads regular files of bounded size only, and an image whose
/// header claims more than <c>maxImagePixels</c> pixels is refused before any pixel buffer is allocated.
/// </remarks>
internal static class ImageDecoder
{
    /// <summary>File extensions read by <c>FlowFromDirectory</c>, lower case with the dot.</summary>
    internal static readonly string[] Extensions = [".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"];

    /// <summary>The interpolations accepted for resizing.</summary>
    internal static readonly string[] Interpolations = ["nearest", "bilinear", "bicubic"];

    /// <summary>The most pixels <c>maxImagePixels</c> may allow: their RGBA bytes must fit one span (2 GiB).</summary>
    internal const long MaxDecodablePixels = int.MaxValue / 4;

    /// <summary>Decodes <paramref name="path"/> into <paramref name="dest"/> (<c>[height, width, channels]</c>).</summary>
    /// <returns>Null on success, else why the file is not a usable image.</returns>
    internal static string? Load(string path, int height, int width, int channels, string interpolation,
        long maxFileBytes, long maxImagePixels, Span<float> dest)
    {
        if (ImageFile.Read(path, maxFileBytes, out var data) is { } unreadable)
            return unreadable;
        using (data)
            return Decode(data!, height, width, channels, interpolation, maxImagePixels, dest);
    }

    /// <summary>Decodes encoded image bytes into <paramref name="dest"/>.</summary>
    internal static string? Decode(byte[] bytes, int height, int width, int channels, string interpolation, Span<float> dest,
        long maxImagePixels = ImageDataGenerator.DefaultMaxImagePixels)
    {
        using var data = SKData.CreateCopy(bytes);
        return Decode(data, height, width, channels, interpolation, maxImagePixels, dest);
    }

    /// <summary>
    /// Decodes encoded image bytes into <paramref name="dest"/>, refusing from the header alone an image of more
    /// than <paramref name="maxImagePixels"/> pixels. The working buffers are native memory freed before returning,
    /// so nothing the size of a decoded image outlives the call (a pooled array would stay cached per thread).
    /// </summary>
    internal static unsafe string? Decode(SKData? data, int height, int width, int channels, string interpolation,
        long maxImagePixels, Span<float> dest)
    {
        if (Open(data, maxImagePixels, out var opened) is { } refused)
            return refused;
        using var codec = opened!;
        var header = codec.Info.Size;
        long pixels = (long)header.Width * header.Height;

        var origin = codec.EncodedOrigin;
        bool transposed = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop
            or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        // The size wanted in the stored (not yet oriented) frame.
        int needW = transposed ? height : width, needH = transposed ? width : height;
        var size = header;
        if (codec.EncodedFormat == SKEncodedImageFormat.Jpeg)
        {
            foreach (float scale in (ReadOnlySpan<float>)[0.125f, 0.25f, 0.5f])
            {
                var scaled = codec.GetScaledDimensions(scale);
                if (scaled.Width >= needW && scaled.Height >= needH)
                {
                    size = scaled;
                    break;
                }
            }
        }
        int sw = size.Width, sh = size.Height;
        if (sw <= 0 || sh <= 0 || (long)sw * sh > pixels)
            return "has no pixels";
        // pixels <= maxImagePixels <= MaxDecodablePixels, so these fit an int; checked in case that ever changes.
        int storedBytes = checked(sw * sh * 4), resizedBytes = checked(width * height * 4);

        var info = new SKImageInfo(sw, sh, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        byte* stored = null, oriented = null, resized = null;
        try
        {
            stored = (byte*)NativeMemory.Alloc((nuint)storedBytes);
            var result = codec.EncodedFormat == SKEncodedImageFormat.Jpeg && TurboJpeg.TryDecode((byte*)data!.Data, data.Size, stored, sw, sh)
                ? SKCodecResult.Success
                : codec.GetPixels(info, (IntPtr)stored);
            if (result != SKCodecResult.Success)
                return result == SKCodecResult.IncompleteInput
                    ? "truncated (the image data ends early)"
                    : $"cannot be decoded ({result})";
            var storedSpan = new ReadOnlySpan<byte>(stored, storedBytes);

            int dw = transposed ? sh : sw, dh = transposed ? sw : sh;
            if (interpolation == "nearest")
            {
                if (origin is SKEncodedOrigin.TopLeft or SKEncodedOrigin.Default)
                {
                    Nearest(storedSpan, sw, sh, height, width, channels, dest);
                    return null;
                }
                // One pass: orientation and PIL's nearest-neighbour sampling (pixel centres) together.
                for (int oy = 0; oy < height; oy++)
                {
                    int dy = Math.Min((int)((oy + 0.5) * dh / height), dh - 1);
                    for (int ox = 0; ox < width; ox++)
                    {
                        int dx = Math.Min((int)((ox + 0.5) * dw / width), dw - 1);
                        var (x, y) = Stored(origin, dx, dy, sw, sh);
                        WritePixel(storedSpan, (y * sw + x) * 4, dest, (oy * width + ox) * channels, channels);
                    }
                }
                return null;
            }

            byte* display = stored;
            if (origin != SKEncodedOrigin.TopLeft && origin != SKEncodedOrigin.Default)
            {
                oriented = (byte*)NativeMemory.Alloc((nuint)storedBytes);
                Orient(storedSpan, new Span<byte>(oriented, storedBytes), origin, sw, sh);
                display = oriented;
            }
            resized = (byte*)NativeMemory.Alloc((nuint)resizedBytes);
            var sampling = interpolation == "bicubic"
                ? new SKSamplingOptions(SKCubicResampler.CatmullRom)
                : new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None);
            using (var from = new SKPixmap(new SKImageInfo(dw, dh, SKColorType.Rgba8888, SKAlphaType.Unpremul), (IntPtr)display))
            using (var to = new SKPixmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul), (IntPtr)resized))
            {
                if (!from.ScalePixels(to, sampling))
                    return "cannot be resized";
            }
            var resizedSpan = new ReadOnlySpan<byte>(resized, resizedBytes);
            for (int i = 0; i < width * height; i++)
                WritePixel(resizedSpan, i * 4, dest, i * channels, channels);
            return null;
        }
        catch (OutOfMemoryException)
        {
            return $"cannot be decoded: its {sw}x{sh} pixels need {ImageFile.Bytes(storedBytes)} and there is not that much memory free";
        }
        finally
        {
            NativeMemory.Free(stored);
            NativeMemory.Free(oriented);
            NativeMemory.Free(resized);
        }
    }

    /// <summary>
    /// Opens a codec on encoded image bytes and judges the image by its header alone, before anything is decoded or
    /// allocated (Pillow's MAX_IMAGE_PIXELS check). A JPEG decoded at 1/8 scale is still judged by its full size, as
    /// Pillow judges it.
    /// </summary>
    /// <returns>Null with the codec (the caller disposes it), else why the bytes are not a usable image.</returns>
    private static string? Open(SKData? data, long maxImagePixels, out SKCodec? codec)
    {
        codec = data is null || data.IsEmpty ? null : SKCodec.Create(data);
        if (codec is null)
            return "not a recognised image (JPEG, PNG, BMP, GIF or WebP)";
        var header = codec.Info.Size;
        long pixels = (long)header.Width * header.Height;
        string? refused = header.Width <= 0 || header.Height <= 0 ? "has no pixels"
            : pixels > maxImagePixels
                ? $"its header claims {header.Width}x{header.Height} = {Count(pixels)} pixels, more than maxImagePixels " +
                  $"({Count(maxImagePixels)}) allows (a decompression bomb?); pass a larger maxImagePixels to FlowFromDirectory if the file is trusted"
                : null;
        if (refused is not null)
        {
            codec.Dispose();
            codec = null;
        }
        return refused;
    }

    /// <summary>
    /// Decodes encoded image bytes at full size, EXIF orientation applied, into 8-bit RGBA rows (what Pillow's
    /// <c>Image.open</c> then <c>convert("RGBA")</c> give, with the orientation Keras leaves out): for
    /// <c>load_img</c>, which resizes afterwards with Pillow's own filters.
    /// </summary>
    /// <param name="data">The encoded bytes.</param>
    /// <param name="maxImagePixels">The most pixels the header may claim.</param>
    /// <param name="rgba">The pixels, <c>height * width * 4</c> bytes, row by row; null when refused.</param>
    /// <param name="height">The displayed height (after orientation).</param>
    /// <param name="width">The displayed width.</param>
    /// <returns>Null on success, else why the bytes are not a usable image.</returns>
    internal static unsafe string? DecodeFull(SKData? data, long maxImagePixels, out byte[]? rgba, out int height, out int width)
    {
        rgba = null;
        height = width = 0;
        if (Open(data, maxImagePixels, out var opened) is { } refused)
            return refused;
        using var codec = opened!;
        int sw = codec.Info.Width, sh = codec.Info.Height;
        byte[] stored;
        try
        {
            // pixels <= maxImagePixels <= MaxDecodablePixels, so the bytes fit an array; checked in case that changes.
            stored = new byte[checked(sw * sh * 4)];
        }
        catch (OutOfMemoryException)
        {
            return $"cannot be decoded: its {sw}x{sh} pixels need {ImageFile.Bytes(4L * sw * sh)} and there is not that much memory free";
        }
        var info = new SKImageInfo(sw, sh, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        SKCodecResult result;
        fixed (byte* pixels = stored)
            result = codec.EncodedFormat == SKEncodedImageFormat.Jpeg && TurboJpeg.TryDecode((byte*)data!.Data, data.Size, pixels, sw, sh)
                ? SKCodecResult.Success
                : codec.GetPixels(info, stored);
        if (result != SKCodecResult.Success)
            return result == SKCodecResult.IncompleteInput ? "truncated (the image data ends early)" : $"cannot be decoded ({result})";
        var origin = codec.EncodedOrigin;
        if (origin is SKEncodedOrigin.TopLeft or SKEncodedOrigin.Default)
        {
            (rgba, height, width) = (stored, sh, sw);
            return null;
        }
        bool transposed = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop
            or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var oriented = new byte[stored.Length];
        Orient(stored, oriented, origin, sw, sh);
        (rgba, height, width) = (oriented, transposed ? sw : sh, transposed ? sh : sw);
        return null;
    }

    /// <summary>
    /// Nearest-neighbour sampling at pixel centres of an upright RGBA image into channels-last floats, the same source
    /// pixels as the oriented loop picks, with each column's source offset computed once per image rather than per pixel.
    /// </summary>
    private static void Nearest(ReadOnlySpan<byte> rgba, int sw, int sh, int height, int width, int channels, Span<float> dest)
    {
        int[] columns = System.Buffers.ArrayPool<int>.Shared.Rent(width);
        try
        {
            for (int ox = 0; ox < width; ox++)
                columns[ox] = Math.Min((int)((ox + 0.5) * sw / width), sw - 1) * 4;
            for (int oy = 0; oy < height; oy++)
            {
                int dy = Math.Min((int)((oy + 0.5) * sh / height), sh - 1);
                var row = rgba.Slice(dy * sw * 4, sw * 4);
                var to = dest.Slice(oy * width * channels, width * channels);
                if (channels == 3)
                {
                    for (int ox = 0, o = 0; ox < width; ox++, o += 3)
                    {
                        int i = columns[ox];
                        to[o] = row[i];
                        to[o + 1] = row[i + 1];
                        to[o + 2] = row[i + 2];
                    }
                }
                else
                {
                    for (int ox = 0; ox < width; ox++)
                        WritePixel(row, columns[ox], to, ox * channels, channels);
                }
            }
        }
        finally
        {
            System.Buffers.ArrayPool<int>.Shared.Return(columns);
        }
    }

    /// <summary>Copies stored RGBA pixels (<paramref name="sw"/> x <paramref name="sh"/>) into their displayed places under an EXIF orientation.</summary>
    private static void Orient(ReadOnlySpan<byte> stored, Span<byte> oriented, SKEncodedOrigin origin, int sw, int sh)
    {
        bool transposed = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop
            or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        int dw = transposed ? sh : sw, dh = transposed ? sw : sh;
        for (int dy = 0; dy < dh; dy++)
            for (int dx = 0; dx < dw; dx++)
            {
                var (x, y) = Stored(origin, dx, dy, sw, sh);
                stored.Slice((y * sw + x) * 4, 4).CopyTo(oriented.Slice((dy * dw + dx) * 4, 4));
            }
    }

    /// <summary>"89,478,485", invariant digits grouped.</summary>
    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>The stored pixel shown at displayed position (dx, dy) under an EXIF orientation.</summary>
    private static (int x, int y) Stored(SKEncodedOrigin origin, int dx, int dy, int sw, int sh) => origin switch
    {
        SKEncodedOrigin.TopRight => (sw - 1 - dx, dy),
        SKEncodedOrigin.BottomRight => (sw - 1 - dx, sh - 1 - dy),
        SKEncodedOrigin.BottomLeft => (dx, sh - 1 - dy),
        SKEncodedOrigin.LeftTop => (dy, dx),
        SKEncodedOrigin.RightTop => (dy, sh - 1 - dx),
        SKEncodedOrigin.RightBottom => (sw - 1 - dy, sh - 1 - dx),
        SKEncodedOrigin.LeftBottom => (sw - 1 - dy, dx),
        _ => (dx, dy),
    };

    /// <summary>PIL's "L" luma of the RGBA pixel at <paramref name="i"/> (ITU-R 601-2, 16-bit fixed point, rounded): 0 to 255.</summary>
    internal static byte Luma(ReadOnlySpan<byte> rgba, int i) =>
        (byte)((rgba[i] * 19595 + rgba[i + 1] * 38470 + rgba[i + 2] * 7471 + 0x8000) >> 16);

    /// <summary>One RGBA pixel to 1 (PIL's "L" luma), 3 (alpha dropped, as PIL's convert("RGB")) or 4 floats.</summary>
    internal static void WritePixel(ReadOnlySpan<byte> rgba, int i, Span<float> dest, int o, int channels)
    {
        switch (channels)
        {
            case 1:
                dest[o] = Luma(rgba, i);
                break;
            case 3:
                dest[o] = rgba[i];
                dest[o + 1] = rgba[i + 1];
                dest[o + 2] = rgba[i + 2];
                break;
            default:
                dest[o] = rgba[i];
                dest[o + 1] = rgba[i + 1];
                dest[o + 2] = rgba[i + 2];
                dest[o + 3] = rgba[i + 3];
                break;
        }
    }
}
