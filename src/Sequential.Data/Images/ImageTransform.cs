using System.Buffers;

namespace Sequential.Data;

/// <summary>
/// Keras's augmentation arithmetic on one channels-last image held as floats (<c>[H, W, C]</c>, row-major):
/// <c>apply_affine_transform</c> (scipy's <c>ndimage.affine_transform</c> with order 1), channel shift, flips
/// and brightness, in Keras's order.
/// </summary>
internal static class ImageTransform
{
    /// <summary>The fill modes Keras accepts for points outside the input.</summary>
    internal static readonly string[] FillModes = ["nearest", "constant", "reflect", "wrap"];

    /// <summary>Applies <paramref name="p"/> to <paramref name="image"/> in place.</summary>
    internal static void Apply(Span<float> image, int h, int w, int c, TransformParameters p, string fillMode, float cval)
    {
        if (p.HasAffine)
            Affine(image, h, w, c, p, fillMode, cval);
        if (p.ChannelShift is { } shift)
            ChannelShift(image, (float)shift);
        if (p.FlipHorizontal)
            FlipHorizontal(image, h, w, c);
        if (p.FlipVertical)
            FlipVertical(image, h, w, c);
        if (p.Brightness is { } brightness)
            Brightness(image, (float)brightness);
    }

    /// <summary>
    /// The 2x3 matrix mapping an output pixel (row, column) to the input position it samples, built exactly as
    /// Keras's <c>apply_affine_transform</c> does (rotation · shift · shear · zoom about the centre, then the
    /// x/y swap Keras applies for channels-last arrays).
    /// </summary>
    internal static double[] Matrix(TransformParameters p, int h, int w)
    {
        double[,] m = Identity();
        if (p.Theta != 0)
        {
            double t = p.Theta * Math.PI / 180;
            m = Multiply(m, new double[,] { { Math.Cos(t), -Math.Sin(t), 0 }, { Math.Sin(t), Math.Cos(t), 0 }, { 0, 0, 1 } });
        }
        if (p.Tx != 0 || p.Ty != 0)
            m = Multiply(m, new double[,] { { 1, 0, p.Tx }, { 0, 1, p.Ty }, { 0, 0, 1 } });
        if (p.Shear != 0)
        {
            double s = p.Shear * Math.PI / 180;
            m = Multiply(m, new double[,] { { 1, -Math.Sin(s), 0 }, { 0, Math.Cos(s), 0 }, { 0, 0, 1 } });
        }
        if (p.Zx != 1 || p.Zy != 1)
            m = Multiply(m, new double[,] { { p.Zx, 0, 0 }, { 0, p.Zy, 0 }, { 0, 0, 1 } });

        // transform_matrix_offset_center(matrix, h, w): Keras passes (h, w) as (x, y).
        double ox = h / 2.0 - 0.5, oy = w / 2.0 - 0.5;
        m = Multiply(Multiply(new double[,] { { 1, 0, ox }, { 0, 1, oy }, { 0, 0, 1 } }, m),
                     new double[,] { { 1, 0, -ox }, { 0, 1, -oy }, { 0, 0, 1 } });
        // M' = P M P (swap x and y), as Keras does when the column axis follows the row axis.
        return [m[1, 1], m[1, 0], m[1, 2], m[0, 1], m[0, 0], m[0, 2]];
    }

