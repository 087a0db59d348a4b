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
public sealed class SeparableConv2D : Layer
{
    private readonly bool _same;
    private readonly bool _channelsFirst;
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
    /// <param name="activation">Keras activation name; null or "linear" for none.</param>
    /// <param name="useBias">Whether to add a bias per filter.</param>
    /// <param name="depthwiseInitializer">Depthwise kernel initializer name (default glorot_uniform).</param>
    /// <param name="pointwiseInitializer">Pointwise kernel initializer name (default glorot_uniform).</param>
    /// <param name="biasInitializer">Bias initializer name (default zeros).</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default separable_conv2d.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    /// <exception cref="ArgumentException">Unknown padding, data format, activation or initializer.</exception>
    public SeparableConv2D(int filters, (int, int) kernelSize, (int, int)? strides = null, string padding = "valid",
        string dataFormat = "channels_last", (int, int)? dilationRate = null, int depthMultiplier = 1, string? activation = null,
        bool useBias = true, string depthwiseInitializer = "glorot_uniform", string pointwiseInitializer = "glorot_uniform",
        string biasInitializer = "zeros", long[]? inputShape = null, string? name = null)
        : base(name, inputShape)
    {
        const string type = nameof(SeparableConv2D);
        Filters = ConvArithmetic.Positive(filters, nameof(filters), type);
        KernelSize = ConvArithmetic.Positive(kernelSize, nameof(kernelSize), type);
        Strides = ConvArithmetic.Positive(strides ?? (1, 1), nameof(strides), type);
        Padding = ConvArithmetic.Padding(padding, type);
        DataFormat = ConvArithmetic.DataFormat(dataFormat, type);
        DilationRate = ConvArithmetic.Positive(dilationRate ?? (1, 1), nameof(dilationRate), type);
        ConvArithmetic.CheckStridesWithDilation(Strides, DilationRate, type);
        DepthMultiplier = ConvArithmetic.Positive(depthMultiplier, nameof(depthMultiplier), type);
        Activation = ActivationRegistry.Get(activation);
        UseBias = useBias;
        DepthwiseInitializer = InitializerRegistry.Get(depthwiseInitializer);
        PointwiseInitializer = InitializerRegistry.Get(pointwiseInitializer);
        BiasInitializer = InitializerRegistry.Get(biasInitializer);
        _same = Padding == "same";
        _channelsFirst = DataFormat == "channels_first";
    }

    /// <summary>Creates a SeparableConv2D layer with a square kernel (Keras's int shorthand).</summary>
    /// <param name="filters">Number of output channels.</param>
    /// <param name="kernelSize">Window height and width.</param>
    /// <param name="strides">Step along both axes.</param>
    /// <param name="padding">"valid" or "same".</param>
    /// <param name="activation">Keras activation name.</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name.</param>
    public SeparableConv2D(int filters, int kernelSize, int strides = 1, string padding = "valid", string? activation = null,
        long[]? inputShape = null, string? name = null)
        : this(filters, (kernelSize, kernelSize), (strides, strides), padding, activation: activation, inputShape: inputShape, name: name)
    {
    }

    /// <summary>Number of output channels.</summary>
    public int Filters { get; }

    /// <summary>Depthwise window (height, width).</summary>
    public (int, int) KernelSize { get; }

    /// <summary>Depthwise step (height, width).</summary>
    public (int, int) Strides { get; }

    /// <summary>"valid" or "same" (lower case).</summary>
    public string Padding { get; }

    /// <summary>"channels_last" or "channels_first" (lower case).</summary>
    public string DataFormat { get; }

    /// <summary>Depthwise dilation (height, width).</summary>
    public (int, int) DilationRate { get; }

    /// <summary>Depthwise outputs per input channel.</summary>
    public int DepthMultiplier { get; }

    /// <summary>The activation applied to the output.</summary>
    public ActivationFunction Activation { get; }

    /// <summary>Whether a bias is added.</summary>
    public bool UseBias { get; }

    /// <summary>Depthwise kernel initializer.</summary>
    public Initializer DepthwiseInitializer { get; }

    /// <summary>Pointwise kernel initializer.</summary>
    public Initializer PointwiseInitializer { get; }

    /// <summary>Bias initializer.</summary>
    public Initializer BiasInitializer { get; }

    /// <summary>Depthwise kernel, TorchSharp layout <c>[cin·depthMultiplier, 1, kh, kw]</c> (Keras: <c>[kh, kw, cin, depthMultiplier]</c>).</summary>
    public Parameter? DepthwiseKernel => get_parameter("depthwise_kernel");

    /// <summary>Pointwise kernel, TorchSharp layout <c>[filters, cin·depthMultiplier, 1, 1]</c> (Keras: <c>[1, 1, cin·depthMultiplier, filters]</c>).</summary>
    public Parameter? PointwiseKernel => get_parameter("pointwise_kernel");

    /// <summary>The bias <c>[filters]</c>, or null.</summary>
    public Parameter? Bias => UseBias ? get_parameter("bias") : null;

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        var (height, width, _) = ConvArithmetic.ImageShape(inputShape, _channelsFirst, this);
        long outHeight = ConvArithmetic.OutputLength(height, KernelSize.Item1, Strides.Item1, DilationRate.Item1, _same, this);
        long outWidth = ConvArithmetic.OutputLength(width, KernelSize.Item2, Strides.Item2, DilationRate.Item2, _same, this);
        return ConvArithmetic.Image(outHeight, outWidth, Filters, _channelsFirst);
    }

    /// <inheritdoc/>
    protected override void Build(long[] inputShape)
    {
        var (height, width, channels) = ConvArithmetic.ImageShape(inputShape, _channelsFirst, this);
        long receptiveField = (long)KernelSize.Item1 * KernelSize.Item2;
        long depth = channels * DepthMultiplier;
        // Fans as Keras computes them from its kernel shapes [kh, kw, cin, dm] and [1, 1, cin*dm, filters].
        AddWeight("depthwise_kernel", [depth, 1, KernelSize.Item1, KernelSize.Item2], DepthwiseInitializer,
            channels * receptiveField, DepthMultiplier * receptiveField);
        AddWeight("pointwise_kernel", [Filters, depth, 1, 1], PointwiseInitializer, depth, Filters);
        if (UseBias) AddWeight("bias", [Filters], BiasInitializer, depth, Filters);
        _padding = ConvArithmetic.PaddingFor(_same, height, width, KernelSize, Strides, DilationRate);
        _inputChannels = channels;
    }

    /// <inheritdoc/>
    protected override Tensor Call(Tensor x, bool training)
    {
        ConvArithmetic.CheckBatch(x, this);
        var depthwise = ConvArithmetic.Conv2d(ConvArithmetic.ToNchw(x, _channelsFirst), DepthwiseKernel!, null, Strides, _padding,
            DilationRate, groups: _inputChannels);
        var y = ConvArithmetic.Conv2d(depthwise, PointwiseKernel!, Bias, (1, 1), default, (1, 1));
        y = ConvArithmetic.FromNchw(y, _channelsFirst);
        return Activation.IsLinear ? y : Activation.Call(y);
    }
}
