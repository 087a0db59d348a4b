namespace Sequential.Data;

/// <summary>
/// An 8-bit image in memory, rows top to bottom, channels interleaved: what Keras's <c>load_img</c> and
/// <c>array_to_img</c> return as a PIL image, and what <see cref="Utils.ImgToArray"/> turns into a tensor.
/// </summary>
/// <remarks>
/// <see cref="Utils.LoadImg"/> returns this rather than a tensor because Keras code does: <c>img = load_img(...)</c>,
/// then <c>x = img_to_array(img)</c>, then a batch axis (<c>np.array([x])</c> or <c>expand_dims</c>); keeping the two
/// steps keeps those lines as they are. Bytes, as PIL holds them, take a quarter of the memory of float32 pixels and no
/// native (libtorch) memory, so an image loaded only to be looked at, cropped or saved costs little.
/// </remarks>
/// <example>
/// Keras's <c>img = keras.utils.load_img(path, target_size=(180, 180))</c>, <c>img.size</c>, <c>img.save("small.png")</c>:
/// <code>
/// PixelImage img = LoadImg(path, targetSize: (180, 180));
/// var (width, height) = img.Size;        // (180, 180), PIL's (width, height) order
/// img.Save("small.png");
/// </code>
/// </example>
public sealed class PixelImage
{
    /// <summary>Wraps pixels as an image.</summary>
    /// <param name="height">Rows, at least 1.</param>
    /// <param name="width">Columns, at least 1.</param>
    /// <param name="colorMode">"grayscale" (1 channel), "rgb" (3) or "rgba" (4), as Keras's <c>color_mode</c>.</param>
    /// <param name="pixels"><c>height * width * channels</c> bytes, row by row, channels interleaved; kept, not copied.</param>
    /// <exception cref="ArgumentException">A size is not positive, the color mode is unknown, or the byte count does not match.</exception>
    public PixelImage(int height, int width, string colorMode, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(colorMode);
        ArgumentNullException.ThrowIfNull(pixels);
        if (height < 1 || width < 1)
            throw new ArgumentException($"PixelImage: height and width must be positive; got {height}x{width}.", nameof(height));
        Channels = ChannelsOf(colorMode, nameof(colorMode));
        if ((long)height * width * Channels != pixels.LongLength)
            throw new ArgumentException(
                $"PixelImage: a {height}x{width} {colorMode} image has {(long)height * width * Channels} bytes; got {pixels.LongLength}.",
                nameof(pixels));
        Height = height;
        Width = width;
        ColorMode = colorMode;
        Data = pixels;
    }

    /// <summary>Rows.</summary>
    public int Height { get; }

    /// <summary>Columns.</summary>
    public int Width { get; }

    /// <summary>1, 3 or 4.</summary>
    public int Channels { get; }

    /// <summary>"grayscale", "rgb" or "rgba".</summary>
    public string ColorMode { get; }

    /// <summary>(width, height), in the order of PIL's <c>img.size</c>.</summary>
    public (int Width, int Height) Size => (Width, Height);

    /// <summary>The pixels: <see cref="Height"/> rows of <see cref="Width"/> pixels of <see cref="Channels"/> bytes.</summary>
    public ReadOnlyMemory<byte> Pixels => Data;

    internal byte[] Data { get; }

    /// <summary>Writes the image as PNG, JPEG or WebP, atomically (PIL's <c>img.save(path)</c>).</summary>
    /// <param name="path">The file; its extension picks the format unless <paramref name="fileFormat"/> is given.</param>
    /// <param name="fileFormat">"png", "jpeg" (or "jpg") or "webp"; null reads the extension.</param>
    /// <exception cref="ArgumentException">The format is not one of those.</exception>
    /// <exception cref="IOException">The file could not be written (the message says why); a previous file is unchanged.</exception>
    /// <example>
    /// <code>
    /// LoadImg("cat.jpg", targetSize: (128, 128)).Save("cat-small.png");
    /// </code>
    /// </example>
    public void Save(string path, string? fileFormat = null) => ImageEncoder.Save(this, path, fileFormat);

    /// <summary>The channel count of a Keras color mode, with Keras's message for any other.</summary>
    internal static int ChannelsOf(string colorMode, string parameter) => colorMode switch
    {
        "grayscale" => 1,
        "rgb" => 3,
        "rgba" => 4,
        _ => throw new ArgumentException($"color_mode must be \"grayscale\", \"rgb\", or \"rgba\"; got \"{colorMode}\".", parameter),
    };
}
