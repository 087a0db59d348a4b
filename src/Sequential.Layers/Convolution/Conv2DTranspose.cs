using Sequential.Activations;
using Sequential.Initializers;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Sequential.Layers;

/// <summary>
/// Transposed 2-D convolution, sometimes called deconvolution (Keras's <c>Conv2DTranspose</c>): maps each input pixel
/// to a kernel-sized patch of a larger output, the opposite direction of <see cref="Conv2D"/>. Inputs are batches of
/// images <c>[N, H, W, C]</c> (channels_last, the default) or <c>[N, C, H, W]</c> (<c>dataFormat: "channels_first"</c>).
/// </summary>
/// <remarks>
/// Output size per spatial axis, with k' = (k - 1)·d + 1: <c>"valid"</c> (n - 1)·s + max(k', s), <c>"same"</c> n·s;
/// with <c>outputPadding</c> p: "valid" (n - 1)·s + k' + p, "same" (n - 1)·s + (k' mod 2) + p. The values equal
/// Keras's on every backend (TensorFlow's placement of the window, which torch's symmetric padding alone cannot give
/// for e.g. kernel 3, stride 2, "same"). Parameters: kh·kw·cin·filters + filters.
/// </remarks>
/// <example>
/// <code>
/// new Conv2DTranspose(64, 3, strides: 2, padding: "same", activation: "relu")   // (None, 16, 16, 128) -> (None, 32, 32, 64)
/// new Conv2DTranspose(3, (2, 2), strides: (2, 2), inputShape: [8, 8, 4])         // (None, 16, 16, 3), 51 parameters
/// </code>
/// </example>
public sealed class Conv2DTranspose : BaseConv2D
{
    // Built: torch's symmetric padding, then what is still to crop (start >= 0) or append as zeros (end < 0) per axis.
    private long[] _torchPadding = [0, 0];
    private (long Start, long End) _rows, _columns;

    /// <summary>Creates a Conv2DTranspose layer.</summary>
    /// <param name="filters">Number of output channels (positive).</param>
    /// <param name="kernelSize">Window (height, width).</param>
    /// <param name="strides">Step (height, width) of the window over the output; default (1, 1).</param>
    /// <param name="padding">"valid" or "same" (output size n·stride), case-insensitive.</param>
    /// <param name="outputPadding">Extra rows and columns (each below its stride) choosing among the output sizes
    /// that fit; null lets Keras's rule choose.</param>
    /// <param name="dataFormat">"channels_last" ([N, H, W, C], the default) or "channels_first" ([N, C, H, W]).</param>
    /// <param name="dilationRate">Dilation (height, width); default (1, 1). Cannot exceed 1 together with strides above 1.</param>
    /// <param name="activation">Activation: a Keras name, an ActivationFunction (e.g. ActivationFunction.Relu(maxValue: 6)) or a Func&lt;Tensor, Tensor&gt;; null or "linear" for none.</param>
    /// <param name="useBias">Whether to add a bias per filter.</param>
    /// <param name="kernelInitializer">Kernel initializer (an Initializer object or its Keras name; null for the default) (Keras default glorot_uniform).</param>
    /// <param name="biasInitializer">Bias initializer (an Initializer object or its Keras name; null for the default) (default zeros).</param>
    /// <param name="inputShape">Per-sample input shape, e.g. [8, 8, 4], for the first layer of a model.</param>
    /// <param name="name">Layer name; default: the snake_case of the class name.</param>
    /// <exception cref="ArgumentOutOfRangeException">filters, kernelSize, strides or dilationRate is not positive.</exception>
    /// <exception cref="ArgumentException">Unknown padding, data format, activation or initializer; outputPadding not below
    /// strides; strides and dilation both above 1.</exception>
    public Conv2DTranspose(int filters, (int, int) kernelSize, (int, int)? strides = null, string padding = "valid",
        (int, int)? outputPadding = null, string dataFormat = "channels_last", (int, int)? dilationRate = null, ActivationFunction? activation = null,
        bool useBias = true, Initializer? kernelInitializer = null, Initializer? biasInitializer = null, long[]? inputShape = null,
        string? name = null)
        : base(kernelSize, strides, padding, dataFormat, dilationRate, activation, useBias, biasInitializer,
            checkStridesWithDilation: true, inputShape, name)
    {
        const string type = nameof(Conv2DTranspose);
        Filters = ConvArithmetic.Positive(filters, nameof(filters), type);
        OutputPadding = ConvTransposeArithmetic.CheckOutputPadding(outputPadding, Strides, type);
        KernelInitializer = kernelInitializer ?? "glorot_uniform";
    }

