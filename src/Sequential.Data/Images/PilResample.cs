namespace Sequential.Data;

/// <summary>
/// Resizes 8-bit images the way Pillow's <c>Image.resize(size, resample, box)</c> does, which is what Keras's
/// <c>load_img</c> calls, so that <see cref="Utils.LoadImg"/> gives Keras's numbers and not merely similar ones.
/// </summary>
/// <remarks>
/// <para>"nearest" samples the source at the centre of each output pixel, stepping by a running sum in double as Pillow
/// does (so the rare position that lands exactly on a pixel edge rounds the same way).</para>
/// <para>The other filters are Pillow's separable convolution: for each output pixel, the filter is stretched by the
/// scale when shrinking (so shrinking averages, unlike plain bilinear sampling), its weights are normalised to sum 1,
/// turned into 22-bit fixed point, and applied first along rows (only the rows the vertical pass will read) and then
/// along columns, each pass rounding to 8 bits. RGBA is premultiplied by alpha before and divided after, as Pillow
/// converts to "RGBa" to resize. The filters, supports and constants are Pillow's (bicubic a = -0.5; Hamming's 0.54 and
/// 0.46 are single-precision constants there, and here).</para>
/// <para>Written from Pillow's documented behaviour and checked against Pillow 9.4 outputs (the tests hold them).</para>
/// </remarks>
internal static class PilResample
{
    /// <summary>The filters of Keras's <c>load_img</c> (Pillow's resampling names in lower case).</summary>
    internal static readonly string[] Filters = ["nearest", "bilinear", "bicubic", "hamming", "box", "lanczos"];

    private const int PrecisionBits = 32 - 8 - 2;

    /// <summary>A crop of the source, in source pixels: columns [X0, X1), rows [Y0, Y1).</summary>
    internal readonly record struct Box(int X0, int Y0, int X1, int Y1);

    /// <summary>
    /// Resizes the <paramref name="box"/> of an 8-bit image of <paramref name="channels"/> interleaved channels (1, 3 or
    /// 4; 4 is RGBA) to <paramref name="outHeight"/> x <paramref name="outWidth"/>.
    /// </summary>
    internal static byte[] Resize(byte[] source, int height, int width, int channels, int outHeight, int outWidth,
        string filter, Box box)
    {
        if (outHeight == height && outWidth == width && box == new Box(0, 0, width, height))
            return (byte[])source.Clone();
        if (filter == "nearest")
            return Nearest(source, width, channels, outHeight, outWidth, box);
        var (kernel, support) = Kernel(filter);
        if (channels == 4)
        {
            var premultiplied = (byte[])source.Clone();
            Premultiply(premultiplied);
            var result = Convolve(premultiplied, height, width, channels, outHeight, outWidth, kernel, support, box);
            Unpremultiply(result);
            return result;
        }
        return Convolve(source, height, width, channels, outHeight, outWidth, kernel, support, box);
    }

    private static byte[] Nearest(byte[] source, int width, int channels, int outHeight, int outWidth, Box box)
    {
        var output = new byte[checked(outHeight * outWidth * channels)];
        double stepX = (double)(box.X1 - box.X0) / outWidth, stepY = (double)(box.Y1 - box.Y0) / outHeight;
        var columns = new int[outWidth];
        double position = box.X0 + stepX * 0.5;
        for (int x = 0; x < outWidth; x++, position += stepX)
            columns[x] = (int)position;
        position = box.Y0 + stepY * 0.5;
        for (int y = 0; y < outHeight; y++, position += stepY)
        {
            int row = (int)position;
            for (int x = 0; x < outWidth; x++)
                source.AsSpan((row * width + columns[x]) * channels, channels).CopyTo(output.AsSpan((y * outWidth + x) * channels));
        }
        return output;
    }

