using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// What <see cref="GlobalAveragePooling1D"/> and <see cref="GlobalMaxPooling1D"/> share: one value per channel, reduced
/// over the steps. Masks are not implemented yet: every step counts.
/// </summary>
public abstract class GlobalPooling1D : GlobalPooling
{
    /// <summary>Creates a global pooling layer.</summary>
    /// <param name="dataFormat">"channels_last" (default) or "channels_first".</param>
    /// <param name="keepdims">Keep the steps axis with size 1: (1, C) instead of (C).</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name.</param>
    private protected GlobalPooling1D(string dataFormat, bool keepdims, long[]? inputShape, string? name)
        : base(dataFormat, keepdims, inputShape, name)
    {
    }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        var (_, channels) = SequenceArithmetic.SequenceShape(inputShape, ChannelsFirst, this);
        return Keepdims ? ChannelsFirst ? [channels, 1] : [1, channels] : [channels];
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training)
    {
        SequenceArithmetic.CheckBatch(x, this);
        return Reduce(x, ChannelsFirst ? 2 : 1);
    }

    /// <summary>The reduction over the steps axis.</summary>
    private protected abstract Tensor Reduce(Tensor x, long stepsAxis);
}
