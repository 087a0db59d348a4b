using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>Removes rows and columns at the edges of each image (Keras's <c>Cropping2D</c>).</summary>
/// <example><code>new Cropping2D(((2, 2), (4, 4)))   // (None, 28, 28, 3) -> (None, 24, 20, 3)
/// new Cropping2D(1)                  // one pixel off every side</code></example>
public sealed class Cropping2D : Layer
{
    private readonly bool _channelsFirst;

    /// <summary>Creates a Cropping2D layer with cropping ((top, bottom), (left, right)).</summary>
    /// <param name="cropping">((top, bottom), (left, right)) rows and columns to remove, none negative.</param>
    /// <param name="dataFormat">"channels_last" (default) or "channels_first".</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default cropping2d.</param>
    /// <exception cref="ArgumentOutOfRangeException">A cropping is negative.</exception>
    public Cropping2D(((int, int), (int, int)) cropping, string dataFormat = "channels_last", long[]? inputShape = null, string? name = null)
        : base(name, inputShape)
    {
        var ((top, bottom), (left, right)) = cropping;
        if (top < 0 || bottom < 0 || left < 0 || right < 0)
            throw new ArgumentOutOfRangeException(nameof(cropping), cropping,
                $"Cropping2D cropping must not be negative; got ((top, bottom), (left, right)) = {cropping}.");
        Cropping = cropping;
        DataFormat = ConvArithmetic.DataFormat(dataFormat, nameof(Cropping2D));
        _channelsFirst = DataFormat == "channels_first";
    }

    /// <summary>Creates a Cropping2D layer removing the same number of rows and columns on every side (Keras's int shorthand).</summary>
    /// <param name="cropping">Rows and columns removed on each side; default 0.</param>
    /// <param name="dataFormat">"channels_last" (default) or "channels_first".</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name.</param>
    public Cropping2D(int cropping = 0, string dataFormat = "channels_last", long[]? inputShape = null, string? name = null)
        : this(((cropping, cropping), (cropping, cropping)), dataFormat, inputShape, name)
    {
    }

    /// <summary>Creates a Cropping2D layer with symmetric (height, width) cropping (Keras's pair shorthand).</summary>
    /// <param name="cropping">(rows removed at top and bottom, columns removed left and right).</param>
    /// <param name="dataFormat">"channels_last" (default) or "channels_first".</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name.</param>
    public Cropping2D((int, int) cropping, string dataFormat = "channels_last", long[]? inputShape = null, string? name = null)
        : this(((cropping.Item1, cropping.Item1), (cropping.Item2, cropping.Item2)), dataFormat, inputShape, name)
    {
    }

    /// <summary>((top, bottom), (left, right)).</summary>
    public ((int, int), (int, int)) Cropping { get; }

    /// <summary>"channels_last" or "channels_first" (lower case).</summary>
    public string DataFormat { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The cropping removes the whole height or width.</exception>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        var (height, width, channels) = ConvArithmetic.ImageShape(inputShape, _channelsFirst, this);
        var ((top, bottom), (left, right)) = Cropping;
        if ((long)top + bottom >= height || (long)left + right >= width)
            throw new ArgumentException(
                $"Layer \"{Name}\" (Cropping2D): cropping ((top, bottom), (left, right)) = {Cropping} must leave at least one row and " +
                $"one column of images {height}x{width} (input shape {Shapes.FormatBatch(inputShape)}). Crop less, or crop a larger input.");
        return ConvArithmetic.Image(height - top - bottom, width - left - right, channels, _channelsFirst);
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training)
    {
        ConvArithmetic.CheckBatch(x, this);
        ComputeOutputShape(x.shape[1..]);   // our message, not libtorch's, for a batch too small to crop
        var ((top, bottom), (left, right)) = Cropping;
        var nchw = ConvArithmetic.ToNchw(x, _channelsFirst);
        var cropped = nchw.narrow(2, top, nchw.shape[2] - top - bottom).narrow(3, left, nchw.shape[3] - left - right);
        return ConvArithmetic.FromNchw(cropped, _channelsFirst);
    }
}
