using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// What <see cref="MaxPooling2D"/> and <see cref="AveragePooling2D"/> share (Keras's <c>BasePooling</c>): a window
/// slid over height and width with "valid" or "same" padding, channels untouched.
/// </summary>
public abstract class Pooling2D : Layer
{
    private protected readonly bool ChannelsFirst;
    private protected Padding2D PaddingPixels;
    private readonly bool _same;

    /// <summary>Creates a pooling layer.</summary>
    /// <param name="poolSize">Window (height, width); default (2, 2).</param>
    /// <param name="strides">Step (height, width); default <paramref name="poolSize"/>.</param>
    /// <param name="padding">"valid" or "same", case-insensitive.</param>
    /// <param name="dataFormat">"channels_last" (default) or "channels_first".</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name.</param>
    private protected Pooling2D((int, int)? poolSize, (int, int)? strides, string padding, string dataFormat, long[]? inputShape, string? name)
        : base(name, inputShape)
    {
        string type = GetType().Name;
        PoolSize = ConvArithmetic.Positive(poolSize ?? (2, 2), nameof(poolSize), type);
        Strides = ConvArithmetic.Positive(strides ?? PoolSize, nameof(strides), type);
        Padding = ConvArithmetic.Padding(padding, type);
        DataFormat = ConvArithmetic.DataFormat(dataFormat, type);
        _same = Padding == "same";
        ChannelsFirst = DataFormat == "channels_first";
    }

    /// <summary>Window (height, width).</summary>
    public (int, int) PoolSize { get; }

    /// <summary>Step (height, width); equals <see cref="PoolSize"/> unless given.</summary>
    public (int, int) Strides { get; }

    /// <summary>"valid" or "same" (lower case).</summary>
    public string Padding { get; }

    /// <summary>"channels_last" or "channels_first" (lower case).</summary>
    public string DataFormat { get; }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        var (height, width, channels) = ConvArithmetic.ImageShape(inputShape, ChannelsFirst, this);
        long outHeight = ConvArithmetic.OutputLength(height, PoolSize.Item1, Strides.Item1, 1, _same, this);
        long outWidth = ConvArithmetic.OutputLength(width, PoolSize.Item2, Strides.Item2, 1, _same, this);
        return ConvArithmetic.Image(outHeight, outWidth, channels, ChannelsFirst);
    }

    /// <inheritdoc/>
    public override void Build(long[] inputShape)
    {
        var (height, width, _) = ConvArithmetic.ImageShape(inputShape, ChannelsFirst, this);
        PaddingPixels = ConvArithmetic.PaddingFor(_same, height, width, PoolSize, Strides, (1, 1));
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training)
    {
        ConvArithmetic.CheckBatch(x, this);
        return ConvArithmetic.FromNchw(Pool(ConvArithmetic.ToNchw(x, ChannelsFirst)), ChannelsFirst);
    }

    /// <summary>The pooling itself, on an NCHW view.</summary>
    private protected abstract Tensor Pool(Tensor nchw);
}
