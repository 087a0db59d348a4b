using System.Runtime.InteropServices;
using Sequential.IO;
using SkiaSharp;

namespace Sequential.Data;

/// <summary>
/// Encodes a <see cref="PixelImage"/> with SkiaSharp and writes it through <see cref="AtomicFile"/>, for
/// <see cref="PixelImage.Save"/> and <see cref="Utils.SaveImg"/>. PNG, JPEG and WebP: the formats SkiaSharp encodes.
/// </summary>
internal static class ImageEncoder
{
    /// <summary>Pillow's default JPEG quality, so a saved JPEG has the size and artefacts Keras users expect.</summary>
    private const int JpegQuality = 75;

    /// <summary>Pillow's default WebP quality.</summary>
    private const int WebpQuality = 80;

    internal static void Save(PixelImage image, string path, string? fileFormat)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var format = Format(path, fileFormat);
        if (format == SKEncodedImageFormat.Jpeg && image.Channels == 4)
        {
            // Keras's save_img: "The JPEG format does not support RGBA images, converting to RGB."
            Console.Error.WriteLine($"Warning: '{path}': the JPEG format does not support RGBA images, converting to RGB (alpha dropped).");
            image = WithoutAlpha(image);
        }
        using var data = Encode(image, format);
        AtomicFile.Write(path, stream => data.SaveTo(stream));
    }

    /// <summary>The format from <paramref name="fileFormat"/>, or else from the extension, as Keras's <c>save_img</c>.</summary>
    private static SKEncodedImageFormat Format(string path, string? fileFormat)
    {
        string name = (fileFormat ?? Path.GetExtension(path).TrimStart('.')).ToLowerInvariant();
        return name switch
        {
            "png" => SKEncodedImageFormat.Png,
            "jpg" or "jpeg" => SKEncodedImageFormat.Jpeg,
            "webp" => SKEncodedImageFormat.Webp,
            "" => throw new ArgumentException(
                $"Cannot tell the image format of '{path}': give it an extension (.png, .jpg, .webp) or pass fileFormat.", nameof(fileFormat)),
            _ => throw new ArgumentException(
                $"Cannot save '{path}' as \"{name}\": Sequential writes png, jpg/jpeg and webp (SkiaSharp's encoders). " +
                "Pick one of those extensions or pass fileFormat.", nameof(fileFormat)),
        };
    }

    private static SKData Encode(PixelImage image, SKEncodedImageFormat format)
    {
        int w = image.Width, h = image.Height;
        var (colorType, alphaType, bytesPerPixel) = image.Channels switch
        {
            1 => (SKColorType.Gray8, SKAlphaType.Opaque, 1),
            3 => (SKColorType.Rgba8888, SKAlphaType.Opaque, 4),
            _ => (SKColorType.Rgba8888, SKAlphaType.Unpremul, 4),
        };
        var info = new SKImageInfo(w, h, colorType, alphaType);
        byte[] pixels = image.Data;
        if (image.Channels == 3)
        {
            // Skia has no 3-byte pixel format: pad each pixel with an opaque alpha (Skia's JPEG encoder refuses Rgb888x).
            pixels = new byte[checked(w * h * 4)];
            for (int i = 0, j = 0; i < image.Data.Length; i += 3, j += 4)
            {
                pixels[j] = image.Data[i];
                pixels[j + 1] = image.Data[i + 1];
                pixels[j + 2] = image.Data[i + 2];
                pixels[j + 3] = 255;
            }
        }
        var handle = GCHandle.Alloc(pixels, GCHandleType.Pinned);
        try
        {
            using var pixmap = new SKPixmap(info, handle.AddrOfPinnedObject(), w * bytesPerPixel);
            int quality = format == SKEncodedImageFormat.Jpeg ? JpegQuality : format == SKEncodedImageFormat.Webp ? WebpQuality : 100;
            return pixmap.Encode(format, quality)
                ?? throw new InvalidOperationException($"SkiaSharp could not encode a {w}x{h} {image.ColorMode} image as {format}.");
        }
        finally
        {
            handle.Free();
        }
    }

    private static PixelImage WithoutAlpha(PixelImage image)
    {
        var rgb = new byte[checked(image.Height * image.Width * 3)];
        for (int i = 0, j = 0; j < rgb.Length; i += 4, j += 3)
        {
            rgb[j] = image.Data[i];
            rgb[j + 1] = image.Data[i + 1];
            rgb[j + 2] = image.Data[i + 2];
        }
        return new PixelImage(image.Height, image.Width, "rgb", rgb);
    }
}
