using Sequential.Activations;
using Sequential.Initializers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Depthwise 2-D convolution (Keras's <c>DepthwiseConv2D</c>): each input channel is convolved with its own
/// <c>depthMultiplier</c> kernels, without mixing channels; output channel c·depthMultiplier + m comes from input
/// channel c and kernel m. Inputs are batches of images <c>[N, H, W, C]</c> (channels_last, the default) or
/// <c>[N, C, H, W]</c>.
/// </summary>
/// <remarks>
/// Output size as <see cref="Conv2D"/> ("valid" floor((n - (k-1)·d - 1) / s) + 1, "same" ceil(n / s)) with
/// cin·depthMultiplier channels. Parameters: kh·kw·cin·depthMultiplier + cin·depthMultiplier.
/// </remarks>
/// <example><code>new DepthwiseConv2D(3, padding: "same", depthMultiplier: 2)   // (None, 32, 32, 16) -> (None, 32, 32, 32), 320 parameters</code></example>
public sealed class DepthwiseConv2D : BaseConv2D
{
    private Padding2D _padding;
    private long _inputChannels;

    /// <summary>Creates a DepthwiseConv2D layer.</summary>
    /// <param name="kernelSize">Window (height, width).</param>
    /// <param name="strides">Step (height, width); default (1, 1).</param>
    /// <param name="padding">"valid" or "same", case-insensitive.</param>
    /// <param name="depthMultiplier">Output channels per input channel (positive); default 1.</param>
    /// <param name="dataFormat">"channels_last" (default) or "channels_first".</param>
    /// <param name="dilationRate">Dilation (height, width); default (1, 1).</param>
    /// <param name="activation">Activation: a Keras name, an ActivationFunction (e.g. ActivationFunction.Relu(maxValue: 6)) or a Func&lt;Tensor, Tensor&gt;; null or "linear" for none.</param>
    /// <param name="useBias">Whether to add a bias per output channel.</param>
    /// <param name="depthwiseInitializer">Kernel initializer (an Initializer object or its Keras name; null for the default) (default glorot_uniform).</param>
    /// <param name="biasInitializer">Bias initializer (an Initializer object or its Keras name; null for the default) (default zeros).</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default depthwise_conv2d.</param>
    /// <exception cref="ArgumentOutOfRangeException">kernelSize, strides, dilationRate or depthMultiplier is not positive.</exception>
    /// <exception cref="ArgumentException">Unknown padding, data format, activation or initializer.</exception>
    public DepthwiseConv2D((int, int) kernelSize, (int, int)? strides = null, string padding = "valid", int depthMultiplier = 1,
        string dataFormat = "channels_last", (int, int)? dilationRate = null, ActivationFunction? activation = null, bool useBias = true,
        Initializer? depthwiseInitializer = null, Initializer? biasInitializer = null, long[]? inputShape = null, string? name = null)
        : base(kernelSize, strides, padding, dataFormat, dilationRate, activation, useBias, biasInitializer,
            checkStridesWithDilation: false, inputShape, name)
    {
        DepthMultiplier = ConvArithmetic.Positive(depthMultiplier, nameof(depthMultiplier), nameof(DepthwiseConv2D));
        DepthwiseInitializer = depthwiseInitializer ?? "glorot_uniform";
    }

    /// <summary>Creates a DepthwiseConv2D layer with a square kernel, equal strides and equal dilation (Keras's int shorthand).</summary>
    /// <param name="kernelSize">Window height and width.</param>
    /// <param name="strides">Step along both axes.</param>
    /// <param name="padding">"valid" or "same".</param>
    /// <param name="depthMultiplier">Output channels per input channel.</param>
    /// <param name="dataFormat">"channels_last" (default) or "channels_first".</param>
    /// <param name="dilationRate">Dilation along both axes.</param>
    /// <param name="activation">Activation: a Keras name, an ActivationFunction (e.g. ActivationFunction.Relu(maxValue: 6)) or a Func&lt;Tensor, Tensor&gt;.</param>
    /// <param name="useBias">Whether to add a bias per output channel.</param>
    /// <param name="depthwiseInitializer">Kernel initializer (an Initializer object or its Keras name; null for the default).</param>
    /// <param name="biasInitializer">Bias initializer (an Initializer object or its Keras name; null for the default).</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name.</param>
    public DepthwiseConv2D(int kernelSize, int strides = 1, string padding = "valid", int depthMultiplier = 1,
        string dataFormat = "channels_last", int dilationRate = 1, ActivationFunction? activation = null, bool useBias = true,
        Initializer? depthwiseInitializer = null, Initializer? biasInitializer = null, long[]? inputShape = null, string? name = null)
        : this((kernelSize, kernelSize), (strides, strides), padding, depthMultiplier, dataFormat, (dilationRate, dilationRate), activation,
            useBias, depthwiseInitializer, biasInitializer, inputShape, name)
    {
    }

    /// <summary>Output channels per input channel.</summary>
    public int DepthMultiplier { get; }

    /// <summary>Kernel initializer.</summary>
    public Initializer DepthwiseInitializer { get; }

    /// <summary>
    /// The kernel in TorchSharp's grouped-convolution layout <c>[cin·depthMultiplier, 1, kh, kw]</c>; Keras stores
    /// <c>[kh, kw, cin, depthMultiplier]</c> (<c>Kernel.view(cin, depthMultiplier, kh, kw).permute(2, 3, 0, 1)</c>).
    /// </summary>
    public Parameter? Kernel => get_parameter("kernel");

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        var (height, width, channels) = ConvArithmetic.ImageShape(inputShape, ChannelsFirst, this);
        var (outHeight, outWidth) = ConvolvedSize(height, width);
        return ConvArithmetic.Image(outHeight, outWidth, checked(channels * DepthMultiplier), ChannelsFirst);
    }

    /// <inheritdoc/>
    public override void Build(long[] inputShape)
    {
        var (height, width, channels) = ConvArithmetic.ImageShape(inputShape, ChannelsFirst, this);
        long receptiveField = (long)KernelSize.Item1 * KernelSize.Item2;
        long depth = channels * DepthMultiplier;
        // Fans as Keras computes them from its kernel shape [kh, kw, cin, depthMultiplier].
        long fanIn = channels * receptiveField, fanOut = DepthMultiplier * receptiveField;
        AddWeight("kernel", [depth, 1, KernelSize.Item1, KernelSize.Item2], DepthwiseInitializer, fanIn, fanOut);
        if (UseBias) AddWeight("bias", [depth], BiasInitializer, fanIn, fanOut);
        _padding = ConvArithmetic.PaddingFor(Same, height, width, KernelSize, Strides, DilationRate);
        _inputChannels = channels;
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training)
    {
        ConvArithmetic.CheckBatch(x, this);
        return Finish(ConvArithmetic.Conv2d(ConvArithmetic.ToNchw(x, ChannelsFirst), InComputeDtype(Kernel!), InComputeDtype(Bias), Strides, _padding, DilationRate,
            groups: _inputChannels));
    }
}
