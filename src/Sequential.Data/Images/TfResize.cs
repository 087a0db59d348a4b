namespace Sequential.Data;

/// <summary>
/// The resizing Keras's <c>image_dataset_from_directory</c> does (TensorFlow's <c>tf.image.resize</c> without
/// antialiasing, Keras's <c>smart_resize</c> crop, <c>tf.image.resize_with_pad</c>), from decoded 8-bit pixels to
/// channels-last floats.
/// </summary>
/// <remarks>
/// Ported from TensorFlow's kernels (<c>resize_bilinear_op.cc</c> and <c>resize_nearest_neighbor_op.cc</c> with
/// <c>half_pixel_centers=True</c>, what TF 2's <c>tf.image.resize</c> uses) in the same float32 arithmetic, so the values
/// are TensorFlow's up to the compiler's rounding (no fused multiply-add here). Not Pillow's filters (that is
/// <see cref="PilResample"/>, for <c>LoadImg</c>): Keras's dataset and <c>load_img</c> resize differently.
/// </remarks>
internal static class TfResize
{
    /// <summary>The interpolations ported: TensorFlow's kernels for these two are short and exact to port.</summary>
    internal static readonly string[] Interpolations = ["bilinear", "nearest"];

    /// <summary>
    /// Resizes 8-bit pixels (<paramref name="src"/>: <c>[height, width, stride]</c>, of which the first
    /// <paramref name="channels"/> are used) to float <c>[outHeight, outWidth, channels]</c> as
    /// <c>tf.image.resize(img, size, method)</c> on their float32 values, optionally cropping first (Keras's
    /// <c>crop_to_aspect_ratio</c>) or padding after (<c>pad_to_aspect_ratio</c>), into <paramref name="dst"/>
    /// (<c>outHeight * outWidth * channels</c> floats, e.g. a new tensor's memory). Reading the bytes where they lie, rather
    /// than a float copy of the whole decoded image, gives the same values (a byte's float is exact) without the copy.
    /// </summary>
    internal static void Resize(byte[] src, int stride, int height, int width, int channels, int outHeight, int outWidth,
        string interpolation, bool crop, bool pad, Span<float> dst)
    {
        var image = new Source(src, stride, width, 0);
        if (crop)
        {
            // keras.src.utils.image_utils.smart_resize: float32 divisions truncated to int32.
            int cropHeight = Math.Max(Math.Min(height, (int)((float)((long)width * outHeight) / outWidth)), 1);
            int cropWidth = Math.Max(Math.Min(width, (int)((float)((long)height * outWidth) / outHeight)), 1);
            int top = (int)((float)(height - cropHeight) / 2), left = (int)((float)(width - cropWidth) / 2);
            Plain(image with { Origin = top * width + left }, cropHeight, cropWidth, channels, dst, outWidth, outHeight, outWidth, interpolation);
            return;
        }
        if (pad)
        {
            // tf.image.resize_with_pad (v2): float32 ratio, floor of the scaled size and of half the padding.
            float ratio = Math.Max((float)width / outWidth, (float)height / outHeight);
            float scaledHeight = height / ratio, scaledWidth = width / ratio;
            // TensorFlow fails on a side that rounds to 0 pixels (a 1000x1 image into a square); here it keeps 1 pixel.
            int innerHeight = Math.Clamp((int)MathF.Floor(scaledHeight), 1, outHeight);
            int innerWidth = Math.Clamp((int)MathF.Floor(scaledWidth), 1, outWidth);
            int top = Math.Max(0, (int)MathF.Floor((outHeight - scaledHeight) / 2));
            int left = Math.Max(0, (int)MathF.Floor((outWidth - scaledWidth) / 2));
            top = Math.Min(top, outHeight - innerHeight);
            left = Math.Min(left, outWidth - innerWidth);
            dst.Clear();
            Plain(image, height, width, channels, dst[((top * outWidth + left) * channels)..], outWidth, innerHeight, innerWidth, interpolation);
            return;
        }
        Plain(image, height, width, channels, dst, outWidth, outHeight, outWidth, interpolation);
    }

