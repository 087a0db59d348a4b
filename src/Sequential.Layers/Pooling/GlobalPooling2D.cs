using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// What <see cref="GlobalAveragePooling2D"/> and <see cref="GlobalMaxPooling2D"/> share: one value per channel,
/// reduced over height and width.
/// </summary>
public abstract class GlobalPooling2D : GlobalPooling
{
    /// <summary>Creates a global pooling layer.</summary>
    /// <param name="dataFormat">"channels_last" (default) or "channels_first".</param>
    /// <param name="keepdims">Keep the spatial axes with size 1: (1, 1, C) instead of (C).</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name.</param>
    private protected GlobalPooling2D(string dataFormat, bool keepdims, long[]? inputShape, string? name)
        : base(dataFormat, keepdims, inputShape, name)
    {
    }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        var (_, _, channels) = ConvArithmetic.ImageShape(inputShape, ChannelsFirst, this);
        return Keepdims ? ConvArithmetic.Image(1, 1, channels, ChannelsFirst) : [channels];
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training)
    {
        ConvArithmetic.CheckBatch(x, this);
        return Reduce(x, ChannelsFirst ? [2L, 3L] : [1L, 2L]);
    }

    /// <summary>The reduction over the two spatial axes.</summary>
    private protected abstract Tensor Reduce(Tensor x, long[] spatialAxes);
}
