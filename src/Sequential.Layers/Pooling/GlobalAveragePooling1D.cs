using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>Averages each channel over the steps (Keras's <c>GlobalAveragePooling1D</c>).</summary>
/// <example><code>new GlobalAveragePooling1D()   // (None, 200, 32) -> (None, 32)</code></example>
public sealed class GlobalAveragePooling1D : GlobalPooling1D
{
    /// <summary>True: masked timesteps are left out of the average; the output (one vector per sequence) has no mask.</summary>
    public override bool SupportsMasking => true;

    /// <summary>Creates a GlobalAveragePooling1D layer.</summary>
    /// <param name="dataFormat">"channels_last" (default) or "channels_first".</param>
    /// <param name="keepdims">Keep the steps axis with size 1: (1, C) instead of (C).</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default global_average_pooling1d.</param>
    public GlobalAveragePooling1D(string dataFormat = "channels_last", bool keepdims = false, long[]? inputShape = null, string? name = null)
        : base(dataFormat, keepdims, inputShape, name)
    {
    }

    private protected override Tensor Reduce(Tensor x, long stepsAxis) => x.mean([stepsAxis], keepdim: Keepdims);

    /// <summary>Averages over the steps the mask keeps (Keras's masked mean: the sum over kept steps divided by their
    /// count; a sequence with no kept step gives NaN, as in Keras).</summary>
    /// <param name="x">Input batch.</param>
    /// <param name="mask">[N, steps] mask, or null for the plain mean.</param>
    /// <param name="training">Unused.</param>
    /// <returns>The pooled batch.</returns>
    /// <exception cref="ArgumentException">The mask is not [N, steps]; the message names both shapes.</exception>
    public override Tensor Call(Tensor x, Tensor? mask, bool training)
    {
        if (mask is null) return Call(x, training);
        SequenceArithmetic.CheckBatch(x, this);
        long stepsAxis = ChannelsFirst ? 2 : 1;
        if (mask.dim() != 2 || mask.shape[0] != x.shape[0] || mask.shape[1] != x.shape[stepsAxis])
            throw new ArgumentException(
                $"Layer \"{Name}\" (GlobalAveragePooling1D): a mask of shape {Shapes.Format(mask.shape)} does not fit inputs of shape " +
                $"{Shapes.Format(x.shape)}; it should be [batch, steps] = {Shapes.Format([x.shape[0], x.shape[stepsAxis]])}.", nameof(mask));
        var keep = mask.to_type(ScalarType.Bool).unsqueeze(ChannelsFirst ? 1 : 2);
        var weights = keep.to_type(x.dtype);
        return where(keep, x, zeros_like(x)).sum([stepsAxis], keepdim: Keepdims) / weights.sum([stepsAxis], keepdim: Keepdims);
    }

    /// <inheritdoc/>
    /// <returns>Null: one vector per sequence has no steps left to mask.</returns>
    public override Tensor? ComputeMask(Tensor x, Tensor? mask) => null;
}
