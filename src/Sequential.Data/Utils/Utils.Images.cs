using Sequential.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Data;

public static partial class Utils
{
    /// <summary>
    /// Loads an image file (Keras's <c>keras.utils.load_img</c>): JPEG, PNG, BMP, GIF (first frame) or WebP, converted to
    /// the color mode and, if asked, resized exactly as Keras resizes it (Pillow's <c>Image.resize</c>).
    /// </summary>
    /// <param name="path">The image file.</param>
    /// <param name="colorMode">"rgb" (default), "grayscale" (Pillow's <c>convert("L")</c> luma) or "rgba".</param>
    /// <param name="targetSize">(height, width) to resize to, or null to keep the image's size.</param>
    /// <param name="interpolation">The resampling filter when resizing: "nearest" (default), "bilinear", "bicubic",
    /// "hamming", "box" or "lanczos", computed as Pillow computes them (shrinking averages over the covered pixels).</param>
    /// <param name="keepAspectRatio">Crop the largest centred region with the target's aspect ratio before resizing
    /// (Keras's crop box, to the pixel), instead of stretching.</param>
    /// <param name="maxFileBytes">The largest file read (as <c>FlowFromDirectory</c>); a larger one is refused unread.</param>
    /// <param name="maxImagePixels">The most pixels an image header may claim (Pillow's <c>MAX_IMAGE_PIXELS</c>); a larger
    /// image is refused before anything is decoded.</param>
    /// <returns>The image, 8 bits per channel; <see cref="ImgToArray"/> makes it a float32 tensor.</returns>
    /// <exception cref="FileNotFoundException"><paramref name="path"/> does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not an image that can be decoded, is truncated, too large, or not a
    /// regular file (the message names the file and why).</exception>
    /// <exception cref="ArgumentException">An unknown color mode or interpolation (Keras's messages), or a non-positive size or limit.</exception>
    /// <remarks>
    /// <para>Values are Keras's: Pillow's resampling (fixed-point weights, premultiplied alpha for RGBA, Keras's integer
    /// crop box) is reproduced and checked against Pillow's output for every filter. Two differences: the EXIF orientation
    /// of a photo is applied (Keras's <c>load_img</c> shows a phone photo sideways; <c>FlowFromDirectory</c> here applies
    /// it too), and 16-bit grayscale PNGs are read as 8-bit (Keras keeps Pillow's 16-bit "I;16" values). JPEGs are decoded
    /// by libjpeg-turbo in both, so pixels agree there too, up to the decoder's build options; CMYK JPEGs may differ.</para>
    /// <para>Unlike <c>FlowFromDirectory</c>, no reduced-size JPEG decoding is used: the full image is decoded, as Pillow
    /// decodes it, so the result does not depend on the target size.</para>
    /// </remarks>
    /// <example>
    /// Keras's
    /// <code>
    /// img = keras.utils.load_img("cat.jpg", target_size=(180, 180))
    /// img_array = keras.utils.img_to_array(img)
    /// img_array = keras.ops.expand_dims(img_array, 0)  # Create batch axis
    /// predictions = model.predict(img_array)
    /// </code>
    /// becomes:
    /// <code>
    /// using static Sequential.Data.Utils;
    ///
    /// PixelImage img = LoadImg("cat.jpg", targetSize: (180, 180));
    /// Tensor imgArray = ImgToArray(img);                   // float32 (180, 180, 3), values 0-255
    /// imgArray = imgArray.unsqueeze(0);                     // (1, 180, 180, 3)
    /// Tensor predictions = model.Predict(imgArray);
    /// </code>
    /// </example>
    public static PixelImage LoadImg(string path, string colorMode = "rgb", (int Height, int Width)? targetSize = null,
        string interpolation = "nearest", bool keepAspectRatio = false,
        long maxFileBytes = ImageDataGenerator.DefaultMaxFileBytes, long maxImagePixels = ImageDataGenerator.DefaultMaxImagePixels)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(interpolation);
        int channels = PixelImage.ChannelsOf(colorMode, nameof(colorMode));
        if (!PilResample.Filters.Contains(interpolation))
            throw new ArgumentException(
                $"Invalid interpolation method {interpolation} specified. Supported methods are {string.Join(", ", PilResample.Filters)}.",
                nameof(interpolation));
        if (targetSize is { } size && (size.Height < 1 || size.Width < 1 || (long)size.Height * size.Width > ImageDecoder.MaxDecodablePixels))
            throw new ArgumentException(
                $"LoadImg: targetSize must be (height, width) with both positive and at most {ImageDecoder.MaxDecodablePixels:N0} pixels; got ({size.Height}, {size.Width}).",
                nameof(targetSize));
        if (maxFileBytes < 1 || maxFileBytes > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(maxFileBytes), maxFileBytes, $"LoadImg: maxFileBytes must be in [1, {int.MaxValue}].");
        if (maxImagePixels < 1 || maxImagePixels > ImageDecoder.MaxDecodablePixels)
            throw new ArgumentOutOfRangeException(nameof(maxImagePixels), maxImagePixels,
                $"LoadImg: maxImagePixels must be in [1, {ImageDecoder.MaxDecodablePixels}] (an image's RGBA bytes must fit 2 GiB).");
        if (!File.Exists(path))
            throw Directory.Exists(path)
                ? new ArgumentException($"LoadImg: '{path}' is a folder; give an image file.", nameof(path))
                : new FileNotFoundException($"LoadImg: '{path}' does not exist.", path);