    private static void Affine(Span<float> image, int h, int w, int c, TransformParameters p, string fillMode, float cval)
    {
        double[] a = Matrix(p, h, w);
        int n = h * w * c;
        float[] source = ArrayPool<float>.Shared.Rent(n);
        try
        {
            image.CopyTo(source);
            for (int r = 0; r < h; r++)
            {
                for (int col = 0; col < w; col++)
                {
                    double y = a[0] * r + a[1] * col + a[2];
                    double x = a[3] * r + a[4] * col + a[5];
                    int o = (r * w + col) * c;
                    if (fillMode == "constant" && (y < -1e-6 || y > h - 1 + 1e-6 || x < -1e-6 || x > w - 1 + 1e-6))
                    {
                        image.Slice(o, c).Fill(cval);
                        continue;
                    }
                    int y0 = (int)Math.Floor(y), x0 = (int)Math.Floor(x);
                    double fy = y - y0, fx = x - x0;
                    int ry0 = Index(y0, h, fillMode), ry1 = Index(y0 + 1, h, fillMode);
                    int rx0 = Index(x0, w, fillMode), rx1 = Index(x0 + 1, w, fillMode);
                    for (int k = 0; k < c; k++)
                    {
                        double v00 = source[(ry0 * w + rx0) * c + k], v01 = source[(ry0 * w + rx1) * c + k];
                        double v10 = source[(ry1 * w + rx0) * c + k], v11 = source[(ry1 * w + rx1) * c + k];
                        image[o + k] = (float)((v00 * (1 - fx) + v01 * fx) * (1 - fy) + (v10 * (1 - fx) + v11 * fx) * fy);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(source);
        }
    }

    /// <summary>Maps an index outside <c>[0, n)</c> back inside, per fill mode (constant clamps: its points outside were filled already).</summary>
    private static int Index(int i, int n, string fillMode)
    {
        if (i >= 0 && i < n) return i;
        switch (fillMode)
        {
            case "reflect": // scipy's half-sample symmetric: d c b a | a b c d | d c b a
            {
                int period = 2 * n;
                int m = ((i % period) + period) % period;
                return m < n ? m : period - 1 - m;
            }
            case "wrap":    // a b c d | a b c d | a b c d
                return ((i % n) + n) % n;
            default:        // nearest: a a a a | a b c d | d d d d
                return Math.Clamp(i, 0, n - 1);
        }
    }

    private static void ChannelShift(Span<float> image, float intensity)
    {
        // Keras clips to the whole image's min and max, not each channel's.
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float v in image) { min = Math.Min(min, v); max = Math.Max(max, v); }
        for (int i = 0; i < image.Length; i++)
            image[i] = Math.Clamp(image[i] + intensity, min, max);
    }

    internal static void FlipHorizontal(Span<float> image, int h, int w, int c)
    {
        for (int r = 0; r < h; r++)
        {
            for (int left = 0, right = w - 1; left < right; left++, right--)
            {
                var a = image.Slice((r * w + left) * c, c);
                var b = image.Slice((r * w + right) * c, c);
                for (int k = 0; k < c; k++) (a[k], b[k]) = (b[k], a[k]);
            }
        }
    }

    private static void FlipVertical(Span<float> image, int h, int w, int c)
    {
        int row = w * c;
        float[] tmp = ArrayPool<float>.Shared.Rent(row);
        try
        {
            for (int top = 0, bottom = h - 1; top < bottom; top++, bottom--)
            {
                var a = image.Slice(top * row, row);
                var b = image.Slice(bottom * row, row);
                a.CopyTo(tmp);
                b.CopyTo(a);
                tmp.AsSpan(0, row).CopyTo(b);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(tmp);
        }
    }

    /// <summary>
    /// Keras's <c>apply_brightness_shift(x, brightness, scale=False)</c>: through an 8-bit PIL image and
    /// <c>ImageEnhance.Brightness</c>; images outside [0, 255] are mapped to it and back.
    /// </summary>
    private static void Brightness(Span<float> image, float factor)
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float v in image) { min = Math.Min(min, v); max = Math.Max(max, v); }
        bool localScale = min < 0 || max > 255;
        float range = max - min;
        for (int i = 0; i < image.Length; i++)
        {
            float v = image[i];
            if (localScale) v = range == 0 ? 0 : (v - min) / range * 255;
            int b = (int)Math.Clamp(MathF.Floor(v), 0, 255);                 // array_to_img's uint8 cast
            float o = (int)Math.Clamp(MathF.Round(b * factor), 0, 255);      // PIL blend with black, clipped
            image[i] = localScale ? o / 255 * range + min : o;
        }
    }

    private static double[,] Identity() => new double[,] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } };

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        var m = new double[3, 3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                m[i, j] = a[i, 0] * b[0, j] + a[i, 1] * b[1, j] + a[i, 2] * b[2, j];
        return m;
    }
}