    /// <summary>Creates a Conv2DTranspose layer with a square kernel, equal strides and equal dilation (Keras's int shorthand).</summary>
    /// <param name="filters">Number of output channels (positive).</param>
    /// <param name="kernelSize">Window height and width.</param>
    /// <param name="strides">Step along both axes.</param>
    /// <param name="padding">"valid" or "same", case-insensitive.</param>
    /// <param name="outputPadding">Extra rows and columns (below strides), or null.</param>
    /// <param name="dataFormat">"channels_last" (default) or "channels_first".</param>
    /// <param name="dilationRate">Dilation along both axes.</param>
    /// <param name="activation">Activation: a Keras name, an ActivationFunction (e.g. ActivationFunction.Relu(maxValue: 6)) or a Func&lt;Tensor, Tensor&gt;; null or "linear" for none.</param>
    /// <param name="useBias">Whether to add a bias per filter.</param>
    /// <param name="kernelInitializer">Kernel initializer (an Initializer object or its Keras name; null for the default).</param>
    /// <param name="biasInitializer">Bias initializer (an Initializer object or its Keras name; null for the default).</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name.</param>
    public Conv2DTranspose(int filters, int kernelSize, int strides = 1, string padding = "valid", int? outputPadding = null,
        string dataFormat = "channels_last", int dilationRate = 1, ActivationFunction? activation = null, bool useBias = true,
        Initializer? kernelInitializer = null, Initializer? biasInitializer = null, long[]? inputShape = null, string? name = null)
        : this(filters, (kernelSize, kernelSize), (strides, strides), padding,
            outputPadding is int p ? (p, p) : null, dataFormat, (dilationRate, dilationRate), activation, useBias, kernelInitializer,
            biasInitializer, inputShape, name)
    {
    }

    /// <summary>Number of output channels.</summary>
    public int Filters { get; }

    /// <summary>Extra rows and columns of output, or null for Keras's default.</summary>
    public (int, int)? OutputPadding { get; }

    /// <summary>Kernel initializer.</summary>
    public Initializer KernelInitializer { get; }

    /// <summary>
    /// The kernel in TorchSharp's <c>conv_transpose2d</c> layout <c>[cin, filters, kh, kw]</c>; Keras stores
    /// <c>[kh, kw, filters, cin]</c> (<c>Kernel.permute(2, 3, 1, 0)</c>).
    /// </summary>
    public Parameter? Kernel => get_parameter("kernel");

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The input is not an image, or the configuration leaves no output.</exception>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        var (height, width, _) = ConvArithmetic.ImageShape(inputShape, ChannelsFirst, this);
        long outHeight = ConvTransposeArithmetic.OutputLength(height, KernelSize.Item1, Strides.Item1, DilationRate.Item1, Same, OutputPadding?.Item1);
        long outWidth = ConvTransposeArithmetic.OutputLength(width, KernelSize.Item2, Strides.Item2, DilationRate.Item2, Same, OutputPadding?.Item2);
        if (outHeight <= 0 || outWidth <= 0)
            throw new ArgumentException(
                $"Layer \"{Name}\" (Conv2DTranspose): kernelSize {KernelSize}, strides {Strides}, padding \"{Padding}\" and outputPadding " +
                $"{OutputPadding} leave an output of {outHeight}x{outWidth} for input shape {Shapes.FormatBatch(inputShape)}. " +
                "Use a larger outputPadding or input, or padding \"valid\".");
        return ConvArithmetic.Image(outHeight, outWidth, Filters, ChannelsFirst);
    }

    /// <inheritdoc/>
    public override void Build(long[] inputShape)
    {
        var (_, _, channels) = ConvArithmetic.ImageShape(inputShape, ChannelsFirst, this);
        long receptiveField = (long)KernelSize.Item1 * KernelSize.Item2;
        // Fans as Keras computes them from its kernel shape [kh, kw, filters, cin]: the filters come first.
        long fanIn = Filters * receptiveField, fanOut = channels * receptiveField;
        AddWeight("kernel", [channels, Filters, KernelSize.Item1, KernelSize.Item2], KernelInitializer, fanIn, fanOut);
        if (UseBias) AddWeight("bias", [Filters], BiasInitializer, fanIn, fanOut);
        var rows = ConvTransposeArithmetic.Crop(KernelSize.Item1, Strides.Item1, DilationRate.Item1, Same, OutputPadding?.Item1);
        var columns = ConvTransposeArithmetic.Crop(KernelSize.Item2, Strides.Item2, DilationRate.Item2, Same, OutputPadding?.Item2);
        // torch's padding crops both ends alike; the rest is a view (narrow) or, rarely, appended zeros.
        long rowPadding = Math.Max(0, Math.Min(rows.Start, rows.End)), columnPadding = Math.Max(0, Math.Min(columns.Start, columns.End));
        _torchPadding = [rowPadding, columnPadding];
        _rows = (rows.Start - rowPadding, rows.End - rowPadding);
        _columns = (columns.Start - columnPadding, columns.End - columnPadding);
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training)
    {
        ConvArithmetic.CheckBatch(x, this);
        bool appendZeros = _rows.End < 0 || _columns.End < 0;
        // Parameters are looked up by name: moving the model to another device replaces the registered tensors.
        var y = F.conv_transpose2d(ConvArithmetic.ToNchw(x, ChannelsFirst), InComputeDtype(Kernel!), appendZeros ? null : InComputeDtype(Bias),
            strides: [Strides.Item1, Strides.Item2], padding: _torchPadding, dilation: [DilationRate.Item1, DilationRate.Item2]);
        y = Crop(Crop(y, 2, _rows), 3, _columns);
        if (appendZeros)
        {
            // Keras's window extends past the full convolution (e.g. "valid" with stride > kernel): zeros, then the bias.
            y = new Padding2D(0, Math.Max(0, -_rows.End), 0, Math.Max(0, -_columns.End)).Apply(y);
            if (Bias is { } bias) y = y + InComputeDtype(bias).view(1, -1, 1, 1);
        }
        return Finish(y);
    }

    private static Tensor Crop(Tensor y, long axis, (long Start, long End) crop)
    {
        long end = Math.Max(crop.End, 0);
        return crop.Start == 0 && end == 0 ? y : y.narrow(axis, crop.Start, y.shape[axis] - crop.Start - end);
    }
}
