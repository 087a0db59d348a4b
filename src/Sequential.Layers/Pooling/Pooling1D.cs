using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// What <see cref="MaxPooling1D"/> and <see cref="AveragePooling1D"/> share (Keras's <c>BasePooling</c> of rank 1): a
/// window slid over the steps with "valid" or "same" padding, channels untouched. Runs as the 2-D pooling of
/// <see cref="Pooling2D"/> on a height-1 view, so the TensorFlow padding rules are the same code.
/// </summary>
public abstract class Pooling1D : Layer
{
    private protected readonly bool ChannelsFirst;
    private Padding2D _padding;
    private bool _unknownSteps;
    private readonly bool _same;

    /// <summary>Creates a pooling layer.</summary>
    /// <param name="poolSize">Window length.</param>
    /// <param name="strides">Step; default <paramref name="poolSize"/>.</param>
    /// <param name="padding">"valid" or "same", case-insensitive.</param>
    /// <param name="dataFormat">"channels_last" ([N, steps, C], the default) or "channels_first" ([N, C, steps]).</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name.</param>
    private protected Pooling1D(int poolSize, int? strides, string padding, string dataFormat, long[]? inputShape, string? name)
        : base(name, inputShape)
    {
        string type = GetType().Name;
        PoolSize = ConvArithmetic.Positive(poolSize, nameof(poolSize), type);
        Strides = ConvArithmetic.Positive(strides ?? poolSize, nameof(strides), type);
        Padding = ConvArithmetic.Padding(padding, type);
        DataFormat = ConvArithmetic.DataFormat(dataFormat, type);
        _same = Padding == "same";
        ChannelsFirst = DataFormat == "channels_first";
    }

    /// <summary>Window length.</summary>
    public int PoolSize { get; }

    /// <summary>Step; equals <see cref="PoolSize"/> unless given.</summary>
    public int Strides { get; }

    /// <summary>"valid" or "same" (lower case).</summary>
    public string Padding { get; }

    /// <summary>"channels_last" or "channels_first" (lower case).</summary>
    public string DataFormat { get; }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        var (steps, channels) = SequenceArithmetic.SequenceShape(inputShape, ChannelsFirst, this);
        long outSteps = ConvArithmetic.OutputLength(steps, PoolSize, Strides, 1, _same, this);
        return ChannelsFirst ? [channels, outSteps] : [outSteps, channels];
    }

    /// <inheritdoc/>
    public override void Build(long[] inputShape)
    {
        var (steps, _) = SequenceArithmetic.SequenceShape(inputShape, ChannelsFirst, this);
        _unknownSteps = steps == Shapes.None; // "same" padding then depends on each batch's length
        if (!_unknownSteps) _padding = ConvArithmetic.PaddingFor(_same, 1, steps, (1, PoolSize), (1, Strides), (1, 1));
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training)
    {
        SequenceArithmetic.CheckBatch(x, this);
        var nchw = (ChannelsFirst ? x : x.permute(0, 2, 1)).unsqueeze(2);
        var padding = _unknownSteps ? ConvArithmetic.PaddingFor(_same, 1, nchw.shape[3], (1, PoolSize), (1, Strides), (1, 1)) : _padding;
        var y = Pool(nchw, (1, PoolSize), (1, Strides), padding).squeeze(2);
        return ChannelsFirst ? y : y.permute(0, 2, 1);
    }

    /// <summary>The pooling itself, on an NCHW view of height 1.</summary>
    private protected abstract Tensor Pool(Tensor nchw, (int, int) poolSize, (int, int) strides, Padding2D padding);
}
