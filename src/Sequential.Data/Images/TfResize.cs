namespace Sequential.Data;

/// <summary>
/// The resizing Keras's <c>image_dataset_from_directory</c> does (TensorFlow's <c>tf.image.resize</c> without
/// antialiasing, Keras's <c>smart_resize</c> crop, <c>tf.image.resize_with_pad</c>), on channels-last float images.
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
    /// Resizes <paramref name="src"/> (<c>[height, width, channels]</c>) to <c>[outHeight, outWidth, channels]</c> as
    /// <c>tf.image.resize(img, size, method)</c>, optionally cropping first (Keras's <c>crop_to_aspect_ratio</c>) or
    /// padding after (<c>pad_to_aspect_ratio</c>).
    /// </summary>
    internal static float[] Resize(float[] src, int height, int width, int channels, int outHeight, int outWidth,
        string interpolation, bool crop, bool pad)
    {
        if (crop)
        {
            // keras.src.utils.image_utils.smart_resize: float32 divisions truncated to int32.
            int cropHeight = Math.Max(Math.Min(height, (int)((float)((long)width * outHeight) / outWidth)), 1);
            int cropWidth = Math.Max(Math.Min(width, (int)((float)((long)height * outWidth) / outHeight)), 1);
            int top = (int)((float)(height - cropHeight) / 2), left = (int)((float)(width - cropWidth) / 2);
            var cropped = new float[checked(cropHeight * cropWidth * channels)];
            for (int y = 0; y < cropHeight; y++)
                Array.Copy(src, ((top + y) * width + left) * channels, cropped, y * cropWidth * channels, cropWidth * channels);
            return Plain(cropped, cropHeight, cropWidth, channels, outHeight, outWidth, interpolation);
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
            var inner = Plain(src, height, width, channels, innerHeight, innerWidth, interpolation);
            var padded = new float[checked(outHeight * outWidth * channels)];
            for (int y = 0; y < innerHeight; y++)
                Array.Copy(inner, y * innerWidth * channels, padded, ((top + y) * outWidth + left) * channels, innerWidth * channels);
            return padded;
        }
        return Plain(src, height, width, channels, outHeight, outWidth, interpolation);
    }

    /// <summary><c>tf.image.resize</c> without antialiasing: half-pixel centres, float32.</summary>
    private static float[] Plain(float[] src, int height, int width, int channels, int outHeight, int outWidth, string interpolation)
    {
        var dst = new float[checked(outHeight * outWidth * channels)];
        float yScale = (float)height / outHeight, xScale = (float)width / outWidth;
        if (interpolation == "nearest")
        {
            for (int oy = 0; oy < outHeight; oy++)
            {
                int iy = Math.Max(0, Math.Min((int)MathF.Floor((oy + 0.5f) * yScale), height - 1));
                for (int ox = 0; ox < outWidth; ox++)
                {
                    int ix = Math.Max(0, Math.Min((int)MathF.Floor((ox + 0.5f) * xScale), width - 1));
                    Array.Copy(src, (iy * width + ix) * channels, dst, (oy * outWidth + ox) * channels, channels);
                }
            }
            return dst;
        }
        var xs = Weights(width, outWidth, xScale);
        var ys = Weights(height, outHeight, yScale);
        for (int oy = 0; oy < outHeight; oy++)
        {
            var (y0, y1, yl) = ys[oy];
            int top = y0 * width, bottom = y1 * width;
            for (int ox = 0; ox < outWidth; ox++)
            {
                var (x0, x1, xl) = xs[ox];
                int o = (oy * outWidth + ox) * channels;
                for (int c = 0; c < channels; c++)
                {
                    float topLeft = src[(top + x0) * channels + c], topRight = src[(top + x1) * channels + c];
                    float bottomLeft = src[(bottom + x0) * channels + c], bottomRight = src[(bottom + x1) * channels + c];
                    float upper = topLeft + (topRight - topLeft) * xl;
                    float lower = bottomLeft + (bottomRight - bottomLeft) * xl;
                    dst[o + c] = upper + (lower - upper) * yl;
                }
            }
        }
        return dst;
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
