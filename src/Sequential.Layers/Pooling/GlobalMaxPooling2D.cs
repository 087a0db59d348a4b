using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>Takes the maximum of each channel over height and width (Keras's <c>GlobalMaxPooling2D</c>).</summary>
/// <example><code>new GlobalMaxPooling2D()   // (None, 7, 7, 512) -> (None, 512)</code></example>
public sealed class GlobalMaxPooling2D : GlobalPooling2D
{
    /// <summary>Creates a GlobalMaxPooling2D layer.</summary>
    /// <param name="dataFormat">"channels_last" (default) or "channels_first".</param>
    /// <param name="keepdims">Keep the spatial axes with size 1: (1, 1, C) instead of (C).</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default global_max_pooling2d.</param>
    public GlobalMaxPooling2D(string dataFormat = "channels_last", bool keepdims = false, long[]? inputShape = null, string? name = null)
        : base(dataFormat, keepdims, inputShape, name)
    {
    }

    private protected override Tensor Reduce(Tensor x, long[] spatialAxes) => x.amax(spatialAxes, keepdim: Keepdims);
}
