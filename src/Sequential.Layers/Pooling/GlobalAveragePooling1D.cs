using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>Averages each channel over the steps (Keras's <c>GlobalAveragePooling1D</c>).</summary>
/// <example><code>new GlobalAveragePooling1D()   // (None, 200, 32) -> (None, 32)</code></example>
public sealed class GlobalAveragePooling1D : GlobalPooling1D
{
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
}
