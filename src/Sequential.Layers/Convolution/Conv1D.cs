using Sequential.Activations;
using Sequential.Initializers;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Sequential.Layers;

/// <summary>
/// 1-D convolution over sequences, <c>output = activation(conv1d(input, kernel) + bias)</c> (Keras's <c>Conv1D</c>).
/// Inputs are batches of sequences <c>[N, steps, channels]</c> (channels_last, the default) or <c>[N, channels, steps]</c>
/// (<c>dataFormat: "channels_first"</c>).
/// </summary>
/// <remarks>
/// Output length: <c>"valid"</c> floor((n - (k-1)·d - 1) / s) + 1; <c>"same"</c> ceil(n / s) with TensorFlow's padding
/// (the odd step goes to the end); <c>"causal"</c> pads (k-1)·d steps at the start only, so output t never sees input
/// after t (ceil(n / s) steps). With <c>groups</c> the channels are split into groups convolved separately.
/// Parameters: k·(cin/groups)·filters + filters.
/// </remarks>
/// <example>
/// <code>
/// // keras.io's text classification from scratch:
/// new Conv1D(128, 7, padding: "valid", activation: "relu", strides: 3)   // (None, 500, 128) -> (None, 165, 128), 114,816 parameters
/// new Conv1D(32, 3, padding: "causal", dilationRate: 2)                  // WaveNet-style
/// </code>
/// </example>
public sealed class Conv1D : Layer
{
    private static readonly string[] PaddingNames = ["valid", "same", "causal"];
    private (long Before, long After) _padding;

