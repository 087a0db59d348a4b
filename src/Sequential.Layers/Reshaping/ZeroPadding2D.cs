using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>Adds rows and columns of zeros around each image (Keras's <c>ZeroPadding2D</c>).</summary>
/// <example><code>new ZeroPadding2D(1)                   // (None, 28, 28, 1) -> (None, 30, 30, 1)
/// new ZeroPadding2D(((1, 0), (2, 3)))   // 1 row on top, 2 columns left, 3 right</code></example>
public sealed class ZeroPadding2D : Layer
{
    private readonly bool _channelsFirst;

    /// <summary>Creates a ZeroPadding2D layer with padding ((top, bottom), (left, right)).</summary>
    /// <param name="padding">((top, bottom), (left, right)) rows and columns of zeros, none negative.</param>
    /// <param name="dataFormat">"channels_last" (default) or "channels_first".</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default zero_padding2d.</param>
    public ZeroPadding2D(((int, int), (int, int)) padding, string dataFormat = "channels_last", long[]? inputShape = null, string? name = null)
        : base(name, inputShape)
    {
        var ((top, bottom), (left, right)) = padding;
        if (top < 0 || bottom < 0 || left < 0 || right < 0)
            throw new ArgumentOutOfRangeException(nameof(padding), padding,
                $"ZeroPadding2D padding must not be negative; got ((top, bottom), (left, right)) = {padding}.");
        Padding = padding;
        DataFormat = ConvArithmetic.DataFormat(dataFormat, nameof(ZeroPadding2D));
        _channelsFirst = DataFormat == "channels_first";
    }

    /// <summary>Creates a ZeroPadding2D layer with the same padding on every side (Keras's int shorthand).</summary>
    /// <param name="padding">Rows and columns of zeros on each side; default 1.</param>
    /// <param name="dataFormat">"channels_last" (default) or "channels_first".</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name.</param>
    public ZeroPadding2D(int padding = 1, string dataFormat = "channels_last", long[]? inputShape = null, string? name = null)
        : this(((padding, padding), (padding, padding)), dataFormat, inputShape, name)
    {
    }

    /// <summary>Creates a ZeroPadding2D layer with symmetric (height, width) padding (Keras's pair shorthand).</summary>
    /// <param name="padding">(rows on top and bottom, columns left and right).</param>
    /// <param name="dataFormat">"channels_last" (default) or "channels_first".</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name.</param>
    public ZeroPadding2D((int, int) padding, string dataFormat = "channels_last", long[]? inputShape = null, string? name = null)
        : this(((padding.Item1, padding.Item1), (padding.Item2, padding.Item2)), dataFormat, inputShape, name)
    {
    }

    /// <summary>((top, bottom), (left, right)).</summary>
    public ((int, int), (int, int)) Padding { get; }

    /// <summary>"channels_last" or "channels_first" (lower case).</summary>
    public string DataFormat { get; }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        var (height, width, channels) = ConvArithmetic.ImageShape(inputShape, _channelsFirst, this);
        var ((top, bottom), (left, right)) = Padding;
        return ConvArithmetic.Image(height + top + bottom, width + left + right, channels, _channelsFirst);
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training)
    {
        ConvArithmetic.CheckBatch(x, this);
        var ((top, bottom), (left, right)) = Padding;
        var padded = new Padding2D(top, bottom, left, right).Apply(ConvArithmetic.ToNchw(x, _channelsFirst));
        return ConvArithmetic.FromNchw(padded, _channelsFirst);
    }
}
