using System.Buffers;
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
/// the result can differ from Keras's full-size decode by the resampling.
/// </remarks>
internal static class ImageDecoder
{
    /// <summary>File extensions read by <c>FlowFromDirectory</c>, lower case with the dot.</summary>
    internal static readonly string[] Extensions = [".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"];

    /// <summary>The interpolations accepted for resizing.</summary>
    internal static readonly string[] Interpolations = ["nearest", "bilinear", "bicubic"];

    /// <summary>Decodes <paramref name="path"/> into <paramref name="dest"/> (<c>[height, width, channels]</c>).</summary>
    /// <returns>Null on success, else why the file is not a usable image.</returns>
    internal static string? Load(string path, int height, int width, int channels, string interpolation, Span<float> dest)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException e)
        {
            return $"cannot be read: {e.Message}";
        }
        catch (UnauthorizedAccessException e)
        {
            return $"cannot be read: {e.Message}";
        }
        if (bytes.Length == 0)
            return "empty file (0 bytes)";
        return Decode(bytes, height, width, channels, interpolation, dest);
    }

    /// <summary>Decodes encoded image bytes into <paramref name="dest"/>.</summary>
    internal static unsafe string? Decode(byte[] bytes, int height, int width, int channels, string interpolation, Span<float> dest)
    {
        using var data = SKData.CreateCopy(bytes);
        using var codec = data is null ? null : SKCodec.Create(data);
        if (codec is null)
            return "not a recognised image (JPEG, PNG, BMP, GIF or WebP)";

        var origin = codec.EncodedOrigin;
        bool transposed = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop
            or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        // The size wanted in the stored (not yet oriented) frame.
        int needW = transposed ? height : width, needH = transposed ? width : height;
        var size = codec.Info.Size;
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
        if (sw <= 0 || sh <= 0)
            return "has no pixels";

        var info = new SKImageInfo(sw, sh, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        byte[] stored = ArrayPool<byte>.Shared.Rent(sw * sh * 4);
        byte[]? oriented = null;
        byte[]? resized = null;
        try
        {
            SKCodecResult result;
            fixed (byte* p = stored)
                result = codec.GetPixels(info, (IntPtr)p);
            if (result != SKCodecResult.Success)
                return result == SKCodecResult.IncompleteInput
                    ? "truncated (the image data ends early)"
                    : $"cannot be decoded ({result})";

            int dw = transposed ? sh : sw, dh = transposed ? sw : sh;
            if (interpolation == "nearest")
            {
                // One pass: orientation and PIL's nearest-neighbour sampling (pixel centres) together.
                for (int oy = 0; oy < height; oy++)
                {
                    int dy = Math.Min((int)((oy + 0.5) * dh / height), dh - 1);
                    for (int ox = 0; ox < width; ox++)
                    {
                        int dx = Math.Min((int)((ox + 0.5) * dw / width), dw - 1);
                        var (x, y) = Stored(origin, dx, dy, sw, sh);
                        WritePixel(stored, (y * sw + x) * 4, dest, (oy * width + ox) * channels, channels);
                    }
                }
                return null;
            }

            byte[] display = stored;
            if (origin != SKEncodedOrigin.TopLeft && origin != SKEncodedOrigin.Default)
            {
                oriented = ArrayPool<byte>.Shared.Rent(dw * dh * 4);
                for (int dy = 0; dy < dh; dy++)
                    for (int dx = 0; dx < dw; dx++)
                    {
                        var (x, y) = Stored(origin, dx, dy, sw, sh);
                        stored.AsSpan((y * sw + x) * 4, 4).CopyTo(oriented.AsSpan((dy * dw + dx) * 4, 4));
                    }
                display = oriented;
            }
            resized = ArrayPool<byte>.Shared.Rent(width * height * 4);
            var sampling = interpolation == "bicubic"
                ? new SKSamplingOptions(SKCubicResampler.CatmullRom)
                : new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None);
            fixed (byte* src = display)
            fixed (byte* dst = resized)
            {
                using var from = new SKPixmap(new SKImageInfo(dw, dh, SKColorType.Rgba8888, SKAlphaType.Unpremul), (IntPtr)src);
                using var to = new SKPixmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul), (IntPtr)dst);
                if (!from.ScalePixels(to, sampling))
                    return "cannot be resized";
            }
            for (int i = 0; i < width * height; i++)
                WritePixel(resized, i * 4, dest, i * channels, channels);
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(stored);
            if (oriented is not null) ArrayPool<byte>.Shared.Return(oriented);
            if (resized is not null) ArrayPool<byte>.Shared.Return(resized);
        }
    }

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

    /// <summary>One RGBA pixel to 1 (PIL's "L" luma), 3 (alpha dropped, as PIL's convert("RGB")) or 4 floats.</summary>
    private static void WritePixel(byte[] rgba, int i, Span<float> dest, int o, int channels)
    {
        switch (channels)
        {
            case 1:
                dest[o] = (rgba[i] * 19595 + rgba[i + 1] * 38470 + rgba[i + 2] * 7471 + 0x8000) >> 16;
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