        // The shared reader and decoder word their fixes for FlowFromDirectory; here the parameter is LoadImg's.
        static InvalidDataException Unusable(string path, string why) =>
            new($"LoadImg: '{path}' is not a usable image: {why.Replace(" to FlowFromDirectory", " to LoadImg")}.");
        if (ImageFile.Read(path, maxFileBytes, out var data) is { } unreadable)
            throw Unusable(path, unreadable);
        byte[] rgba;
        int height, width;
        using (data)
        {
            if (ImageDecoder.DecodeFull(data, maxImagePixels, out var decoded, out height, out width) is { } undecodable)
                throw Unusable(path, undecodable);
            rgba = decoded!;
        }

        byte[] pixels = ToColorMode(rgba, channels);
        if (targetSize is { } target && (target.Height != height || target.Width != width))
        {
            var box = keepAspectRatio ? CenteredCrop(height, width, target.Height, target.Width) : new PilResample.Box(0, 0, width, height);
            pixels = PilResample.Resize(pixels, height, width, channels, target.Height, target.Width, interpolation, box);
            (height, width) = target;
        }
        return new PixelImage(height, width, colorMode, pixels);
    }

    /// <summary>
    /// Converts an image to a float32 tensor of its pixel values, 0 to 255 (Keras's <c>keras.utils.img_to_array</c>).
    /// </summary>
    /// <param name="img">The image.</param>
    /// <param name="dataFormat">"channels_last" (default): <c>(height, width, channels)</c>; "channels_first":
    /// <c>(channels, height, width)</c>. A grayscale image keeps its channel axis of 1, as in Keras.</param>
    /// <returns>A new float32 CPU tensor; the caller owns it.</returns>
    /// <exception cref="ArgumentException">An unknown data format.</exception>
    /// <example>
    /// Keras's <c>x = keras.utils.img_to_array(img)</c> then <c>x = np.array([x])</c>:
    /// <code>
    /// Tensor x = ImgToArray(img).unsqueeze(0);   // (1, height, width, 3)
    /// </code>
    /// </example>
    public static Tensor ImgToArray(PixelImage img, string dataFormat = "channels_last")
    {
        ArgumentNullException.ThrowIfNull(img);
        bool channelsFirst = ChannelsFirst(dataFormat);
        var values = new float[img.Data.Length];
        for (int i = 0; i < values.Length; i++)
            values[i] = img.Data[i];
        var x = tensor(values, [img.Height, img.Width, img.Channels], ScalarType.Float32);
        if (!channelsFirst)
            return x;
        using (x)
            return x.permute(2, 0, 1).contiguous();
    }

    /// <summary>
    /// Converts a rank-3 tensor to an 8-bit image (Keras's <c>keras.utils.array_to_img</c>): 1 channel is grayscale, 3
    /// RGB, 4 RGBA.
    /// </summary>
    /// <param name="x">The pixels, <c>(height, width, channels)</c> (or channels first); any real type, any device.</param>
    /// <param name="dataFormat">"channels_last" (default) or "channels_first".</param>
    /// <param name="scale">Stretch the values so the smallest becomes 0 and the largest 255, as Keras does (in float32,
    /// then truncated, so the numbers are Keras's). False takes the values as they are, truncated to integers and clamped
    /// to 0-255 (Keras's NumPy cast wraps out-of-range values instead, and keeps a 1-channel image above 255 as 32-bit).</param>
    /// <returns>The image.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> is not rank 3, has a channel count other than 1, 3 or 4
    /// (Keras's messages), or holds NaN or infinity.</exception>
    /// <example>
    /// Keras's <c>img = keras.utils.array_to_img(x[0])</c>:
    /// <code>
    /// PixelImage img = ArrayToImg(x[0]);
    /// img.Save("first.png");
    /// </code>
    /// </example>
    public static PixelImage ArrayToImg(Tensor x, string dataFormat = "channels_last", bool scale = true)
    {
        ArgumentNullException.ThrowIfNull(x);
        bool channelsFirst = ChannelsFirst(dataFormat);
        if (x.dim() != 3)
            throw new ArgumentException($"Expected image array to have rank 3 (single image). Got array with shape: {Shapes.Format(x.shape)}.", nameof(x));
        using var scope = NewDisposeScope();
        Tensor hwc = channelsFirst ? x.permute(1, 2, 0) : x;
        int height = (int)hwc.shape[0], width = (int)hwc.shape[1], channels = (int)hwc.shape[2];
        if (channels is not (1 or 3 or 4))
            throw new ArgumentException($"Unsupported channel number: {channels}. Pass 1 (grayscale), 3 (RGB) or 4 (RGBA) channels.", nameof(x));
        float[] values = hwc.to(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
        int bad = Array.FindIndex(values, v => !float.IsFinite(v));
        if (bad >= 0)
            throw new ArgumentException(
                $"ArrayToImg: x holds {values[bad]} at [{bad / (width * channels)}, {bad / channels % width}, {bad % channels}] " +
                "(channels last); an image needs finite values.", nameof(x));
        if (scale)
        {
            // Keras, in float32: x - min(x); x /= max(x) unless 0; x *= 255.
            float min = values.Min();
            for (int i = 0; i < values.Length; i++)
                values[i] -= min;
            float max = values.Max();
            for (int i = 0; i < values.Length; i++)
            {
                if (max != 0)
                    values[i] /= max;
                values[i] *= 255f;
            }
        }
        var pixels = new byte[values.Length];
        for (int i = 0; i < values.Length; i++)
            pixels[i] = (byte)Math.Clamp(MathF.Truncate(values[i]), 0f, 255f);
        return new PixelImage(height, width, channels switch { 1 => "grayscale", 3 => "rgb", _ => "rgba" }, pixels);
    }

    /// <summary>
    /// Saves a rank-3 tensor as a PNG, JPEG or WebP image, atomically (Keras's <c>keras.utils.save_img</c>).
    /// </summary>
    /// <param name="path">The file; its extension (.png, .jpg/.jpeg, .webp) picks the format unless
    /// <paramref name="fileFormat"/> is given.</param>
    /// <param name="x">The pixels, as for <see cref="ArrayToImg"/>.</param>
    /// <param name="dataFormat">"channels_last" (default) or "channels_first".</param>
    /// <param name="fileFormat">"png", "jpeg"/"jpg" or "webp"; null reads the extension.</param>
    /// <param name="scale">Stretch the values to 0-255 first (default), as <see cref="ArrayToImg"/>.</param>
    /// <exception cref="ArgumentException">As <see cref="ArrayToImg"/>; or a format other than png, jpeg and webp (SkiaSharp
    /// encodes no BMP, GIF or TIFF).</exception>
    /// <exception cref="IOException">The file could not be written; the message says why, and a previous file is unchanged.</exception>
    /// <remarks>JPEG is written at quality 75 and WebP at 80, Pillow's defaults; an RGBA image saved as JPEG loses its
    /// alpha with a warning, as in Keras.</remarks>
    /// <example>
    /// Keras's <c>keras.utils.save_img("generated.png", generated_images[0])</c>:
    /// <code>
    /// SaveImg("generated.png", generatedImages[0]);
    /// </code>
    /// </example>
    public static void SaveImg(string path, Tensor x, string dataFormat = "channels_last", string? fileFormat = null, bool scale = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArrayToImg(x, dataFormat, scale).Save(path, fileFormat);
    }

    private static bool ChannelsFirst(string dataFormat) => dataFormat switch
    {
        "channels_last" => false,
        "channels_first" => true,
        _ => throw new ArgumentException(
            $"The `data_format` argument must be one of \"channels_first\", \"channels_last\". Received: {dataFormat}", nameof(dataFormat)),
    };

    /// <summary>RGBA bytes to 1 channel (Pillow's "L": ITU-R 601-2 luma in 16-bit fixed point), 3 (alpha dropped) or 4.</summary>
    private static byte[] ToColorMode(byte[] rgba, int channels)
    {
        if (channels == 4)
            return rgba;
        int pixels = rgba.Length / 4;
        var output = new byte[checked(pixels * channels)];
        for (int p = 0, i = 0; p < pixels; p++, i += 4)
        {
            if (channels == 1)
                output[p] = (byte)((rgba[i] * 19595 + rgba[i + 1] * 38470 + rgba[i + 2] * 7471 + 0x8000) >> 16);
            else
            {
                output[p * 3] = rgba[i];
                output[p * 3 + 1] = rgba[i + 1];
                output[p * 3 + 2] = rgba[i + 2];
            }
        }
        return output;
    }

    /// <summary>Keras's <c>load_img</c> crop box for <c>keep_aspect_ratio</c>: the largest centred region of the target's aspect ratio.</summary>
    private static PilResample.Box CenteredCrop(int height, int width, int targetHeight, int targetWidth)
    {
        long cropHeight = Math.Min(height, (long)width * targetHeight / targetWidth);
        long cropWidth = Math.Min(width, (long)height * targetWidth / targetHeight);
        int top = (int)((height - cropHeight) / 2), left = (int)((width - cropWidth) / 2);
        return new PilResample.Box(left, top, left + (int)cropWidth, top + (int)cropHeight);
    }
}
