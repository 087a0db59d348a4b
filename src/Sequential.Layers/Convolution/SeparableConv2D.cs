using Sequential.Activations;
using Sequential.Initializers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Depthwise separable 2-D convolution (Keras's <c>SeparableConv2D</c>): a depthwise convolution per input channel
/// (<c>depthMultiplier</c> outputs each), then a 1x1 pointwise convolution to <c>filters</c> channels.
/// </summary>
/// <remarks>Parameters: kh·kw·cin·depthMultiplier + cin·depthMultiplier·filters + filters.</remarks>
/// <example><code>new SeparableConv2D(64, (3, 3), padding: "same", activation: "relu")</code></example>
public sealed class SeparableConv2D : BaseConv2D
{
    private Padding2D _padding;
    private long _inputChannels;

    /// <summary>Creates a SeparableConv2D layer.</summary>
    /// <param name="filters">Number of output channels (positive).</param>
    /// <param name="kernelSize">Depthwise window (height, width).</param>
    /// <param name="strides">Depthwise step (height, width); default (1, 1).</param>
    /// <param name="padding">"valid" or "same", case-insensitive.</param>
    /// <param name="dataFormat">"channels_last" (default) or "channels_first".</param>
    /// <param name="dilationRate">Depthwise dilation (height, width); default (1, 1).</param>
    /// <param name="depthMultiplier">Depthwise outputs per input channel (positive).</param>
    /// <param name="activation">Activation: a Keras name, an ActivationFunction (e.g. ActivationFunction.Relu(maxValue: 6)) or a Func&lt;Tensor, Tensor&gt;; null or "linear" for none.</param>
    /// <param name="useBias">Whether to add a bias per filter.</param>
    /// <param name="depthwiseInitializer">Depthwise kernel initializer (an Initializer object or its Keras name; null for the default) (default glorot_uniform).</param>
    /// <param name="pointwiseInitializer">Pointwise kernel initializer (an Initializer object or its Keras name; null for the default) (default glorot_uniform).</param>
    /// <param name="biasInitializer">Bias initializer (an Initializer object or its Keras name; null for the default) (default zeros).</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default separable_conv2d.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    /// <exception cref="ArgumentException">Unknown padding, data format, activation or initializer.</exception>
    public SeparableConv2D(int filters, (int, int) kernelSize, (int, int)? strides = null, string padding = "valid",
        string dataFormat = "channels_last", (int, int)? dilationRate = null, int depthMultiplier = 1, ActivationFunction? activation = null,
        bool useBias = true, Initializer? depthwiseInitializer = null, Initializer? pointwiseInitializer = null,
        Initializer? biasInitializer = null, long[]? inputShape = null, string? name = null)
        : base(kernelSize, strides, padding, dataFormat, dilationRate, activation, useBias, biasInitializer,
            checkStridesWithDilation: true, inputShape, name)
    {
        const string type = nameof(SeparableConv2D);
        Filters = ConvArithmetic.Positive(filters, nameof(filters), type);
        DepthMultiplier = ConvArithmetic.Positive(depthMultiplier, nameof(depthMultiplier), type);
        DepthwiseInitializer = depthwiseInitializer ?? "glorot_uniform";
        PointwiseInitializer = pointwiseInitializer ?? "glorot_uniform";
    }

    /// <summary>Creates a SeparableConv2D layer with a square kernel (Keras's int shorthand).</summary>
    /// <param name="filters">Number of output channels.</param>
    /// <param name="kernelSize">Window height and width.</param>
    /// <param name="strides">Step along both axes.</param>
    /// <param name="padding">"valid" or "same".</param>
    /// <param name="activation">Activation: a Keras name, an ActivationFunction (e.g. ActivationFunction.Relu(maxValue: 6)) or a Func&lt;Tensor, Tensor&gt;.</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name.</param>
    public SeparableConv2D(int filters, int kernelSize, int strides = 1, string padding = "valid", ActivationFunction? activation = null,
        long[]? inputShape = null, string? name = null)
        : this(filters, (kernelSize, kernelSize), (strides, strides), padding, activation: activation, inputShape: inputShape, name: name)
    {
    }

    /// <summary>Number of output channels.</summary>
    public int Filters { get; }

    /// <summary>Depthwise outputs per input channel.</summary>
    public int DepthMultiplier { get; }

    /// <summary>Depthwise kernel initializer.</summary>
    public Initializer DepthwiseInitializer { get; }

    /// <summary>Pointwise kernel initializer.</summary>
    public Initializer PointwiseInitializer { get; }

    /// <summary>Depthwise kernel, TorchSharp layout <c>[cin·depthMultiplier, 1, kh, kw]</c> (Keras: <c>[kh, kw, cin, depthMultiplier]</c>).</summary>
    public Parameter? DepthwiseKernel => get_parameter("depthwise_kernel");

    /// <summary>Pointwise kernel, TorchSharp layout <c>[filters, cin·depthMultiplier, 1, 1]</c> (Keras: <c>[1, 1, cin·depthMultiplier, filters]</c>).</summary>
    public Parameter? PointwiseKernel => get_parameter("pointwise_kernel");

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
        long depth = channels * DepthMultiplier;
        // Fans as Keras computes them from its kernel shapes [kh, kw, cin, dm] and [1, 1, cin*dm, filters].
        AddWeight("depthwise_kernel", [depth, 1, KernelSize.Item1, KernelSize.Item2], DepthwiseInitializer,
            channels * receptiveField, DepthMultiplier * receptiveField);
        AddWeight("pointwise_kernel", [Filters, depth, 1, 1], PointwiseInitializer, depth, Filters);
        if (UseBias) AddWeight("bias", [Filters], BiasInitializer, depth, Filters);
        _padding = ConvArithmetic.PaddingFor(Same, height, width, KernelSize, Strides, DilationRate);
        _inputChannels = channels;
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training)
    {
        ConvArithmetic.CheckBatch(x, this);
        var depthwise = ConvArithmetic.Conv2d(ConvArithmetic.ToNchw(x, ChannelsFirst), InComputeDtype(DepthwiseKernel!), null, Strides, _padding,
            DilationRate, groups: _inputChannels);
        return Finish(ConvArithmetic.Conv2d(depthwise, InComputeDtype(PointwiseKernel!), InComputeDtype(Bias), (1, 1), default, (1, 1)));
    }
}
