using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Sequential.Layers;

/// <summary>
/// What every 2-D image layer shares: checking int-or-tuple arguments, the "valid"/"same" padding
/// arithmetic of Keras/TensorFlow, and moving between the user's data format and torch's NCHW view.
/// </summary>
/// <remarks>
/// Layout: the API is channels_last ([N, H, W, C]). <c>x.permute(0, 3, 1, 2)</c> of a contiguous NHWC
/// batch is an NCHW-shaped view in torch's channels_last memory format (no copy), which libtorch's
/// convolution and pooling kernels take natively; their output comes back in the same memory format, so
/// permuting it back to NHWC is again a view of contiguous memory.
/// TorchSharp 0.107 has no <c>contiguous(memory_format)</c>; the permuted view already has exactly the strides that
/// call would produce, so there is nothing to convert. Measured (scratch program, CPU, 2 shared threads, batch 16,
/// Conv2D 3x3 forward+backward on 150x150x3 -> 32 and 74x74x32 -> 64, best of 6): the permuted view 228 / 180 ms,
/// view with a channels_last kernel 274 / 83 ms, copy to contiguous NCHW and back 378 / 76 ms; runs on the shared
/// machine varied by 2x, so no conversion showed a consistent win and the layers keep the copy-free view.
/// </remarks>
internal static class ConvArithmetic
{
    /// <summary>The accepted padding names.</summary>
    internal static readonly string[] PaddingNames = ["valid", "same"];

    /// <summary>The accepted data formats.</summary>
    internal static readonly string[] DataFormatNames = ["channels_last", "channels_first"];

    /// <summary>Normalises a Keras padding name ("valid" or "same", case-insensitive).</summary>
    internal static string Padding(string padding, string layerType)
    {
        var normalised = padding?.Trim().ToLowerInvariant();
        if (normalised is not null && PaddingNames.Contains(normalised)) return normalised;
        throw new ArgumentException(
            $"{layerType} padding must be one of \"valid\", \"same\" (case-insensitive); got {Quote(padding)}.", "padding");
    }

    /// <summary>Normalises a Keras data format ("channels_last" or "channels_first", case-insensitive).</summary>
    internal static string DataFormat(string dataFormat, string layerType)
    {
        var normalised = dataFormat?.Trim().ToLowerInvariant();
        if (normalised is not null && DataFormatNames.Contains(normalised)) return normalised;
        throw new ArgumentException(
            $"{layerType} dataFormat must be one of \"channels_last\", \"channels_first\" (case-insensitive); got {Quote(dataFormat)}.",
            "dataFormat");
    }

    /// <summary>Checks that both entries of a (height, width) argument are positive.</summary>
    internal static (int, int) Positive((int, int) value, string argument, string layerType)
    {
        if (value.Item1 <= 0 || value.Item2 <= 0)
            throw new ArgumentOutOfRangeException(argument, value,
                $"{layerType} {argument} must be positive integers (height, width); got {value}.");
        return value;
    }

    /// <summary>Checks a positive integer argument (filters, multipliers).</summary>
    internal static int Positive(int value, string argument, string layerType)
    {
        if (value <= 0)
            throw new ArgumentOutOfRangeException(argument, value, $"{layerType} {argument} must be a positive integer; got {value}.");
        return value;
    }

    /// <summary>Keras refuses strides above 1 together with a dilation above 1 (TensorFlow cannot run them).</summary>
    internal static void CheckStridesWithDilation((int, int) strides, (int, int) dilationRate, string layerType)
    {
        if (Math.Max(strides.Item1, strides.Item2) > 1 && Math.Max(dilationRate.Item1, dilationRate.Item2) > 1)
            throw new ArgumentException(
                $"{layerType}: strides > 1 is not supported together with dilationRate > 1; got strides {strides} and dilationRate {dilationRate}.",
                "strides");
    }

