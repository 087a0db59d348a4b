using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>Adds zero steps at the start and end of each sequence (Keras's <c>ZeroPadding1D</c>).</summary>
/// <example><code>new ZeroPadding1D((1, 2))   // (None, 2, 3) -> (None, 5, 3)</code></example>
public sealed class ZeroPadding1D : Layer
{
    private readonly bool _channelsFirst;

    /// <summary>Creates a ZeroPadding1D layer with (start, end) padding.</summary>
    /// <param name="padding">(zero steps added at the start, at the end), none negative.</param>
    /// <param name="dataFormat">"channels_last" (default: (steps, features)) or "channels_first" ((features, steps)).</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default zero_padding1d.</param>
    /// <exception cref="ArgumentOutOfRangeException">A padding is negative.</exception>
    public ZeroPadding1D((int, int) padding, string dataFormat = "channels_last", long[]? inputShape = null, string? name = null)
        : base(name, inputShape)
    {
        if (padding.Item1 < 0 || padding.Item2 < 0)
            throw new ArgumentOutOfRangeException(nameof(padding), padding, $"ZeroPadding1D padding must not be negative; got (start, end) = {padding}.");
        Padding = padding;
        DataFormat = ConvArithmetic.DataFormat(dataFormat, nameof(ZeroPadding1D));
        _channelsFirst = DataFormat == "channels_first";
    }

    /// <summary>Creates a ZeroPadding1D layer adding the same number of zero steps at both ends (Keras's int shorthand).</summary>
    /// <param name="padding">Zero steps at each end; default 1, as Keras.</param>
    /// <param name="dataFormat">"channels_last" (default) or "channels_first".</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name.</param>
    public ZeroPadding1D(int padding = 1, string dataFormat = "channels_last", long[]? inputShape = null, string? name = null)
        : this((padding, padding), dataFormat, inputShape, name) { }

    /// <summary>(start, end).</summary>
    public (int, int) Padding { get; }

    /// <summary>"channels_last" or "channels_first" (lower case).</summary>
    public string DataFormat { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The input is not a sequence of feature vectors.</exception>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        if (inputShape.Length != 2)
            throw new ArgumentException(
                $"Layer \"{Name}\" (ZeroPadding1D) expects sequences of shape (None, steps, features) ({DataFormat}); got {Shapes.FormatBatch(inputShape)}.");
        int axis = _channelsFirst ? 1 : 0;
        var output = (long[])inputShape.Clone();
        if (output[axis] != Shapes.None) output[axis] += Padding.Item1 + Padding.Item2;
        return output;
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training)
    {
        // nn.functional.pad pads the last dimension first: (start, end) of the steps axis.
        var steps = _channelsFirst ? x : x.transpose(1, 2);
        var padded = nn.functional.pad(steps, [Padding.Item1, Padding.Item2]);
        return _channelsFirst ? padded : padded.transpose(1, 2);
    }
}