    private static (Func<double, double> Kernel, double Support) Kernel(string filter) => filter switch
    {
        "box" => (x => x > -0.5 && x <= 0.5 ? 1.0 : 0.0, 0.5),
        "bilinear" => (x => Math.Abs(x) < 1.0 ? 1.0 - Math.Abs(x) : 0.0, 1.0),
        "hamming" => (Hamming, 1.0),
        "bicubic" => (Bicubic, 2.0),
        "lanczos" => (x => x >= -3.0 && x < 3.0 ? Sinc(x) * Sinc(x / 3) : 0.0, 3.0),
        _ => throw new ArgumentException($"Unknown resampling filter \"{filter}\".", nameof(filter)),
    };

    private static double Hamming(double x)
    {
        x = Math.Abs(x);
        if (x == 0.0) return 1.0;
        if (x >= 1.0) return 0.0;
        x *= Math.PI;
        return Math.Sin(x) / x * ((double)0.54f + (double)0.46f * Math.Cos(x));
    }

    private static double Bicubic(double x)
    {
        const double a = -0.5;
        x = Math.Abs(x);
        if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
        return 0.0;
    }

    private static double Sinc(double x)
    {
        if (x == 0.0) return 1.0;
        x *= Math.PI;
        return Math.Sin(x) / x;
    }

    /// <summary>For each output pixel along one axis: the first source pixel, how many are read, and their fixed-point weights.</summary>
    private readonly record struct Weights(int[] First, int[] Count, int[] Fixed, int Stride);

    private static Weights Precompute(int inSize, double in0, double in1, int outSize, Func<double, double> kernel, double support)
    {
        double scale = (in1 - in0) / outSize;
        double filterScale = Math.Max(scale, 1.0);
        double reach = support * filterScale;
        int stride = (int)Math.Ceiling(reach) * 2 + 1;
        var first = new int[outSize];
        var count = new int[outSize];
        var weights = new int[checked(outSize * stride)];
        var w = new double[stride];
        double inverse = 1.0 / filterScale;   // multiplied, not divided: the same rounding as Pillow
        for (int o = 0; o < outSize; o++)
        {
            double center = in0 + (o + 0.5) * scale;
            int lo = Math.Max((int)(center - reach + 0.5), 0);
            int hi = Math.Min((int)(center + reach + 0.5), inSize);
            int n = hi - lo;
            double sum = 0;
            for (int i = 0; i < n; i++)
            {
                w[i] = kernel((i + lo - center + 0.5) * inverse);
                sum += w[i];
            }
            for (int i = 0; i < n; i++)
            {
                double normalised = sum != 0.0 ? w[i] / sum : w[i];
                // Round half away from zero into 22-bit fixed point.
                weights[o * stride + i] = (int)(normalised < 0 ? -0.5 + normalised * (1 << PrecisionBits) : 0.5 + normalised * (1 << PrecisionBits));
            }
            first[o] = lo;
            count[o] = n;
        }
        return new Weights(first, count, weights, stride);
    }

    private static byte[] Convolve(byte[] source, int height, int width, int channels, int outHeight, int outWidth,
        Func<double, double> kernel, double support, Box box)
    {
        bool horizontal = outWidth != width || box.X0 != 0 || box.X1 != outWidth;
        bool vertical = outHeight != height || box.Y0 != 0 || box.Y1 != outHeight;
        var rows = Precompute(height, box.Y0, box.Y1, outHeight, kernel, support);
        // Only the source rows the vertical pass reads go through the horizontal one.
        int firstRow = rows.First[0], lastRow = rows.First[outHeight - 1] + rows.Count[outHeight - 1];

        byte[] image = source;
        int imageWidth = width, rowOffset = 0;
        if (horizontal)
        {
            var columns = Precompute(width, box.X0, box.X1, outWidth, kernel, support);
            int passRows = lastRow - firstRow;
            var pass = new byte[checked(passRows * outWidth * channels)];
            for (int y = 0; y < passRows; y++)
                Horizontal(source.AsSpan((y + firstRow) * width * channels, width * channels),
                    pass.AsSpan(y * outWidth * channels, outWidth * channels), channels, columns);
            (image, imageWidth, rowOffset) = (pass, outWidth, firstRow);
        }
        if (!vertical)
            return image == source ? (byte[])source.Clone() : image;

        int rowLength = imageWidth * channels;
        var output = new byte[checked(outHeight * rowLength)];
        var sums = new int[rowLength];
        for (int y = 0; y < outHeight; y++)
        {
            // Row by row through the source rows this output row reads: sequential memory, whole rows at a time.
            Array.Fill(sums, 1 << (PrecisionBits - 1));
            int top = rows.First[y] - rowOffset;
            var weights = rows.Fixed.AsSpan(y * rows.Stride, rows.Count[y]);
            for (int i = 0; i < weights.Length; i++)
            {
                int weight = weights[i];
                var line = image.AsSpan((top + i) * rowLength, rowLength);
                for (int j = 0; j < line.Length; j++)
                    sums[j] += line[j] * weight;
            }
            var target = output.AsSpan(y * rowLength, rowLength);
            for (int j = 0; j < target.Length; j++)
                target[j] = Clip8(sums[j]);
        }
        return output;
    }