    /// <summary>Creates a Conv1D layer.</summary>
    /// <param name="filters">Number of output channels (positive, divisible by <paramref name="groups"/>).</param>
    /// <param name="kernelSize">Window length.</param>
    /// <param name="strides">Step.</param>
    /// <param name="padding">"valid", "same" or "causal", case-insensitive.</param>
    /// <param name="dataFormat">"channels_last" ([N, steps, C], the default) or "channels_first" ([N, C, steps]).</param>
    /// <param name="dilationRate">Dilation; cannot exceed 1 together with strides above 1.</param>
    /// <param name="groups">Number of channel groups (input channels and filters must be divisible by it).</param>
    /// <param name="activation">Activation: a Keras name, an ActivationFunction (e.g. ActivationFunction.Relu(maxValue: 6)) or a Func&lt;Tensor, Tensor&gt;; null or "linear" for none.</param>
    /// <param name="useBias">Whether to add a bias per filter.</param>
    /// <param name="kernelInitializer">Kernel initializer (an Initializer object or its Keras name; null for the default) (Keras default glorot_uniform).</param>
    /// <param name="biasInitializer">Bias initializer (an Initializer object or its Keras name; null for the default) (default zeros).</param>
    /// <param name="inputShape">Per-sample input shape, e.g. [500, 128], for the first layer of a model.</param>
    /// <param name="name">Layer name; default conv1d, conv1d_1, ...</param>
    /// <exception cref="ArgumentOutOfRangeException">filters, kernelSize, strides, dilationRate or groups is not positive.</exception>
    /// <exception cref="ArgumentException">Unknown padding, data format, activation or initializer; filters not divisible
    /// by groups; strides and dilation both above 1.</exception>
    public Conv1D(int filters, int kernelSize, int strides = 1, string padding = "valid", string dataFormat = "channels_last",
        int dilationRate = 1, int groups = 1, ActivationFunction? activation = null, bool useBias = true, Initializer? kernelInitializer = null,
        Initializer? biasInitializer = null, long[]? inputShape = null, string? name = null)
        : base(name, inputShape)
    {
        Filters = ConvArithmetic.Positive(filters, nameof(filters), nameof(Conv1D));
        KernelSize = ConvArithmetic.Positive(kernelSize, nameof(kernelSize), nameof(Conv1D));
        Strides = ConvArithmetic.Positive(strides, nameof(strides), nameof(Conv1D));
        DilationRate = ConvArithmetic.Positive(dilationRate, nameof(dilationRate), nameof(Conv1D));
        Groups = ConvArithmetic.Positive(groups, nameof(groups), nameof(Conv1D));
        var normalised = padding?.Trim().ToLowerInvariant();
        Padding = normalised is not null && PaddingNames.Contains(normalised) ? normalised
            : throw new ArgumentException(
                $"Conv1D padding must be one of \"valid\", \"same\", \"causal\" (case-insensitive); got {(padding is null ? "null" : $"\"{padding}\"")}.",
                nameof(padding));
        DataFormat = ConvArithmetic.DataFormat(dataFormat, nameof(Conv1D));
        ConvArithmetic.CheckStridesWithDilation((strides, 1), (dilationRate, 1), nameof(Conv1D));
        if (filters % groups != 0)
            throw new ArgumentException(
                $"Conv1D filters must be divisible by groups; got filters {filters} and groups {groups}.", nameof(groups));
        Activation = activation ?? "linear";
        UseBias = useBias;
        KernelInitializer = kernelInitializer ?? "glorot_uniform";
        BiasInitializer = biasInitializer ?? "zeros";
    }

    /// <summary>Number of output channels.</summary>
    public int Filters { get; }

    /// <summary>Window length.</summary>
    public int KernelSize { get; }

    /// <summary>Step.</summary>
    public int Strides { get; }

    /// <summary>"valid", "same" or "causal" (lower case).</summary>
    public string Padding { get; }

    /// <summary>"channels_last" or "channels_first" (lower case).</summary>
    public string DataFormat { get; }

    /// <summary>Dilation.</summary>
    public int DilationRate { get; }

    /// <summary>Number of channel groups.</summary>
    public int Groups { get; }

    /// <summary>The activation applied to the output.</summary>
    public ActivationFunction Activation { get; }

    /// <summary>Whether a bias is added.</summary>
    public bool UseBias { get; }

    /// <summary>Kernel initializer.</summary>
    public Initializer KernelInitializer { get; }

    /// <summary>Bias initializer.</summary>
    public Initializer BiasInitializer { get; }

    /// <summary>
    /// The kernel in TorchSharp's layout <c>[filters, cin/groups, k]</c>; Keras stores <c>[k, cin/groups, filters]</c>
    /// (<c>Kernel.permute(2, 1, 0)</c>).
    /// </summary>
    public Parameter? Kernel => Built ? get_parameter("kernel") : null;

    /// <summary>The bias, one value per filter, or null without <see cref="UseBias"/>.</summary>
    public Parameter? Bias => Built && UseBias ? get_parameter("bias") : null;

    private bool ChannelsFirst => DataFormat == "channels_first";

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        var (steps, _) = SequenceArithmetic.SequenceShape(inputShape, ChannelsFirst, this);
        // "causal" pads (k-1)·d at the start: the same length as "same".
        long outSteps = ConvArithmetic.OutputLength(steps, KernelSize, Strides, DilationRate, Padding != "valid", this);
        return ChannelsFirst ? [Filters, outSteps] : [outSteps, Filters];
    }

    /// <inheritdoc/>
    public override void Build(long[] inputShape)
    {
        var (steps, channels) = SequenceArithmetic.SequenceShape(inputShape, ChannelsFirst, this);
        if (channels % Groups != 0)
            throw new ArgumentException(
                $"Layer \"{Name}\" (Conv1D): the number of input channels must be divisible by groups; got {channels} channels and groups {Groups}.");
        long perGroup = channels / Groups;
        AddWeight("kernel", [Filters, perGroup, KernelSize], KernelInitializer, perGroup * KernelSize, (long)Filters * KernelSize);
        if (UseBias) AddWeight("bias", [Filters], BiasInitializer, perGroup * KernelSize, (long)Filters * KernelSize);
        _padding = Padding switch
        {
            "same" when steps == Shapes.None => (Shapes.None, Shapes.None), // computed per batch: it depends on the length
            "same" => ConvArithmetic.SamePadding(steps, KernelSize, Strides, DilationRate),
            "causal" => ((long)(KernelSize - 1) * DilationRate, 0),
            _ => (0, 0),
        };
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training)
    {
        SequenceArithmetic.CheckBatch(x, this);
        var ncl = ChannelsFirst ? x : x.permute(0, 2, 1);
        var padding = _padding.Before == Shapes.None ? ConvArithmetic.SamePadding(ncl.shape[2], KernelSize, Strides, DilationRate) : _padding;
        if (padding.Before != padding.After) ncl = F.pad(ncl, [padding.Before, padding.After]);
        long symmetric = padding.Before == padding.After ? padding.Before : 0;
        var y = F.conv1d(ncl, InComputeDtype(Kernel!), InComputeDtype(Bias), stride: Strides, padding: symmetric, dilation: DilationRate, groups: Groups);
        if (!ChannelsFirst) y = y.permute(0, 2, 1);
        return Activation.IsLinear ? y : Activation.Call(y);
    }
}
