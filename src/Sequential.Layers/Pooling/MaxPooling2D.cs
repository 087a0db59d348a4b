using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Takes the maximum over each window of height and width, per channel (Keras's <c>MaxPooling2D</c>).
/// With "same" padding the padded cells never win, as in TensorFlow.
/// </summary>
/// <example><code>new MaxPooling2D((2, 2))   // (None, 148, 148, 32) -> (None, 74, 74, 32)</code></example>
public sealed class MaxPooling2D : Pooling2D
{
    /// <summary>Creates a MaxPooling2D layer.</summary>
    /// <param name="poolSize">Window (height, width); default (2, 2).</param>
    /// <param name="strides">Step (height, width); default <paramref name="poolSize"/>.</param>
    /// <param name="padding">"valid" or "same", case-insensitive.</param>
    /// <param name="dataFormat">"channels_last" (default) or "channels_first".</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default max_pooling2d, max_pooling2d_1, ...</param>
    public MaxPooling2D((int, int)? poolSize = null, (int, int)? strides = null, string padding = "valid",
        string dataFormat = "channels_last", long[]? inputShape = null, string? name = null)
        : base(poolSize, strides, padding, dataFormat, inputShape, name)
    {
    }

    /// <summary>Creates a MaxPooling2D layer with a square window (Keras's int shorthand).</summary>
    /// <param name="poolSize">Window height and width.</param>
    /// <param name="strides">Step along both axes; default <paramref name="poolSize"/>.</param>
    /// <param name="padding">"valid" or "same", case-insensitive.</param>
    /// <param name="dataFormat">"channels_last" (default) or "channels_first".</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name.</param>
    public MaxPooling2D(int poolSize, int? strides = null, string padding = "valid", string dataFormat = "channels_last",
        long[]? inputShape = null, string? name = null)
        : base((poolSize, poolSize), strides is int s ? (s, s) : null, padding, dataFormat, inputShape, name)
    {
    }

    private protected override Tensor Pool(Tensor nchw) => ConvArithmetic.MaxPool2d(nchw, PoolSize, Strides, PaddingPixels);
}