    /// <summary>One row of the horizontal pass, with the channel loop unrolled for 1, 3 and 4 channels.</summary>
    private static void Horizontal(ReadOnlySpan<byte> row, Span<byte> output, int channels, Weights columns)
    {
        const int Half = 1 << (PrecisionBits - 1);
        for (int x = 0, o = 0; o < output.Length; x++, o += channels)
        {
            var k = columns.Fixed.AsSpan(x * columns.Stride, columns.Count[x]);
            var px = row.Slice(columns.First[x] * channels, k.Length * channels);
            switch (channels)
            {
                case 1:
                {
                    int s0 = Half;
                    for (int i = 0; i < k.Length; i++)
                        s0 += px[i] * k[i];
                    output[o] = Clip8(s0);
                    break;
                }
                case 3:
                {
                    int s0 = Half, s1 = Half, s2 = Half;
                    for (int i = 0, j = 0; i < k.Length; i++, j += 3)
                    {
                        int w = k[i];
                        s0 += px[j] * w;
                        s1 += px[j + 1] * w;
                        s2 += px[j + 2] * w;
                    }
                    output[o] = Clip8(s0);
                    output[o + 1] = Clip8(s1);
                    output[o + 2] = Clip8(s2);
                    break;
                }
                default:
                {
                    int s0 = Half, s1 = Half, s2 = Half, s3 = Half;
                    for (int i = 0, j = 0; i < k.Length; i++, j += 4)
                    {
                        int w = k[i];
                        s0 += px[j] * w;
                        s1 += px[j + 1] * w;
                        s2 += px[j + 2] * w;
                        s3 += px[j + 3] * w;
                    }
                    output[o] = Clip8(s0);
                    output[o + 1] = Clip8(s1);
                    output[o + 2] = Clip8(s2);
                    output[o + 3] = Clip8(s3);
                    break;
                }
            }
        }
    }

    private static byte Clip8(int sum) => (byte)Math.Clamp(sum >> PrecisionBits, 0, 255);

    /// <summary>RGBA to premultiplied RGBa, rounding as Pillow's <c>MULDIV255</c>.</summary>
    private static void Premultiply(byte[] rgba)
    {
        for (int i = 0; i < rgba.Length; i += 4)
        {
            int alpha = rgba[i + 3];
            for (int c = 0; c < 3; c++)
            {
                int t = rgba[i + c] * alpha + 128;
                rgba[i + c] = (byte)(((t >> 8) + t) >> 8);
            }
        }
    }

    /// <summary>Premultiplied RGBa back to RGBA; alpha 0 and 255 keep their colours, as in Pillow.</summary>
    private static void Unpremultiply(byte[] rgba)
    {
        for (int i = 0; i < rgba.Length; i += 4)
        {
            int alpha = rgba[i + 3];
            if (alpha is 0 or 255)
                continue;
            for (int c = 0; c < 3; c++)
                rgba[i + c] = (byte)Math.Min(255, 255 * rgba[i + c] / alpha);
        }
    }
}
