using Sequential.Activations;
using Sequential.Initializers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// 2-D convolution over images, <c>output = activation(conv2d(input, kernel) + bias)</c> (Keras's <c>Conv2D</c>).
/// Inputs are batches of images <c>[N, H, W, C]</c> (channels_last, the default) or <c>[N, C, H, W]</c>
/// (<c>dataFormat: "channels_first"</c>).
/// </summary>
/// <remarks>
/// Output size per spatial axis: <c>"valid"</c> floor((n - (k-1)·d - 1) / s) + 1, <c>"same"</c> ceil(n / s), with
/// TensorFlow's asymmetric "same" padding (the odd pixel goes to the bottom/right). Parameters:
/// kh·kw·cin·filters + filters.
/// </remarks>
/// <example>
/// <code>
/// // Chollet's cats-vs-dogs convnet starts with:
/// new Conv2D(32, (3, 3), activation: "relu", inputShape: [150, 150, 3])   // (None, 148, 148, 32), 896 parameters
/// new Conv2D(64, 3, strides: 2, padding: "same")                          // int kernel size and strides
/// </code>
/// </example>
public sealed class Conv2D : BaseConv2D
{
    private Padding2D _padding;

    /// <summary>Creates a Conv2D layer.</summary>
    /// <param name="filters">Number of output channels (positive).</param>
    /// <param name="kernelSize">Window (height, width).</param>
    /// <param name="strides">Step (height, width); default (1, 1).</param>
    /// <param name="padding">"valid" (no padding) or "same" (output size ceil(n / stride)), case-insensitive.</param>
    /// <param name="dataFormat">"channels_last" ([N, H, W, C], the default) or "channels_first" ([N, C, H, W]).</param>
    /// <param name="dilationRate">Dilation (height, width); default (1, 1). Cannot exceed 1 together with strides above 1.</param>
    /// <param name="activation">Activation: a Keras name, an ActivationFunction (e.g. ActivationFunction.Relu(maxValue: 6)) or a Func&lt;Tensor, Tensor&gt;; null or "linear" for none.</param>
    /// <param name="useBias">Whether to add a bias per filter.</param>
    /// <param name="kernelInitializer">Kernel initializer (an Initializer object or its Keras name; null for the default) (Keras default glorot_uniform).</param>
    /// <param name="biasInitializer">Bias initializer (an Initializer object or its Keras name; null for the default) (default zeros).</param>
    /// <param name="inputShape">Per-sample input shape, e.g. [150, 150, 3], for the first layer of a model.</param>
    /// <param name="name">Layer name; default conv2d, conv2d_1, ...</param>
    /// <exception cref="ArgumentOutOfRangeException">filters, kernelSize, strides or dilationRate is not positive.</exception>
    /// <exception cref="ArgumentException">Unknown padding, data format, activation or initializer.</exception>
    public Conv2D(int filters, (int, int) kernelSize, (int, int)? strides = null, string padding = "valid",
        string dataFormat = "channels_last", (int, int)? dilationRate = null, ActivationFunction? activation = null, bool useBias = true,
        Initializer? kernelInitializer = null, Initializer? biasInitializer = null, long[]? inputShape = null, string? name = null)
        : base(kernelSize, strides, padding, dataFormat, dilationRate, activation, useBias, biasInitializer,
            checkStridesWithDilation: true, inputShape, name)
    {
        Filters = ConvArithmetic.Positive(filters, nameof(filters), nameof(Conv2D));
        KernelInitializer = kernelInitializer ?? "glorot_uniform";
    }

    /// <summary>Creates a Conv2D layer with a square kernel, equal strides and equal dilation (Keras's int shorthand).</summary>
    /// <param name="filters">Number of output channels (positive).</param>
    /// <param name="kernelSize">Window height and width.</param>
    /// <param name="strides">Step along both axes.</param>
    /// <param name="padding">"valid" or "same", case-insensitive.</param>
    /// <param name="dataFormat">"channels_last" (default) or "channels_first".</param>
    /// <param name="dilationRate">Dilation along both axes.</param>
    /// <param name="activation">Activation: a Keras name, an ActivationFunction (e.g. ActivationFunction.Relu(maxValue: 6)) or a Func&lt;Tensor, Tensor&gt;; null or "linear" for none.</param>
    /// <param name="useBias">Whether to add a bias per filter.</param>
    /// <param name="kernelInitializer">Kernel initializer (an Initializer object or its Keras name; null for the default).</param>
    /// <param name="biasInitializer">Bias initializer (an Initializer object or its Keras name; null for the default).</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name.</param>
    public Conv2D(int filters, int kernelSize, int strides = 1, string padding = "valid", string dataFormat = "channels_last",
        int dilationRate = 1, ActivationFunction? activation = null, bool useBias = true, Initializer? kernelInitializer = null,
        Initializer? biasInitializer = null, long[]? inputShape = null, string? name = null)
        : this(filters, (kernelSize, kernelSize), (strides, strides), padding, dataFormat, (dilationRate, dilationRate), activation,
            useBias, kernelInitializer, biasInitializer, inputShape, name)
    {
    }

    /// <summary>Number of output channels.</summary>
    public int Filters { get; }

    /// <summary>Kernel initializer.</summary>
    public Initializer KernelInitializer { get; }

    /// <summary>
    /// The kernel in TorchSharp's layout <c>[filters, cin, kh, kw]</c>; Keras stores <c>[kh, kw, cin, filters]</c>
    /// (<c>Kernel.permute(2, 3, 1, 0)</c>).
    /// </summary>
    public Parameter? Kernel => get_parameter("kernel");

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        var (height, width, _) = ConvArithmetic.ImageShape(inputShape, ChannelsFirst, this);
        var (outHeight, outWidth) = ConvolvedSize(height, width);
        return ConvArithmetic.Image(outHeight, outWidth, Filters, ChannelsFirst);
    }

    /// <inheritdoc/>
    public override void Build(long[] inputShape)
    {
        var (height, width, channels) = ConvArithmetic.ImageShape(inputShape, ChannelsFirst, this);
        long receptiveField = (long)KernelSize.Item1 * KernelSize.Item2;
        AddWeight("kernel", [Filters, channels, KernelSize.Item1, KernelSize.Item2], KernelInitializer,
            channels * receptiveField, Filters * receptiveField);
        if (UseBias) AddWeight("bias", [Filters], BiasInitializer, channels * receptiveField, Filters * receptiveField);
        _padding = ConvArithmetic.PaddingFor(Same, height, width, KernelSize, Strides, DilationRate);
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training)
    {
        ConvArithmetic.CheckBatch(x, this);
        // Parameters are looked up by name: moving the model to another device replaces the registered tensors.
        return Finish(ConvArithmetic.Conv2d(ConvArithmetic.ToNchw(x, ChannelsFirst), InComputeDtype(Kernel!), InComputeDtype(Bias), Strides, _padding, DilationRate));
    }
}
