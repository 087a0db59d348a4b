using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Enlarges each image by integer factors (Keras's <c>UpSampling2D</c>): "nearest" repeats rows and columns,
/// "bilinear" and "bicubic" interpolate.
/// </summary>
/// <example><code>new UpSampling2D()                                   // (None, 14, 14, 8) -> (None, 28, 28, 8)
/// new UpSampling2D((1, 2), interpolation: "bilinear")  // twice as wide</code></example>
public sealed class UpSampling2D : Layer
{
    private readonly bool _channelsFirst;

    /// <summary>Creates an UpSampling2D layer.</summary>
    /// <param name="size">Factors (rows, columns), positive.</param>
    /// <param name="dataFormat">"channels_last" (default) or "channels_first".</param>
    /// <param name="interpolation">"nearest" (default, repeats pixels), "bilinear" or "bicubic" (as Keras's torch backend), case-insensitive.</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default up_sampling2d.</param>
    /// <exception cref="ArgumentOutOfRangeException">A factor is not positive.</exception>
    /// <exception cref="ArgumentException">Unknown data format or interpolation.</exception>
    public UpSampling2D((int, int) size, string dataFormat = "channels_last", string interpolation = "nearest",
        long[]? inputShape = null, string? name = null)
        : base(name, inputShape)
    {
        Size = ConvArithmetic.Positive(size, nameof(size), nameof(UpSampling2D));
        DataFormat = ConvArithmetic.DataFormat(dataFormat, nameof(UpSampling2D));
        Interpolation = Arguments.OneOf(interpolation, ImageResize.Interpolations, nameof(interpolation), nameof(UpSampling2D));
        _channelsFirst = DataFormat == "channels_first";
    }

    /// <summary>Creates an UpSampling2D layer with the same factor for rows and columns (Keras's int shorthand).</summary>
    /// <param name="size">Factor for rows and columns; default 2.</param>
    /// <param name="dataFormat">"channels_last" (default) or "channels_first".</param>
    /// <param name="interpolation">"nearest" (default), "bilinear" or "bicubic".</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name.</param>
    public UpSampling2D(int size = 2, string dataFormat = "channels_last", string interpolation = "nearest",
        long[]? inputShape = null, string? name = null)
        : this((size, size), dataFormat, interpolation, inputShape, name)
    {
    }

    /// <summary>Factors (rows, columns).</summary>
    public (int, int) Size { get; }

    /// <summary>"channels_last" or "channels_first" (lower case).</summary>
    public string DataFormat { get; }

    /// <summary>"nearest", "bilinear" or "bicubic".</summary>
    public string Interpolation { get; }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        var (height, width, channels) = ConvArithmetic.ImageShape(inputShape, _channelsFirst, this);
        return ConvArithmetic.Image(checked(height * Size.Item1), checked(width * Size.Item2), channels, _channelsFirst);
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training)
    {
        ConvArithmetic.CheckBatch(x, this);
        var (rows, columns) = Size;
        if (Interpolation == "nearest")
        {
            // Repeat each pixel into a rows x columns block: one broadcast copy, exact (no interpolation arithmetic).
            int heightAxis = _channelsFirst ? 2 : 1;
            var shape = x.shape;
            var repeated = x.unsqueeze(heightAxis + 1).unsqueeze(heightAxis + 3);
            var expanded = shape.ToList();
            expanded.Insert(heightAxis + 1, rows);
            expanded.Insert(heightAxis + 3, columns);
            shape[heightAxis] *= rows;
            shape[heightAxis + 1] *= columns;
            return repeated.expand([.. expanded]).reshape(shape);
        }
        var nchw = ConvArithmetic.ToNchw(x, _channelsFirst);
        var resized = ImageResize.Resize(nchw, nchw.shape[2] * rows, nchw.shape[3] * columns, Interpolation);
        return ConvArithmetic.FromNchw(resized, _channelsFirst);
    }
}