    /// <summary>
    /// Reads (height, width, channels) from a per-sample image shape, or explains what the layer expects.
    /// </summary>
    internal static (long Height, long Width, long Channels) ImageShape(long[] inputShape, bool channelsFirst, Layer layer)
    {
        if (inputShape.Length != 3)
        {
            string expected = channelsFirst ? "(C, H, W)" : "(H, W, C)";
            string hint = inputShape.Length == 2
                ? channelsFirst
                    ? $" For one-channel images add a channel axis first, e.g. new Reshape([1, {inputShape[0]}, {inputShape[1]}])."
                    : $" For one-channel images add a channel axis first, e.g. new Reshape([{inputShape[0]}, {inputShape[1]}, 1])."
                : "";
            throw new ArgumentException(
                $"Layer \"{layer.Name}\" ({layer.TypeName}) expects images of shape {expected} per sample, i.e. batches " +
                $"(None, {expected[1..]}; got input shape {Shapes.FormatBatch(inputShape)}.{hint}");
        }
        if (Shapes.HasNone(inputShape))
            throw new ArgumentException(
                $"Layer \"{layer.Name}\" ({layer.TypeName}) needs images of known height, width and channels; got input shape " +
                $"{Shapes.FormatBatch(inputShape)}. Give the Input its image size (images of several sizes: resize them, e.g. with " +
                "the Resizing layer or the image loaders' imageSize).");
        return channelsFirst ? (inputShape[1], inputShape[2], inputShape[0]) : (inputShape[0], inputShape[1], inputShape[2]);
    }

    /// <summary>The per-sample shape of an image in the given format.</summary>
    internal static long[] Image(long height, long width, long channels, bool channelsFirst) =>
        channelsFirst ? [channels, height, width] : [height, width, channels];

    /// <summary>
    /// Output length along one axis, as Keras computes it: "valid" floor((n - (k-1)d - 1) / s) + 1, "same" ceil(n / s).
    /// </summary>
    internal static long OutputLength(long input, int kernel, int stride, int dilation, bool same, Layer layer)
    {
        if (input == Shapes.None) return Shapes.None; // known when data arrives, as Keras's None
        long effective = (long)(kernel - 1) * dilation + 1;
        long output = same ? (input + stride - 1) / stride : (input - effective) / stride + 1;
        if (output <= 0 || (!same && input < effective))
            throw new ArgumentException(
                $"Layer \"{layer.Name}\" ({layer.TypeName}): an input of size {input} is smaller than the window {effective} " +
                "with padding \"valid\", which would leave no output. Use padding: \"same\", a smaller kernel, or a larger input.");
        return output;
    }

    /// <summary>
    /// TensorFlow's "same" padding along one axis: the total padding, with the odd pixel at the end
    /// (bottom/right), as TF and Keras do. For "valid" both are 0.
    /// </summary>
    internal static (long Before, long After) SamePadding(long input, int kernel, int stride, int dilation)
    {
        long effective = (long)(kernel - 1) * dilation + 1;
        long output = (input + stride - 1) / stride;
        long total = Math.Max((output - 1) * stride + effective - input, 0);
        return (total / 2, total - total / 2);
    }

    /// <summary>Padding of both spatial axes for a layer's configuration.</summary>
    internal static Padding2D PaddingFor(bool same, long height, long width, (int, int) kernel, (int, int) strides, (int, int) dilation)
    {
        if (!same) return default;
        var (top, bottom) = SamePadding(height, kernel.Item1, strides.Item1, dilation.Item1);
        var (left, right) = SamePadding(width, kernel.Item2, strides.Item2, dilation.Item2);
        return new Padding2D(top, bottom, left, right);
    }

    /// <summary>An NCHW view of a batch in the given format (a permuted view for channels_last: no copy).</summary>
    internal static Tensor ToNchw(Tensor x, bool channelsFirst) => channelsFirst ? x : x.permute(0, 3, 1, 2);

