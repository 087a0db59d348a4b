using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>Averages each channel over height and width (Keras's <c>GlobalAveragePooling2D</c>).</summary>
/// <example><code>new GlobalAveragePooling2D()   // (None, 7, 7, 512) -> (None, 512)</code></example>
public sealed class GlobalAveragePooling2D : GlobalPooling2D
{
    /// <summary>Creates a GlobalAveragePooling2D layer.</summary>
    /// <param name="dataFormat">"channels_last" (default) or "channels_first".</param>
    /// <param name="keepdims">Keep the spatial axes with size 1: (1, 1, C) instead of (C).</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default global_average_pooling2d.</param>
    public GlobalAveragePooling2D(string dataFormat = "channels_last", bool keepdims = false, long[]? inputShape = null, string? name = null)
        : base(dataFormat, keepdims, inputShape, name)
    {
    }

    private protected override Tensor Reduce(Tensor x, long[] spatialAxes) => x.mean(spatialAxes, keepdim: Keepdims);
}
