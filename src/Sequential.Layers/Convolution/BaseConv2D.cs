using Sequential.Activations;
using Sequential.Initializers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// What <see cref="Conv2D"/>, <see cref="SeparableConv2D"/>, <see cref="Conv2DTranspose"/> and
/// <see cref="DepthwiseConv2D"/> share (Keras's <c>BaseConv</c>): a window (<see cref="KernelSize"/>) slid over height
/// and width with strides, dilation and "valid" or "same" padding, an optional bias and an activation. The kernels,
/// the number of output channels and how they are computed are each layer's own.
/// </summary>
public abstract class BaseConv2D : Layer
{
    /// <summary>Whether the images are <c>[N, C, H, W]</c> (<see cref="DataFormat"/> "channels_first").</summary>
    private protected readonly bool ChannelsFirst;

    /// <summary>Whether <see cref="Padding"/> is "same".</summary>
    private protected readonly bool Same;

    /// <summary>Checks and stores the shared arguments; messages name the concrete layer type.</summary>
    /// <param name="kernelSize">Window (height, width).</param>
    /// <param name="strides">Step (height, width); default (1, 1).</param>
    /// <param name="padding">"valid" or "same", case-insensitive.</param>
    /// <param name="dataFormat">"channels_last" or "channels_first".</param>
    /// <param name="dilationRate">Dilation (height, width); default (1, 1).</param>
    /// <param name="activation">Activation: a Keras name, an ActivationFunction (e.g. ActivationFunction.Relu(maxValue: 6)) or a Func&lt;Tensor, Tensor&gt;; null or "linear" for none.</param>
    /// <param name="useBias">Whether to add a bias per output channel.</param>
    /// <param name="biasInitializer">Bias initializer (an Initializer object or its Keras name; null for the default).</param>
    /// <param name="checkStridesWithDilation">Whether strides and dilation above 1 together are refused.</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name.</param>
    private protected BaseConv2D((int, int) kernelSize, (int, int)? strides, string padding, string dataFormat,
        (int, int)? dilationRate, ActivationFunction? activation, bool useBias, Initializer? biasInitializer, bool checkStridesWithDilation,
        long[]? inputShape, string? name)
        : base(name, inputShape)
    {
        string type = GetType().Name;
        KernelSize = ConvArithmetic.Positive(kernelSize, nameof(kernelSize), type);
        Strides = ConvArithmetic.Positive(strides ?? (1, 1), nameof(strides), type);
        Padding = ConvArithmetic.Padding(padding, type);
        DataFormat = ConvArithmetic.DataFormat(dataFormat, type);
        DilationRate = ConvArithmetic.Positive(dilationRate ?? (1, 1), nameof(dilationRate), type);
        if (checkStridesWithDilation) ConvArithmetic.CheckStridesWithDilation(Strides, DilationRate, type);
        Activation = activation ?? "linear";
        UseBias = useBias;
        BiasInitializer = biasInitializer ?? "zeros";
        Same = Padding == "same";
        ChannelsFirst = DataFormat == "channels_first";
    }

    /// <summary>Window (height, width); for <see cref="SeparableConv2D"/> the depthwise window.</summary>
    public (int, int) KernelSize { get; }

    /// <summary>Step (height, width).</summary>
    public (int, int) Strides { get; }

    /// <summary>"valid" or "same" (lower case).</summary>
    public string Padding { get; }

    /// <summary>"channels_last" or "channels_first" (lower case).</summary>
    public string DataFormat { get; }

    /// <summary>Dilation (height, width).</summary>
    public (int, int) DilationRate { get; }

    /// <summary>The activation applied to the output.</summary>
    public ActivationFunction Activation { get; }

    /// <summary>Whether a bias is added.</summary>
    public bool UseBias { get; }

    /// <summary>Bias initializer.</summary>
    public Initializer BiasInitializer { get; }

    /// <summary>The bias, one value per output channel, or null without <see cref="UseBias"/>.</summary>
    public Parameter? Bias => UseBias ? get_parameter("bias") : null;

    /// <summary>
    /// Output (height, width) of a forward convolution with this window, strides and dilation ("valid"
    /// floor((n - (k-1)·d - 1) / s) + 1, "same" ceil(n / s)).
    /// </summary>
    private protected (long Height, long Width) ConvolvedSize(long height, long width) =>
        (ConvArithmetic.OutputLength(height, KernelSize.Item1, Strides.Item1, DilationRate.Item1, Same, this),
         ConvArithmetic.OutputLength(width, KernelSize.Item2, Strides.Item2, DilationRate.Item2, Same, this));

    /// <summary>Back from the NCHW result to <see cref="DataFormat"/>, then the activation.</summary>
    private protected Tensor Finish(Tensor nchw)
    {
        var y = ConvArithmetic.FromNchw(nchw, ChannelsFirst);
        return Activation.IsLinear ? y : Activation.Call(y);
    }
}