    /// <summary>Back from the NCHW view to the given format (a view again).</summary>
    internal static Tensor FromNchw(Tensor y, bool channelsFirst) => channelsFirst ? y : y.permute(0, 2, 3, 1);

    /// <summary>Checks that a batch has 4 axes before it reaches a 2-D kernel.</summary>
    internal static void CheckBatch(Tensor x, Layer layer)
    {
        if (x.dim() != 4)
            throw new ArgumentException(
                $"Layer \"{layer.Name}\" ({layer.TypeName}) expects a batch of images with 4 axes; got a tensor of shape {Shapes.Format(x.shape)}.");
    }

    /// <summary>A 2-D convolution of an NCHW tensor with TensorFlow's padding (explicit F.pad only when asymmetric).</summary>
    internal static Tensor Conv2d(Tensor nchw, Tensor weight, Tensor? bias, (int, int) strides, Padding2D padding,
        (int, int) dilation, long groups = 1)
    {
        if (!padding.IsSymmetric) nchw = padding.Apply(nchw);
        return F.conv2d(nchw, weight, bias, strides: [strides.Item1, strides.Item2],
            padding: padding.IsSymmetric ? padding.Symmetric : [0, 0], dilation: [dilation.Item1, dilation.Item2], groups: groups);
    }

    /// <summary>
    /// Max pooling of an NCHW tensor with TensorFlow's padding: padded cells never win (they are -inf).
    /// </summary>
    internal static Tensor MaxPool2d(Tensor nchw, (int, int) poolSize, (int, int) strides, Padding2D padding)
    {
        // torch's own padding is symmetric and already ignores the padded cells; only the asymmetric case needs F.pad.
        if (!padding.IsSymmetric) nchw = padding.Apply(nchw, double.NegativeInfinity);
        return F.max_pool2d(nchw, [poolSize.Item1, poolSize.Item2], [strides.Item1, strides.Item2],
            padding.IsSymmetric ? padding.Symmetric : [0, 0]);
    }

    /// <summary>
    /// Average pooling of an NCHW tensor with TensorFlow's padding: padded cells are not counted in the average.
    /// </summary>
    internal static Tensor AvgPool2d(Tensor nchw, (int, int) poolSize, (int, int) strides, Padding2D padding)
    {
        long[] kernel = [poolSize.Item1, poolSize.Item2], stride = [strides.Item1, strides.Item2];
        if (padding.IsSymmetric)
            return F.avg_pool2d(nchw, kernel, stride, padding.Symmetric, count_include_pad: false);
        // Asymmetric: average the zero-padded input, then divide by the share of real cells in each window.
        var sum = F.avg_pool2d(padding.Apply(nchw), kernel, stride);
        using var mask = ones(1, 1, nchw.shape[2], nchw.shape[3], dtype: nchw.dtype, device: nchw.device);
        using var share = F.avg_pool2d(padding.Apply(mask), kernel, stride);
        return sum.div(share);
    }

    private static string Quote(string? s) => s is null ? "null" : $"\"{s}\"";
}

/// <summary>Padding of the two spatial axes of an NCHW tensor, possibly asymmetric (TensorFlow's "same").</summary>
internal readonly record struct Padding2D(long Top, long Bottom, long Left, long Right)
{
    /// <summary>True when no padding is needed.</summary>
    public bool IsZero => Top == 0 && Bottom == 0 && Left == 0 && Right == 0;

    /// <summary>True when torch's own symmetric <c>padding</c> argument can express it.</summary>
    public bool IsSymmetric => Top == Bottom && Left == Right;

    /// <summary>The symmetric padding as torch's (height, width) argument.</summary>
    public long[] Symmetric => [Top, Left];

    /// <summary>Pads an NCHW tensor explicitly (F.pad's order is left, right, top, bottom).</summary>
    public Tensor Apply(Tensor nchw, double value = 0) => F.pad(nchw, [Left, Right, Top, Bottom], value: value);
}
