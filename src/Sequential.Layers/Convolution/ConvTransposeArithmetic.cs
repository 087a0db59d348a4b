namespace Sequential.Layers;

/// <summary>
/// Keras's shape rules for transposed convolutions and how to reach them with libtorch's <c>conv_transpose</c>.
/// </summary>
/// <remarks>
/// Keras (on every backend since it follows TensorFlow/JAX) defines the output length per axis as
/// <c>"valid"</c>: (n - 1)·s + k' + (outputPadding ?? max(k', s) - k'), and <c>"same"</c>: n·s, or
/// (n - 1)·s + k' mod 2 + outputPadding when outputPadding is given, where k' = (k - 1)·d + 1. The window it keeps
/// is a crop of the "full" transposed convolution (torch with padding 0, length (n - 1)·s + k') that can be
/// asymmetric, and may even extend past it with zeros (e.g. "valid" with s &gt; k'); torch's symmetric
/// <c>padding</c> covers only the symmetric part.
/// </remarks>
internal static class ConvTransposeArithmetic
{
    /// <summary>Output length along one axis, as Keras computes it.</summary>
    internal static long OutputLength(long input, int kernel, int stride, int dilation, bool same, int? outputPadding)
    {
        long effective = Effective(kernel, dilation);
        if (!same) return checked((input - 1) * stride + effective + (outputPadding ?? Math.Max(stride - effective, 0)));
        return outputPadding is int extra ? checked((input - 1) * stride + effective % 2 + extra) : checked(input * stride);
    }

    /// <summary>
    /// What to remove from the start and the end of the full transposed convolution along one axis to get Keras's
    /// window; a negative amount means zeros appended there.
    /// </summary>
    internal static (long Start, long End) Crop(int kernel, int stride, int dilation, bool same, int? outputPadding)
    {
        // TensorFlow/JAX pad the stride-dilated input by (before, after) and run a valid convolution; the full
        // transposed convolution is the case before = after = k' - 1.
        long effective = Effective(kernel, dilation);
        long before, after;
        if (!same)
        {
            before = effective - 1;
            after = effective - 1 + (outputPadding ?? Math.Max(stride - effective, 0));
        }
        else
        {
            long total = outputPadding is int extra ? effective + effective % 2 - 2 + extra : stride + effective - 2;
            before = Math.Min(total / 2 + total % 2, effective - 1);
            after = total - before;
        }
        return (effective - 1 - before, effective - 1 - after);
    }

    /// <summary>Checks outputPadding: each entry at least 0 and below the stride (Keras's rule).</summary>
    internal static (int, int)? CheckOutputPadding((int, int)? outputPadding, (int, int) strides, string layerType)
    {
        if (outputPadding is not (int rows, int columns)) return null;
        if (rows < 0 || columns < 0 || rows >= strides.Item1 || columns >= strides.Item2)
            throw new ArgumentException(
                $"{layerType} outputPadding must be at least 0 and strictly less than strides for all dimensions; " +
                $"got outputPadding {outputPadding} with strides {strides}.", nameof(outputPadding));
        return outputPadding;
    }

    private static long Effective(int kernel, int dilation) => (long)(kernel - 1) * dilation + 1;
}