    /// <summary>8-bit pixels: <paramref name="Stride"/> bytes a pixel, <paramref name="Pitch"/> pixels a row, the image's first pixel at <paramref name="Origin"/>.</summary>
    private readonly record struct Source(byte[] Pixels, int Stride, int Pitch, int Origin)
    {
        public int Offset(int y, int x) => ((Origin + y * Pitch) + x) * Stride;
    }

    /// <summary>
    /// <c>tf.image.resize</c> without antialiasing (half-pixel centres, float32) of <paramref name="height"/> x
    /// <paramref name="width"/> source pixels into <paramref name="outHeight"/> x <paramref name="outWidth"/> pixels of
    /// <paramref name="dst"/>, whose rows are <paramref name="dstPitch"/> pixels apart.
    /// </summary>
    private static void Plain(Source src, int height, int width, int channels, Span<float> dst, int dstPitch,
        int outHeight, int outWidth, string interpolation)
    {
        float yScale = (float)height / outHeight, xScale = (float)width / outWidth;
        var pixels = src.Pixels;
        if (interpolation == "nearest")
        {
            for (int oy = 0; oy < outHeight; oy++)
            {
                int iy = Math.Max(0, Math.Min((int)MathF.Floor((oy + 0.5f) * yScale), height - 1));
                for (int ox = 0; ox < outWidth; ox++)
                {
                    int ix = Math.Max(0, Math.Min((int)MathF.Floor((ox + 0.5f) * xScale), width - 1));
                    int i = src.Offset(iy, ix), o = (oy * dstPitch + ox) * channels;
                    for (int c = 0; c < channels; c++)
                        dst[o + c] = pixels[i + c];
                }
            }
            return;
        }
        var xs = Weights(width, outWidth, xScale);
        var ys = Weights(height, outHeight, yScale);
        // Each column's two source offsets within a row, computed once per image rather than per output row.
        var left = new int[outWidth];
        var right = new int[outWidth];
        for (int ox = 0; ox < outWidth; ox++)
        {
            left[ox] = src.Offset(0, xs[ox].Lower);
            right[ox] = src.Offset(0, xs[ox].Upper);
        }
        for (int oy = 0; oy < outHeight; oy++)
        {
            var (y0, y1, yl) = ys[oy];
            int top = src.Offset(y0, 0) - src.Offset(0, 0), bottom = src.Offset(y1, 0) - src.Offset(0, 0);
            for (int ox = 0; ox < outWidth; ox++)
            {
                float xl = xs[ox].Lerp;
                int tl = top + left[ox], tr = top + right[ox], bl = bottom + left[ox], br = bottom + right[ox];
                int o = (oy * dstPitch + ox) * channels;
                for (int c = 0; c < channels; c++)
                {
                    float topLeft = pixels[tl + c], topRight = pixels[tr + c];
                    float bottomLeft = pixels[bl + c], bottomRight = pixels[br + c];
                    float upper = topLeft + (topRight - topLeft) * xl;
                    float lower = bottomLeft + (bottomRight - bottomLeft) * xl;
                    dst[o + c] = upper + (lower - upper) * yl;
                }
            }
        }
    }

    /// <summary>TensorFlow's <c>compute_interpolation_weights</c> with the half-pixel scaler.</summary>
    private static (int Lower, int Upper, float Lerp)[] Weights(int inSize, int outSize, float scale)
    {
        var weights = new (int, int, float)[outSize];
        for (int i = 0; i < outSize; i++)
        {
            float at = (i + 0.5f) * scale - 0.5f;
            float floor = MathF.Floor(at);
            weights[i] = (Math.Max((int)floor, 0), Math.Min((int)MathF.Ceiling(at), inSize - 1), at - floor);
        }
        return weights;
    }
}
