using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>Takes the maximum of each channel over the steps (Keras's <c>GlobalMaxPooling1D</c>).</summary>
/// <example><code>new GlobalMaxPooling1D()   // (None, 53, 128) -> (None, 128)</code></example>
public sealed class GlobalMaxPooling1D : GlobalPooling1D
{
    /// <summary>Creates a GlobalMaxPooling1D layer.</summary>
    /// <param name="dataFormat">"channels_last" (default) or "channels_first".</param>
    /// <param name="keepdims">Keep the steps axis with size 1: (1, C) instead of (C).</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default global_max_pooling1d.</param>
    public GlobalMaxPooling1D(string dataFormat = "channels_last", bool keepdims = false, long[]? inputShape = null, string? name = null)
        : base(dataFormat, keepdims, inputShape, name)
    {
    }

    private protected override Tensor Reduce(Tensor x, long stepsAxis) => x.amax([stepsAxis], keepdim: Keepdims);
}
